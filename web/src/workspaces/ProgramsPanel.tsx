/**
 * The project's saved programs (shared with its members): open one in the editor, see its
 * versions, run it as a job; and copy a shared program of the catalogue into the workspace.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../api.ts';
import { catalogPaths } from '../catalog/links.ts';
import type { ProgramSummary as CatalogueProgram } from '../catalog/types.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { workspaceApi, workspacePaths, type Program, type ProgramSummary } from './types.ts';

export function usePrograms(projectId: string) {
  return useQuery({ queryKey: ['workspace', projectId, 'programs'], queryFn: () => api.get<ProgramSummary[]>(workspaceApi(projectId).programs) });
}

export function ProgramsPanel({ projectId, onOpen, onRun }: { projectId: string; onOpen: (programId: string) => void; onRun: (programId: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const programs = usePrograms(projectId);
  return (
    <>
      <ErrorAlert error={programs.error} />
      {programs.data?.length === 0 && <p>{t('ws.programs.none')}</p>}
      <ul className="hdh-programs" id="program-list">
        {programs.data?.map((p) => (
          <li key={p.id} className="fr-mb-2w" data-program={p.name}>
            <Link to={workspacePaths.program(projectId, p.id)} className="fr-link fr-text--bold">
              {p.name}
            </Link>{' '}
            <span className="fr-text--sm">{t('ws.programs.meta', { version: p.latestVersion, at: formatDateTime(p.updatedAt), by: p.updatedBy })}</span>
            {p.source && <span className="fr-text--xs"> · {t('ws.programs.copiedFrom', { slug: p.source.catalogueProgramId, version: p.source.version })}</span>}
            {p.description && <p className="fr-text--sm fr-mb-1w">{p.description}</p>}
            <div className="hdh-run-bar">
              <Button size="small" priority="secondary" iconId="fr-icon-edit-line" onClick={() => onOpen(p.id)}>
                {t('ws.programs.open')}
              </Button>
              <Button size="small" priority="tertiary" iconId="fr-icon-play-line" onClick={() => onRun(p.id)}>
                {t('ws.programs.runAsJob')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      <ImportProgramForm projectId={projectId} onImported={onOpen} />
    </>
  );
}

/** Search the catalogue's shared programs and copy one into this workspace. */
function ImportProgramForm({ projectId, onImported }: { projectId: string; onImported: (programId: string) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const found = useQuery({
    queryKey: ['catalog', 'programs', searched ?? '', ''],
    queryFn: () => api.get<CatalogueProgram[]>(withQuery('/api/catalog/programs', { q: searched ?? '' })),
    enabled: searched !== null,
  });
  const copy = useMutation({
    mutationFn: (slug: string) => api.post<Program>(workspaceApi(projectId).importProgram, { catalogueProgramId: slug }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['workspace', projectId, 'programs'] });
      onImported(p.id);
    },
  });
  return (
    <section className="hdh-panel hdh-workspace-panel fr-mt-3w" aria-labelledby="import-title">
      <h3 id="import-title" className="fr-h6">{t('ws.import.title')}</h3>
      <p className="fr-text--sm">{t('ws.import.help')}</p>
      <form
        className="hdh-run-bar"
        onSubmit={(e) => {
          e.preventDefault();
          setSearched(q.trim());
        }}
      >
        <Input label={t('ws.import.search')} nativeInputProps={{ id: 'import-search', type: 'search', value: q, onChange: (e) => setQ(e.target.value) }} />
        <Button type="submit" priority="secondary" iconId="fr-icon-search-line">
          {t('ws.import.find')}
        </Button>
      </form>
      <ErrorAlert error={found.error ?? copy.error} />
      {found.data?.length === 0 && <p className="fr-text--sm">{t('ws.import.none')}</p>}
      <ul>
        {found.data?.map((p) => (
          <li key={p.slug} className="fr-mb-1w">
            <Link to={catalogPaths.program(p.slug)} className="fr-link" target="_blank" rel="noopener">
              {p.title}
            </Link>{' '}
            <span className="fr-text--xs">v{p.currentVersion} · {p.author} · {p.tables.join(', ')}</span>{' '}
            <Button size="small" priority="tertiary" iconId="fr-icon-add-line" disabled={copy.isPending} onClick={() => copy.mutate(p.slug)}>
              {t('ws.import.copy')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
