/**
 * A project's workspace (espace projet cloisonné): the extract and limits, the SQL editor with
 * the perimeter's dictionary beside it, results and charts, then the history, the shared
 * programs and the jobs. `?program=<id>&version=<n>` opens a program's version in the editor.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Tabs } from '@codegouvfr/react-dsfr/Tabs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { airlockPaths } from '../airlock/types.ts';
import { useI18n } from '../i18n.ts';
import { projectPaths, type Project } from '../projects/types.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { DeletionCertificate } from './DeletionCertificate.tsx';
import { DictionaryPanel } from './DictionaryPanel.tsx';
import { HistoryList } from './HistoryList.tsx';
import { JobsPanel } from './JobsPanel.tsx';
import { ProgramsPanel } from './ProgramsPanel.tsx';
import { QueryWorkbench } from './QueryWorkbench.tsx';
import { SaveProgramForm, type LoadedProgram } from './SaveProgramForm.tsx';
import type { SqlEditorHandle } from './SqlEditor.tsx';
import { WorkspaceStatusBadge } from './StatusBadge.tsx';
import { workspaceApi, workspacePaths, type DictionaryTable, type Program, type Workspace } from './types.ts';
import { WorkspaceSummary } from './WorkspaceSummary.tsx';
import './workspace.css';

type Tab = 'history' | 'programs' | 'jobs';

export function WorkspacePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const paths = useMemo(() => workspaceApi(id), [id]);
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const project = useQuery({ queryKey: ['project', id], queryFn: () => api.get<Project>(`/api/projects/${id}`) });
  const workspace = useQuery({
    queryKey: ['workspace', id],
    queryFn: () => api.get<Workspace>(paths.base),
    // An extraction in progress opens the workspace by itself when it ends.
    refetchInterval: (q) => (q.state.data?.status === 'extracting' ? 3000 : false),
  });
  const open = workspace.data?.status === 'open';
  const dictionary = useQuery({ queryKey: ['workspace', id, 'dictionary'], queryFn: () => api.get<DictionaryTable[]>(paths.dictionary), enabled: open });
  const [sql, setSql] = useState('');
  const [loaded, setLoaded] = useState<LoadedProgram | null>(null);
  const [tab, setTab] = useState<Tab>('history');
  const [jobProgram, setJobProgram] = useState('');
  const editor = useRef<SqlEditorHandle>(null);

  // Opening a program (from the list, its page or a link) goes through the URL.
  const wanted = params.get('program');
  const wantedVersion = Number(params.get('version')) || null;
  const [programError, setProgramError] = useState<unknown>(null);
  useEffect(() => {
    if (!open || wanted === null) return;
    let live = true;
    queryClient
      .fetchQuery({ queryKey: ['workspace', id, 'program', wanted], queryFn: () => api.get<Program>(paths.program(wanted)) })
      .then((p) => {
        if (!live) return;
        const version = p.versions.find((v) => v.version === (wantedVersion ?? p.latestVersion)) ?? p.versions.at(-1);
        if (version) {
          setSql(version.sql);
          setLoaded({ id: p.id, name: p.name, version: version.version });
        }
        setProgramError(null);
        setParams({}, { replace: true });
      })
      .catch((error: unknown) => live && setProgramError(error));
    return () => {
      live = false;
    };
  }, [open, wanted, wantedVersion, id, paths, queryClient, setParams]);

  if (workspace.error) {
    return (
      <>
        <BackLink to={projectPaths.project(id)}>{t('project.backToProject')}</BackLink>
        <h1>{t('ws.title')}</h1>
        <ErrorAlert error={workspace.error} />
        {/* Past the project's end the workspace refuses everyone; its lead still reads what was deleted. */}
        <DeletionCertificate projectId={id} />
      </>
    );
  }
  if (!workspace.data) return <p>{t('app.loading')}</p>;
  const ws = workspace.data;

  return (
    <>
      <BackLink to={projectPaths.project(id)}>{project.data?.title ?? t('project.backToProject')}</BackLink>
      <h1>
        {t('ws.title')} <WorkspaceStatusBadge status={ws.status} />
      </h1>
      {project.data && <p className="fr-text--lead fr-mb-2w">{project.data.reference} — {project.data.title}</p>}
      <Button priority="tertiary" size="small" iconId="ri-key-2-line" className="fr-mb-2w" linkProps={{ to: workspacePaths.tokens }}>
        {t('ws.tokens.title')}
      </Button>
      <Button priority="tertiary" size="small" iconId="fr-icon-upload-2-line" className="fr-mb-2w fr-ml-1w" linkProps={{ to: airlockPaths.requests(id), id: 'open-outputs' }}>
        {t('airlock.requests.title')}
      </Button>
      {!open && (
        <Alert className="fr-mb-3w" severity={ws.status === 'closed' ? 'warning' : 'info'} title={t(`ws.status.${ws.status}`)} description={t(`ws.statusHelp.${ws.status}`)} />
      )}
      {ws.status === 'closed' && <DeletionCertificate projectId={id} />}
      <WorkspaceSummary workspace={ws} />
      {open && (
        <>
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-lg-8">
              {loaded && (
                <p className="fr-text--sm fr-mb-1w" id="loaded-program">
                  {t('ws.loaded', { name: loaded.name, version: loaded.version })}{' '}
                  <button type="button" className="fr-link fr-text--sm" onClick={() => setLoaded(null)}>
                    {t('ws.loaded.detach')}
                  </button>
                </p>
              )}
              <ErrorAlert error={programError} />
              <QueryWorkbench projectId={id} sql={sql} setSql={setSql} dictionary={dictionary.data ?? []} limits={ws.limits} editorRef={editor} />
              <SaveProgramForm projectId={id} sql={sql} loaded={loaded} onSaved={setLoaded} />
            </div>
            <div className="fr-col-12 fr-col-lg-4">
              <ErrorAlert error={dictionary.error} />
              <DictionaryPanel dictionary={dictionary.data ?? []} onInsert={(text) => editor.current?.insert(text)} />
            </div>
          </div>
          <Tabs
            className="fr-mt-4w"
            label={t('ws.tabs')}
            selectedTabId={tab}
            onTabChange={(next) => setTab(next as Tab)}
            tabs={[
              { tabId: 'history', label: t('ws.history.title'), iconId: 'fr-icon-time-line' },
              { tabId: 'programs', label: t('ws.programs.title'), iconId: 'fr-icon-code-s-slash-line' },
              { tabId: 'jobs', label: t('ws.jobs.title'), iconId: 'ri-play-list-2-line' },
            ]}
          >
            {tab === 'history' && <HistoryList projectId={id} onLoad={(text) => setSql(text)} />}
            {tab === 'programs' && (
              <ProgramsPanel
                projectId={id}
                onOpen={(pid) => setParams({ program: pid })}
                onRun={(pid) => {
                  setJobProgram(pid);
                  setTab('jobs');
                }}
              />
            )}
            {tab === 'jobs' && <JobsPanel projectId={id} programId={jobProgram} setProgramId={setJobProgram} />}
          </Tabs>
        </>
      )}
    </>
  );
}
