/**
 * The source databases — bases sources (PR-05): the datasets of the public catalogue, who
 * produces them, how many tables they hold and who may access them.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import type { DatasetSummary } from '../catalog/types.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { CitizensFrame } from './CitizensFrame.tsx';

export function SourcesPage() {
  const { t } = useI18n();
  const datasets = useQuery({ queryKey: ['catalog', 'datasets'], queryFn: () => api.get<DatasetSummary[]>('/api/catalog/datasets') });
  return (
    <CitizensFrame title={t('citizens.sources.title')} lead={t('citizens.sources.lead')}>
      <p>{t('citizens.sources.pseudonymised')}</p>
      <ErrorAlert error={datasets.error} />
      {datasets.isPending && <p>{t('app.loading')}</p>}
      {datasets.data && datasets.data.length === 0 && <p>{t('citizens.sources.none')}</p>}
      <div className="hdh-sources">
        {datasets.data?.map((d) => (
          <section key={d.slug} className="hdh-source fr-mb-3w" data-dataset={d.slug}>
            <h2 className="fr-h5 fr-mb-1w"><Link to={`/catalogue/datasets/${d.slug}`}>{d.title}</Link></h2>
            <p className="fr-text--sm fr-mb-1w">
              {t('citizens.sources.producer', { name: d.producer.name })} · {t('citizens.sources.tables', { n: d.tableCount })} · {t(`citizens.sources.access.${d.accessRights}`)}
            </p>
            <p className="fr-mb-0">{d.description}</p>
          </section>
        ))}
      </div>
      <p><Link to="/catalogue">{t('citizens.sources.catalogueLink')}</Link></p>
    </CitizensFrame>
  );
}
