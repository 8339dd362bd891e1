/** A table: its variables, joins, history, Frictionless schema, synthetic sample and documentation. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { ChangeList, Facts, SensitivityBadge } from './common.tsx';
import { DocumentationSection } from './Documentation.tsx';
import { JoinList } from './JoinList.tsx';
import { catalogPaths } from './links.ts';
import { SyntheticSample } from './SyntheticSample.tsx';
import type { Table as CatalogTable } from './types.ts';
import { BackLink } from '../shell/BackLink.tsx';

export function TablePage() {
  const { name = '' } = useParams();
  const { t, formatDateTime } = useI18n();
  const table = useQuery({ queryKey: ['catalog', 'table', name], queryFn: () => api.get<CatalogTable>(`/api/catalog/tables/${encodeURIComponent(name)}`) });
  if (table.error) return <ErrorAlert error={table.error} />;
  if (!table.data) return <p>{t('app.loading')}</p>;
  const d = table.data;
  return (
    <>
      <BackLink to={catalogPaths.search}>{t('catalog.title')}</BackLink>
      <h1>
        {d.name} <span className="fr-text--lead">{d.product}</span>
      </h1>
      <p className="fr-text--lead">{d.title}</p>
      {d.description && <p>{d.description}</p>}
      <Facts
        items={[
          [t('table.datasets'), d.datasets.length ? d.datasets.map((x, i) => <span key={x.slug}>{i > 0 && ', '}<Link to={catalogPaths.dataset(x.slug)}>{x.title}</Link></span>) : null],
          [t('table.scope'), d.scope],
          [t('table.primaryKey'), d.primaryKey.join(', ')],
          [t('table.namePattern'), d.namePattern],
          [t('table.created'), d.history.dateCreated],
          [t('table.deleted'), d.history.dateDeleted],
          [t('table.missing'), d.history.dateMissing.join(', ')],
          [t('table.revision'), `${d.revision} — ${formatDateTime(d.updatedAt)}`],
          [t('table.source'), d.source],
        ]}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left">
        <li>
          <Button priority="tertiary" iconId="fr-icon-download-line" linkProps={{ to: `/api/catalog/tables/${encodeURIComponent(d.name)}/table-schema.json`, reloadDocument: true }}>
            {t('table.frictionless')}
          </Button>
        </li>
        <li>
          <Button priority="tertiary" iconId="fr-icon-git-merge-line" linkProps={{ to: catalogPaths.graph(d.datasets[0]?.slug) }}>
            {t('catalog.graph')}
          </Button>
        </li>
        <li>
          <Button priority="tertiary" iconId="fr-icon-code-s-slash-line" linkProps={{ to: `${catalogPaths.programs}?table=${encodeURIComponent(d.name)}` }}>
            {t('table.programs')}
          </Button>
        </li>
      </ul>

      <h2>{t('table.variables', { n: d.variables.length })}</h2>
      <div className="hdh-scroll">
        <Table
          className="hdh-variables"
          fixed={false}
          headers={[t('var.name'), t('var.label'), t('var.type'), t('var.length'), t('var.nomenclature'), t('var.sensitivity'), t('var.created'), t('var.deleted')]}
          data={d.variables.map((v) => [
            <Link key="n" to={catalogPaths.variable(d.name, v.name)}>
              <code>{v.name}</code>
            </Link>,
            v.label,
            v.type,
            v.length ?? '',
            v.nomenclature ? (
              <Link key="m" to={catalogPaths.nomenclature(v.nomenclature)}>
                {v.nomenclature}
              </Link>
            ) : (
              ''
            ),
            <SensitivityBadge key="s" value={v.sensitivity} />,
            v.dateCreated ?? '',
            v.dateDeleted ?? '',
          ])}
        />
      </div>

      <h2>{t('table.joins')}</h2>
      <JoinList joins={d.joins} table={d.name} />

      <SyntheticSample table={d.name} namePattern={d.namePattern} />
      <DocumentationSection subjectType="table" subjectKey={d.name} />

      <h2 className="fr-mt-6w">{t('table.history')}</h2>
      <ChangeList changes={d.changes} />
    </>
  );
}
