/** A variable: its definition, the tables that have a variable of the same name, the joins using it. */
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
import type { VariableDetail } from './types.ts';
import { BackLink } from '../shell/BackLink.tsx';

export function VariablePage() {
  const { name = '', variable = '' } = useParams();
  const { t } = useI18n();
  const detail = useQuery({
    queryKey: ['catalog', 'variable', name, variable],
    queryFn: () => api.get<VariableDetail>(`/api/catalog/tables/${encodeURIComponent(name)}/variables/${encodeURIComponent(variable)}`),
  });
  if (detail.error) return <ErrorAlert error={detail.error} />;
  if (!detail.data) return <p>{t('app.loading')}</p>;
  const { table, variable: v, usedIn, joins, changes } = detail.data;
  return (
    <>
      <BackLink to={catalogPaths.table(table.name)}>{table.name} — {table.title}</BackLink>
      <h1>
        <code>{v.name}</code>
      </h1>
      <p className="fr-text--lead">
        {v.label} <SensitivityBadge value={v.sensitivity} />
      </p>
      <Facts
        items={[
          [t('var.table'), <Link key="t" to={catalogPaths.table(table.name)}>{`${table.name} (${table.product})`}</Link>],
          [t('var.type'), v.type],
          [t('var.length'), v.length],
          [t('var.format'), v.format],
          [t('var.nomenclature'), v.nomenclature ? <Link key="n" to={catalogPaths.nomenclature(v.nomenclature)}>{v.nomenclature}{v.nomenclatureColumn ? ` (${v.nomenclatureColumn})` : ''}</Link> : null],
          [t('var.created'), v.dateCreated],
          [t('var.deleted'), v.dateDeleted],
          [t('var.missing'), v.dateMissing.join(', ')],
          [t('var.rule'), v.managementRule],
          [t('var.observation'), v.observation],
        ]}
      />
      <h2>{t('var.usedIn', { n: usedIn.length })}</h2>
      {usedIn.length === 0 ? (
        <p>{t('var.usedNowhereElse')}</p>
      ) : (
        <Table
          fixed={false}
          headers={[t('table.name'), t('table.product'), t('var.label'), t('var.type'), t('var.length'), t('var.nomenclature')]}
          data={usedIn.map((u) => [
            <Link key="t" to={catalogPaths.variable(u.table, v.name)}>
              {u.table}
            </Link>,
            u.product,
            u.label,
            u.type,
            u.length ?? '',
            u.nomenclature ?? '',
          ])}
        />
      )}
      <h2>{t('var.joins')}</h2>
      <JoinList joins={joins} table={table.name} />
      <DocumentationSection subjectType="variable" subjectKey={`${table.name}.${v.name}`} />
      <h2 className="fr-mt-6w">{t('table.history')}</h2>
      <ChangeList changes={changes} />
    </>
  );
}
