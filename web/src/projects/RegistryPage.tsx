/** The public registry of projects (PR-05..PR-07): no sign-in; search, filters, exports, statistics. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Facts } from '../catalog/common.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { RegistryResults } from '../airlock/RegistryResults.tsx';
import { legalRoutes, statuses, type LegalRoute, type RegistryEntry, type RegistryStats } from './types.ts';

export function RegistryPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = { q: params.get('q') ?? '', route: params.get('route') ?? '', status: params.get('status') ?? '', domain: params.get('domain') ?? '' };
  const query = withQuery('', filters);
  const entries = useQuery({ queryKey: ['registry', query], queryFn: () => api.get<RegistryEntry[]>(`/api/registry/projects${query}`) });
  const stats = useQuery({ queryKey: ['registry', 'stats'], queryFn: () => api.get<RegistryStats>('/api/registry/stats') });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <>
      <h1>{t('registry.title')}</h1>
      <p className="fr-text--lead">{t('registry.lead')}</p>
      {stats.data && (
        <p id="registry-stats">
          {t('registry.stats', { total: stats.data.total, median: stats.data.medianDaysToDecision ?? '—' })}{' '}
          {Object.entries(stats.data.perRoute).filter(([, n]) => n > 0).map(([route, n]) => `${t(`project.route.${route as LegalRoute}`)} : ${n}`).join(' · ')}
        </p>
      )}
      <form className="hdh-registry-filters fr-mb-3w" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="registry-q">{t('registry.search')}</label>
          <input className="fr-input" id="registry-q" name="q" type="search" value={filters.q} onChange={(e) => set('q', e.target.value)} />
        </div>
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="registry-route">{t('project.legalRoute')}</label>
          <select className="fr-select" id="registry-route" name="route" value={filters.route} onChange={(e) => set('route', e.target.value)}>
            <option value="">{t('registry.any')}</option>
            {legalRoutes.map((r) => <option key={r} value={r}>{t(`project.route.${r}`)}</option>)}
          </select>
        </div>
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="registry-status">{t('project.status')}</label>
          <select className="fr-select" id="registry-status" name="status" value={filters.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">{t('registry.any')}</option>
            {statuses.filter((s) => s !== 'draft').map((s) => <option key={s} value={s}>{t(`project.status.${s}`)}</option>)}
          </select>
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="registry-domain">{t('project.medicalDomains')}</label>
          <input className="fr-input" id="registry-domain" name="domain" value={filters.domain} onChange={(e) => set('domain', e.target.value)} />
        </div>
      </form>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left">
        <li>
          <Button priority="tertiary" iconId="fr-icon-download-line" linkProps={{ to: `/api/registry/export.csv${query}`, reloadDocument: true }}>{t('registry.exportCsv')}</Button>
        </li>
        <li>
          <Button priority="tertiary" iconId="fr-icon-download-line" linkProps={{ to: `/api/registry/export.json${query}`, reloadDocument: true }}>{t('registry.exportJson')}</Button>
        </li>
      </ul>
      <ErrorAlert error={entries.error} />
      {entries.data && entries.data.length === 0 && <p>{t('registry.none')}</p>}
      <div className="hdh-registry">
        {entries.data?.map((e) => <RegistryCard key={e.reference} entry={e} />)}
      </div>
    </>
  );
}

function RegistryCard({ entry: e }: { entry: RegistryEntry }) {
  const { t, formatDate } = useI18n();
  const day = (d: string | null) => (d ? formatDate(d) : null);
  return (
    <section className="hdh-registry-entry fr-mb-4w" data-reference={e.reference}>
      <h2 className="fr-h4">
        {e.title} <span className="fr-badge fr-badge--sm fr-badge--info">{t(`project.status.${e.status}`)}</span>
      </h2>
      <Facts
        items={[
          [t('project.reference'), e.reference],
          [t('project.dataControllers'), e.dataControllers.map((c) => `${c.name} (${c.kind === 'rt' ? 'RT' : 'co-RT'})`).join(', ')],
          [t('project.purpose'), e.purpose],
          [t('project.objectives'), e.objectives],
          [t('project.methodology'), e.methodology],
          [t('registry.sources'), [...e.dataSources.snds, ...e.dataSources.other].join(', ')],
          [t('project.medicalDomains'), e.medicalDomains.join(', ')],
          [t('project.legalRoute'), t(`project.route.${e.legalRoute}`) + (e.referenceMethodology ? ` (${e.referenceMethodology})` : '')],
          [t('project.publicServiceMission'), e.publicServiceMission ? t('common.yes') : t('common.no')],
          [t('registry.submittedOn'), day(e.submittedOn)],
          [t('registry.completenessOn'), day(e.completenessOn)],
          [t('registry.cesrees'), e.cesrees.outcome ? `${t(`project.cesreesOutcome.${e.cesrees.outcome as CesreesKey}`)} — ${day(e.cesrees.decidedOn) ?? ''}` : null],
          [t('registry.cnil'), e.cnil.outcome ? `${t(`project.cnilOutcome.${e.cnil.outcome as CnilKey}`)} n° ${e.cnil.number ?? ''} — ${day(e.cnil.decidedOn) ?? ''}` : null],
          [t('project.registryReference'), e.registryReference],
          [t('registry.period'), e.startDate ? `${day(e.startDate)} → ${day(e.endDate) ?? ''}` : null],
          [t('registry.daysToDecision'), e.daysToDecision],
          [t('registry.results'), e.results ? <Results results={e.results} /> : null],
          [t('airlock.registry.title'), e.outputs?.length ? <RegistryResults results={e.outputs} /> : null],
        ]}
      />
    </section>
  );
}

/** Results (PR-06) as the lead published them: the summary, the link to the publication, the date. */
function Results({ results }: { results: NonNullable<RegistryEntry['results']> }) {
  const { t, formatDateTime } = useI18n();
  return (
    <div className="hdh-registry-results">
      <p className="hdh-message__body fr-mb-1v">{results.summary}</p>
      {results.url && <p className="fr-mb-1v"><a href={results.url} rel="noopener noreferrer" target="_blank">{results.url}</a></p>}
      <p className="fr-text--xs fr-mb-0">{t('results.publishedAt', { date: formatDateTime(results.publishedAt) })}</p>
    </div>
  );
}

export type CesreesKey = 'favourable' | 'favourable_with_recommendations' | 'reserved' | 'unfavourable' | 'tacit_favourable';
export type CnilKey = 'authorised' | 'refused' | 'tacit_authorisation';
