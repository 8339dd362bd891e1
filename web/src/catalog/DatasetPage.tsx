/** A dataset's HealthDCAT-AP metadata, its tables, RDF exports and documentation. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { AccessBadge, Facts } from './common.tsx';
import { DocumentationSection } from './Documentation.tsx';
import { catalogPaths } from './links.ts';
import type { Dataset } from './types.ts';
import { BackLink } from '../shell/BackLink.tsx';

export function DatasetPage() {
  const { slug = '' } = useParams();
  const { t, formatDate } = useI18n();
  const dataset = useQuery({ queryKey: ['catalog', 'dataset', slug], queryFn: () => api.get<Dataset>(`/api/catalog/datasets/${encodeURIComponent(slug)}`) });
  if (dataset.error) return <ErrorAlert error={dataset.error} />;
  if (!dataset.data) return <p>{t('app.loading')}</p>;
  const d = dataset.data;
  const day = (v: string | null) => (v ? formatDate(v) : null);
  const rdf = `/api/catalog/datasets/${encodeURIComponent(d.slug)}`;
  return (
    <>
      <BackLink to={catalogPaths.search}>{t('catalog.title')}</BackLink>
      <h1>{d.title}</h1>
      <p>
        <AccessBadge value={d.accessRights} /> {d.producer.name}
      </p>
      <p className="fr-text--lead">{d.description}</p>
      <ul className="fr-tags-group">
        {d.themes.map((th) => (
          <li key={th}>
            <Tag linkProps={{ to: `${catalogPaths.search}?q=${encodeURIComponent(th)}&theme=${encodeURIComponent(th)}` }}>{th}</Tag>
          </li>
        ))}
      </ul>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left">
        <li>
          <Button priority="secondary" iconId="fr-icon-git-merge-line" linkProps={{ to: catalogPaths.graph(d.slug) }}>
            {t('catalog.graphOfDataset')}
          </Button>
        </li>
        <li>
          <Button priority="tertiary" iconId="fr-icon-download-line" linkProps={{ to: `${rdf}.jsonld`, reloadDocument: true }}>
            JSON-LD (DCAT-AP)
          </Button>
        </li>
        <li>
          <Button priority="tertiary" iconId="fr-icon-download-line" linkProps={{ to: `${rdf}.ttl`, reloadDocument: true }}>
            Turtle (DCAT-AP)
          </Button>
        </li>
      </ul>

      <h2>{t('catalog.metadata')}</h2>
      <Facts
        items={[
          [t('dataset.producer'), d.producer.url ? <a href={d.producer.url} rel="noopener noreferrer">{d.producer.name}</a> : d.producer.name],
          [t('dataset.contact'), <a key="c" href={`mailto:${d.contactPoint.email}`}>{`${d.contactPoint.name} <${d.contactPoint.email}>`}</a>],
          [t('dataset.keywords'), d.keywords.join(', ')],
          [t('dataset.temporal'), d.temporalCoverage.start || d.temporalCoverage.end ? `${day(d.temporalCoverage.start) ?? '…'} → ${day(d.temporalCoverage.end) ?? '…'}` : null],
          [t('dataset.spatial'), d.spatialCoverage],
          [t('dataset.frequency'), d.updateFrequency],
          [t('dataset.legalBasis'), d.legalBasis],
          [t('dataset.records'), d.numberOfRecords?.toLocaleString() ?? null],
          [t('dataset.individuals'), d.numberOfUniqueIndividuals?.toLocaleString() ?? null],
          [t('dataset.population'), d.populationCoverage],
          [t('dataset.coding'), d.codingSystems.join(', ')],
          [t('dataset.quality'), d.qualityAnnotations],
          [t('dataset.version'), d.version],
          [t('dataset.issued'), day(d.issued)],
          [t('dataset.modified'), day(d.modified)],
          [t('dataset.licence'), d.licence],
          [t('dataset.landingPage'), d.landingPage ? <a href={d.landingPage} rel="noopener noreferrer">{d.landingPage}</a> : null],
        ]}
      />

      <h2>{t('catalog.tables')}</h2>
      {d.tables.length === 0 ? (
        <p>{t('catalog.noTables')}</p>
      ) : (
        <Table
          fixed={false}
          headers={[t('table.name'), t('table.product'), t('table.title'), t('table.variableCount')]}
          data={d.tables.map((tb) => [
            <Link key="n" to={catalogPaths.table(tb.name)}>
              {tb.name}
            </Link>,
            tb.product,
            tb.title,
            tb.variableCount,
          ])}
        />
      )}
      <DocumentationSection subjectType="dataset" subjectKey={d.slug} />
    </>
  );
}
