/**
 * The additive structure of a table: which cells are the sum of which others. SDC-03 (no hidden
 * cell recomputable from margins), SDC-08 (totals consistent with rounded cells) and the
 * secondary suppression of ./fix.ts read the same relations.
 *
 * Two shapes are recognised, and combine:
 * - *long* tables (one row per combination of dimensions, GROUPING SETS style): for each
 *   dimension d and each combination of the other dimensions, the row whose d is a margin label
 *   (Total, Ensemble, All, Tous, empty…) is the sum of the rows whose d is a category;
 * - *wide* tables: among the count (or magnitude) columns, one whose name says Total is the sum of
 *   the others, row by row.
 * Hierarchies inside one dimension (region ⊃ département) and totals in separate files are not seen.
 *
 * A family of relations (one dimension × one column, or one Total column) is kept as additive unless
 * most of its fully known lines disagree beyond the tolerance: counts of distinct patients over a
 * dimension where a patient falls in several categories are not additive, and must not make
 * SDC-03 fail. A family with no fully known line is assumed additive (the cautious choice).
 */
import { columnsWithRole, dimensionKey, isTotalColumnName, stateOf } from './cells.js';
import type { ColumnSpec, SdcTable } from './types.js';

export interface CellRef {
  row: number;
  column: string;
}

export interface Relation {
  /** `dim:<dimension>:<column>` or `columns:<total column>`. */
  family: string;
  total: CellRef;
  parts: CellRef[];
}

export interface LineCheck {
  relation: Relation;
  /** Present when every cell of the line is a number. */
  total?: number;
  sum?: number;
  consistent?: boolean;
  tolerance: number;
}

export interface TableStructure {
  /** Relations of the additive families (what an attacker may solve). */
  relations: Relation[];
  /** Every line checked, additive families or not (SDC-08 reads the inconsistent ones). */
  lines: LineCheck[];
  /** Families dropped because their known lines do not add up. */
  nonAdditive: string[];
  /** True when the table has at least one total row or column. */
  hasMargins: boolean;
}

/**
 * How far a total may be from the sum of its `parts` parts and still be read as their sum: exact
 * for unrounded counts; (m+1)/2 × base for counts rounded to `base` (each of the m parts and the
 * total rounded independently to the nearest multiple, a multiple of base); (m+1)/2 for magnitudes
 * (amounts rounded to the unit), plus a relative 1e-9 for floating sums.
 */
export function additivityTolerance(role: ColumnSpec['role'], parts: number, roundingBase: number | null, total: number): number {
  const relative = 1e-9 * Math.abs(total);
  if (role === 'count') return (roundingBase ? Math.floor((parts + 1) / 2) * roundingBase : 0) + relative;
  return (parts + 1) / 2 + relative;
}

export function additiveStructure(table: SdcTable, roundingBase: number | null): TableStructure {
  const candidates = [...longRelations(table), ...wideRelations(table)];
  const index = new Map(table.columns.map((c, i) => [c.name, i]));
  const role = new Map(table.columns.map((c) => [c.name, c.role]));
  const valueOf = (ref: CellRef): number | null => {
    const s = stateOf(table.rows[ref.row]?.[index.get(ref.column)!] ?? null);
    return s.kind === 'number' ? s.value : null;
  };
  const lines: LineCheck[] = candidates.map((relation) => {
    const total = valueOf(relation.total);
    const parts = relation.parts.map(valueOf);
    const tolerance = additivityTolerance(role.get(relation.total.column) ?? 'count', parts.length, roundingBase, total ?? 0);
    if (total === null || parts.some((p) => p === null)) return { relation, tolerance };
    const sum = (parts as number[]).reduce((a, b) => a + b, 0);
    return { relation, total, sum, consistent: Math.abs(total - sum) <= tolerance, tolerance };
  });
  const verdicts = new Map<string, { ok: number; bad: number }>();
  for (const l of lines) {
    const v = verdicts.get(l.relation.family) ?? { ok: 0, bad: 0 };
    if (l.consistent === true) v.ok++;
    if (l.consistent === false) v.bad++;
    verdicts.set(l.relation.family, v);
  }
  const nonAdditive = [...verdicts].filter(([, v]) => v.bad > v.ok).map(([f]) => f);
  const dropped = new Set(nonAdditive);
  return { relations: candidates.filter((r) => !dropped.has(r.family)), lines, nonAdditive, hasMargins: candidates.length > 0 };
}

/** Long tables: per dimension, the margin row of each combination of the other dimensions. */
function longRelations(table: SdcTable): Relation[] {
  const dims = table.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'dimension');
  const values = table.columns.filter((c) => c.role === 'count' || c.role === 'magnitude');
  if (dims.length === 0 || values.length === 0) return [];
  const keys = table.rows.map((r) => dims.map(({ i }) => dimensionKey(r[i] ?? null)));
  const relations: Relation[] = [];
  dims.forEach(({ c: dim }, d) => {
    const groups = new Map<string, { totals: number[]; parts: Map<string, number[]> }>();
    keys.forEach((key, row) => {
      const rest = key.filter((_, j) => j !== d).join('\u0001');
      const g = groups.get(rest) ?? { totals: [], parts: new Map<string, number[]>() };
      if (key[d] === '#total') g.totals.push(row);
      else {
        const rows = g.parts.get(key[d]!);
        if (rows) rows.push(row);
        else g.parts.set(key[d]!, [row]);
      }
      groups.set(rest, g);
    });
    for (const g of groups.values()) {
      // One margin row and categories that each appear once: anything else is not a clean sum.
      if (g.totals.length !== 1 || g.parts.size === 0 || [...g.parts.values()].some((rows) => rows.length !== 1)) continue;
      const partRows = [...g.parts.values()].map((rows) => rows[0]!);
      for (const v of values) {
        relations.push({ family: `dim:${dim.name}:${v.name}`, total: { row: g.totals[0]!, column: v.name }, parts: partRows.map((row) => ({ row, column: v.name })) });
      }
    }
  });
  return relations;
}

/** Wide tables: a Total column, per role, is the sum of the other columns of that role. */
function wideRelations(table: SdcTable): Relation[] {
  const relations: Relation[] = [];
  for (const role of ['count', 'magnitude'] as const) {
    const cols = columnsWithRole(table, role);
    const totals = cols.filter((c) => isTotalColumnName(c.name));
    if (totals.length !== 1 || cols.length < 2) continue;
    const total = totals[0]!;
    const parts = cols.filter((c) => c !== total);
    table.rows.forEach((_, row) => {
      relations.push({ family: `columns:${total.name}`, total: { row, column: total.name }, parts: parts.map((p) => ({ row, column: p.name })) });
    });
  }
  return relations;
}

/**
 * Lines of counts whose total exceeds the sum of its categories by less than the threshold (beyond
 * the rounding tolerance): a category left out of the table is then an implicit suppressed cell,
 * recomputable as the gap. Overlapping categories make a total smaller than the sum, never larger,
 * so this holds for non-additive families too.
 */
export function smallGaps(table: SdcTable, structure: TableStructure, threshold: number): (LineCheck & { gap: number })[] {
  const counts = new Set(table.columns.filter((c) => c.role === 'count').map((c) => c.name));
  return structure.lines
    .filter((l) => counts.has(l.relation.total.column) && l.total !== undefined && l.sum !== undefined)
    .map((l) => ({ ...l, gap: l.total! - l.sum! }))
    .filter((l) => l.gap > l.tolerance && l.gap < threshold);
}

export function refKey(ref: CellRef): string {
  return `${ref.row}\u0001${ref.column}`;
}
