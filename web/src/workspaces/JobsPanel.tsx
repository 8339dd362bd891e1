/**
 * Programs run as jobs inside the hub (traitements): submit one (program, version, parameters),
 * follow its status and log; its result tables land in the workspace's scratch database.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { parseParameters } from './format.ts';
import { usePrograms } from './ProgramsPanel.tsx';
import { QueryStatusBadge } from './StatusBadge.tsx';
import { workspaceApi, workspacePaths, type JobView } from './types.ts';

const unfinished = new Set(['queued', 'running']);

export function JobsPanel({ projectId, programId, setProgramId }: { projectId: string; programId: string; setProgramId: (id: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const paths = workspaceApi(projectId);
  const programs = usePrograms(projectId);
  const jobs = useQuery({
    queryKey: ['workspace', projectId, 'jobs'],
    queryFn: () => api.get<JobView[]>(paths.jobs),
    // Follow the jobs still working; stop polling once all are over.
    refetchInterval: (q) => (q.state.data?.some((j) => unfinished.has(j.status)) ? 2000 : false),
  });
  const [version, setVersion] = useState('');
  const [parametersText, setParametersText] = useState('');
  const [invalid, setInvalid] = useState<string[]>([]);
  const submit = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<JobView>(paths.jobs, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'jobs'] }),
  });
  // A finished job leaves its result tables in the scratch database: the dictionary lists them.
  const finished = jobs.data?.filter((j) => !unfinished.has(j.status)).length ?? 0;
  useEffect(() => {
    if (finished > 0) void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'dictionary'] });
  }, [finished, projectId, queryClient]);
  const selected = programs.data?.find((p) => p.id === programId);
  const names = new Map(programs.data?.map((p) => [p.id, p.name]));

  return (
    <>
      <form
        id="job-form"
        className="hdh-panel hdh-workspace-panel fr-mb-3w"
        onSubmit={(e) => {
          e.preventDefault();
          const { parameters, invalid: bad } = parseParameters(parametersText);
          setInvalid(bad);
          if (bad.length > 0 || !programId) return;
          submit.mutate({ programId, ...(version ? { version: Number(version) } : {}), ...(Object.keys(parameters).length ? { parameters } : {}) });
        }}
      >
        <h3 className="fr-h6">{t('ws.jobs.submit')}</h3>
        <Select label={t('ws.jobs.program')} nativeSelectProps={{ id: 'job-program', value: programId, required: true, onChange: (e) => setProgramId(e.target.value) }}>
          <option value="">{t('ws.jobs.pickProgram')}</option>
          {programs.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} (v{p.latestVersion})
            </option>
          ))}
        </Select>
        <Input
          label={t('ws.jobs.version')}
          hintText={selected ? t('ws.jobs.versionHint', { n: selected.latestVersion }) : undefined}
          nativeInputProps={{ id: 'job-version', type: 'number', min: 1, max: selected?.latestVersion, value: version, onChange: (e) => setVersion(e.target.value) }}
        />
        <Input
          label={t('ws.jobs.parameters')}
          hintText={t('ws.jobs.parametersHint')}
          textArea
          state={invalid.length > 0 ? 'error' : 'default'}
          stateRelatedMessage={invalid.length > 0 ? t('ws.jobs.badParameters', { lines: invalid.join(' ; ') }) : undefined}
          nativeTextAreaProps={{ id: 'job-parameters', rows: 3, value: parametersText, onChange: (e) => setParametersText(e.target.value) }}
        />
        <Button type="submit" iconId="fr-icon-play-line" disabled={submit.isPending || !programId}>
          {t('ws.jobs.run')}
        </Button>
        <p className="fr-text--xs fr-mt-1w">
          {t('ws.jobs.apiHint')} <Link to={workspacePaths.tokens} className="fr-link fr-text--xs">{t('ws.tokens.title')}</Link>
        </p>
      </form>
      <ErrorAlert error={jobs.error ?? submit.error} />
      {jobs.data?.length === 0 && <p>{t('ws.jobs.none')}</p>}
      <ul className="hdh-jobs" id="job-list">
        {jobs.data?.map((j) => (
          <li key={j.id} className="fr-mb-2w">
            <strong>{names.get(j.programId) ?? j.programId}</strong> v{j.version} · <QueryStatusBadge status={j.status} />
            {j.via === 'token' && <span className="fr-badge fr-badge--sm fr-ml-1w">{t('ws.jobs.viaToken')}</span>}
            <span className="fr-text--xs">
              {' '}
              · {t('ws.jobs.createdAt', { at: formatDateTime(j.createdAt) })}
              {j.startedAt && ` · ${t('ws.jobs.startedAt', { at: formatDateTime(j.startedAt) })}`}
              {j.finishedAt && ` · ${t('ws.jobs.finishedAt', { at: formatDateTime(j.finishedAt) })}`}
            </span>
            {j.parameters && Object.keys(j.parameters).length > 0 && (
              <p className="fr-text--xs fr-mb-0">
                {t('ws.jobs.parametersUsed')} <code>{Object.entries(j.parameters).map(([k, v]) => `${k}=${v}`).join(' ; ')}</code>
              </p>
            )}
            {j.resultTables.length > 0 && (
              <p className="fr-text--sm fr-mb-0">
                {t('ws.jobs.resultTables')} {j.resultTables.map((name) => <code key={name} className="fr-mr-1w">{name}</code>)}
              </p>
            )}
            {j.log.length > 0 && (
              <details>
                <summary className="fr-text--sm">{t('ws.jobs.log', { n: j.log.length })}</summary>
                <pre className="hdh-code hdh-log">{j.log.join('\n')}</pre>
              </details>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
