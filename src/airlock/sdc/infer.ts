/**
 * A first guess of each column's role, from its name, its engine type and its values, for the
 * author to confirm: the checks are only as good as the roles (a count read as a dimension is
 * never checked against the threshold). Auxiliary columns are linked to the magnitudes and
 * statistics they describe.
 */
import { normalise, numberOf } from './cells.js';
import type { Cell, ColumnRole, ColumnSpec } from './types.js';

const has = (tokens: string[], words: string[]) => tokens.some((t) => words.includes(t));

/** Name hints, first match wins (tokens of the normalised name). */
function roleFromName(name: string): ColumnRole | null {
  const n = normalise(name);
  const t = n.split(' ');
  if (has(t, ['top1', 'max1', 'x1']) || /\btop ?1\b|\blargest\b|\bplus gros\b|\bmax contrib/.test(n)) return 'top1';
  if (has(t, ['top2', 'max2', 'x2']) || /\btop ?2\b|\bsecond\b|\bdeuxieme\b/.test(n)) return 'top2';
  if (has(t, ['units', 'contributors', 'contributeurs', 'contrib']) || /^n (units|contributeurs|contributors)$/.test(n)) return 'units';
  if (has(t, ['estimate', 'coef', 'coefficient', 'beta', 'stderr', 'se', 'pvalue', 'zvalue', 'tvalue']) || /\b(std error|p value|z value|t value|conf (low|high)|ci (low|high|lower|upper))\b/.test(n)) return 'model';
  if (
    has(t, ['mean', 'moyenne', 'moyen', 'moy', 'avg', 'average', 'median', 'mediane', 'taux', 'rate', 'ratio', 'pct', 'percent', 'pourcentage', 'proportion', 'prevalence', 'incidence', 'sd', 'std', 'ecart', 'variance', 'var', 'quantile', 'p25', 'p50', 'p75', 'p90', 'q1', 'q3', 'min', 'max', 'or', 'rr', 'hr'])
  )
    return 'statistic';
  if (has(t, ['montant', 'mnt', 'amount', 'somme', 'sum', 'cout', 'cost', 'depense', 'depenses', 'rem', 'remboursement', 'jours', 'days', 'duree', 'quantite', 'qte', 'qty'])) return 'magnitude';
  if (has(t, ['n', 'nb', 'nbr', 'nombre', 'count', 'cnt', 'effectif', 'effectifs', 'eff', 'freq', 'frequency', 'patients', 'personnes', 'beneficiaires', 'sejours', 'cas', 'cases'])) return 'count';
  if (has(t, ['annee', 'an', 'ann', 'year', 'age', 'mois', 'month', 'sexe', 'sex', 'region', 'reg', 'dep', 'dpt', 'departement', 'code', 'cod', 'classe', 'cla', 'tranche', 'categorie', 'cat', 'type', 'groupe', 'group', 'term', 'libelle', 'lib', 'label', 'periode', 'period'])) return 'dimension';
  return null;
}

const NUMERIC_TYPE = /^(tinyint|smallint|integer|int|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|float|double|real|decimal|numeric|number)\b/i;
const TEXT_OR_DATE_TYPE = /^(varchar|text|string|char|date|timestamp|time|boolean|bool|enum|uuid)\b/i;

export function inferColumns(columns: { name: string; type: string }[], rows: Cell[][]): ColumnSpec[] {
  const specs: ColumnSpec[] = columns.map((column, i) => ({ name: column.name, role: guess(column, rows.map((r) => r[i] ?? null)) }));
  link(specs);
  return specs;
}

function guess(column: { name: string; type: string }, values: Cell[]): ColumnRole {
  const present = values.filter((v) => v !== null && v !== '');
  const numbers = present.map(numberOf);
  const numeric = NUMERIC_TYPE.test(column.type) || (!TEXT_OR_DATE_TYPE.test(column.type) && present.length > 0 && numbers.every((v) => v !== null));
  const byName = roleFromName(column.name);
  if (!numeric) return byName === 'model' ? 'model' : 'dimension';
  if (byName) return byName;
  return numbers.every((v) => v === null || (Number.isInteger(v) && v >= 0)) ? 'count' : 'magnitude';
}

/**
 * Links auxiliary columns: a magnitude's top1/top2 (by shared name stem, else the only ones), a
 * magnitude's or statistic's units (by stem, else the only units column, else the only count).
 */
function link(specs: ColumnSpec[]): void {
  const stem = (name: string) =>
    normalise(name)
      .split(' ')
      .filter((t) => !['top1', 'top2', 'top', '1', '2', 'units', 'n', 'nb', 'contributeurs', 'contributors', 'mean', 'moyenne', 'sum', 'somme', 'max1', 'max2'].includes(t))
      .join(' ');
  const byRole = (role: ColumnRole) => specs.filter((s) => s.role === role);
  const choose = (target: ColumnSpec, candidates: ColumnSpec[]) => candidates.find((c) => stem(c.name) !== '' && stem(c.name) === stem(target.name)) ?? (candidates.length === 1 ? candidates[0] : undefined);
  for (const spec of specs) {
    if (spec.role === 'magnitude') {
      const top1 = choose(spec, byRole('top1'));
      const top2 = choose(spec, byRole('top2'));
      if (top1) spec.top1 = top1.name;
      if (top2) spec.top2 = top2.name;
    }
    if (spec.role === 'magnitude' || spec.role === 'statistic') {
      const units = choose(spec, byRole('units')) ?? choose(spec, byRole('count'));
      if (units) spec.units = units.name;
    }
  }
}
