/**
 * Results — résultats (PR-06): what the project found, published to the public registry. The
 * lead writes them once the project is active, and may update them after it closes.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { useProjectAccess } from './access.ts';
import { projectPaths, resultsStatuses, type Project } from './types.ts';

export function ResultsSection({ project }: { project: Project }) {
  const { t, formatDateTime } = useI18n();
  const { canEdit } = useProjectAccess(project);
  const open = resultsStatuses.includes(project.status);
  if (!project.results && !(canEdit && open)) return null;
  return (
    <section className="hdh-results fr-mb-4w">
      <h2>{t('results.title')}</h2>
      {project.results ? (
        <div className="hdh-results-published">
          <p className="hdh-message__body">{project.results.summary}</p>
          {project.results.url && <p><a href={project.results.url} rel="noopener noreferrer" target="_blank">{project.results.url}</a></p>}
          <p className="fr-text--sm">
            {t('results.publishedAt', { date: formatDateTime(project.results.publishedAt) })} —{' '}
            <Link to={withQuery(projectPaths.registry, { q: project.reference })}>{t('results.inRegistry')}</Link>
          </p>
        </div>
      ) : <p>{t('results.none')}</p>}
      {canEdit && open && <ResultsForm project={project} />}
    </section>
  );
}

function ResultsForm({ project }: { project: Project }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [summary, setSummary] = useState(project.results?.summary ?? '');
  const [url, setUrl] = useState(project.results?.url ?? '');
  const [saved, setSaved] = useState(false);
  const publish = useMutation({
    mutationFn: () => api.post<Project>(`/api/projects/${project.id}/results`, { summary, ...(url.trim() ? { url: url.trim() } : {}) }),
    onSuccess: async () => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['project', project.id] });
      await queryClient.invalidateQueries({ queryKey: ['registry'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    publish.mutate();
  };
  return (
    <form className="hdh-results-form" onSubmit={submit}>
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">{project.results ? t('results.update') : t('results.publish')}</legend>
        <div className="fr-fieldset__element">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="results-summary">{t('results.summary')}<span className="fr-hint-text">{t('results.summaryHint')}</span></label>
            <textarea className="fr-input" id="results-summary" name="summary" rows={4} required maxLength={20_000} value={summary} onChange={(e) => setSummary(e.target.value)} />
          </div>
        </div>
        <div className="fr-fieldset__element">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="results-url">{t('results.url')}<span className="fr-hint-text">{t('results.urlHint')}</span></label>
            <input className="fr-input" id="results-url" name="url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
          </div>
        </div>
        <div className="fr-fieldset__element">
          <Button type="submit" disabled={publish.isPending}>{t('results.publishButton')}</Button>
        </div>
      </fieldset>
      <ErrorAlert error={publish.error} />
      {saved && <p className="fr-message fr-message--valid" id="results-saved">{t('results.saved')}</p>}
    </form>
  );
}
