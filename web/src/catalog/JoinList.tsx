/** Joins of a table or variable, split into outgoing (this table refers to) and incoming. */
import { Link } from 'react-router';
import { useI18n } from '../i18n.ts';
import { catalogPaths } from './links.ts';
import type { Join } from './types.ts';

export function JoinList({ joins, table }: { joins: Join[]; table: string }) {
  const { t } = useI18n();
  const out = joins.filter((j) => j.fromTable === table);
  const inbound = joins.filter((j) => j.fromTable !== table);
  if (joins.length === 0) return <p>{t('join.none')}</p>;
  const item = (j: Join, other: string, known: boolean, i: number) => (
    <li key={i}>
      {known ? (
        <Link to={catalogPaths.table(other)} className="fr-link">
          {other}
        </Link>
      ) : (
        <span title={t('join.unknownTable')}>{other}</span>
      )}{' '}
      — <code>{j.fromTable}.({j.fromFields.join(', ')})</code> → <code>{j.toTable}.({j.toFields.join(', ')})</code>
      {j.description && <span className="fr-text--sm"> — {j.description}</span>}
    </li>
  );
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-md-6">
        <h3 className="fr-h6">{t('join.out', { n: out.length })}</h3>
        <ul>{out.map((j, i) => item(j, j.toTable, j.toTableKnown, i))}</ul>
      </div>
      <div className="fr-col-12 fr-col-md-6">
        <h3 className="fr-h6">{t('join.in', { n: inbound.length })}</h3>
        <ul>{inbound.map((j, i) => item(j, j.fromTable, true, i))}</ul>
      </div>
    </div>
  );
}
