/**
 * Proposed fixes (EXP-05, EXP-06, SDC-08): rounding, primary suppression of the failing cells,
 * secondary suppression until no suppressed cell can be recomputed from the margins. The author
 * applies them on request to a new version of the file, which is checked again.
 *
 * Order: counts are rounded first (when a base is asked), so a cell that rounding brings under the
 * threshold is suppressed too. Each count and each total is rounded on its own to the nearest
 * multiple (half away from zero): every published value stays within base/2 of the truth and the
 * totals within ⌊(m+1)/2⌋ × base of their rounded cells (the SDC-08 tolerance); recomputing totals
 * from rounded cells would make them drift by up to m × base/2 for nothing.
 *
 * Primary cells: the SDC-01, SDC-04 and SDC-05 failures of the original table (and SDC-01 of the
 * rounded one). Secondary cells: while ./recompute.ts finds a hidden cell determined by the
 * table's additive relations, a complement is hidden in one of its lines — preferring a cell that
 * is no total, then a non-zero one (a zero complement leaves the primary's upper bound exact), then
 * one whose other lines already hold a hidden cell (no cascade), then the smallest. Non-zero cells
 * left unhidden are at or above the threshold, so a complement widens the attacker's interval by at
 * least the threshold. The loop stops when nothing is determined; each turn hides at least one more
 * cell, so it ends. A statistic whose units count ends up hidden is hidden too.
 */
import { checkTable, hiddenValueOf } from './check.js';
import { columnIndex, isTotalColumnName, stateOf } from './cells.js';
import { recomputeHidden } from './recompute.js';
import { additiveStructure, refKey, smallGaps, type CellRef, type Relation } from './structure.js';
import type { Cell, SdcSettings, SdcTable } from './types.js';
import { SUPPRESSED } from './types.js';

export interface ProposedFix {
  table: SdcTable;
  suppressed: { row: number; column: string; primary: boolean }[];
  rounded: boolean;
}

const PRIMARY_CODES = new Set(['sdc.count_below_threshold', 'sdc.negative_count', 'sdc.units_below_threshold', 'sdc.dominance', 'sdc.p_percent']);

export function proposeFix(table: SdcTable, settings: SdcSettings, options: { suppress: boolean; roundingBase?: number | null }): ProposedFix {
  const base = options.roundingBase === undefined ? settings.roundingBase : options.roundingBase;
  const working: SdcTable = { ...table, rows: table.rows.map((r) => [...r]) };
  if (base) roundCounts(working, base);
  const rounded = Boolean(base);
  if (!options.suppress) return { table: working, suppressed: [], rounded };

  const index = columnIndex(table);
  const hidden = new Set<string>();
  const suppressed: ProposedFix['suppressed'] = [];
  const hide = (ref: CellRef, primary: boolean) => {
    const key = refKey(ref);
    if (hidden.has(key)) return;
    hidden.add(key);
    suppressed.push({ row: ref.row, column: ref.column, primary });
    working.rows[ref.row]![index.get(ref.column)!] = SUPPRESSED;
  };

  // Primary suppression: failing cells of the original table, and of the rounded one.
  const noEarlier = { ...settings, differencing: false };
  const primaries = [...checkTable(table, noEarlier, []).findings, ...(rounded ? checkTable(working, noEarlier, []).findings : [])];
  for (const f of primaries) {
    if (f.verdict === 'fail' && PRIMARY_CODES.has(f.code) && f.row !== null && f.column !== null) hide({ row: f.row, column: f.column }, true);
  }

  // The relations an attacker can use: the original table's, and those the re-check will read on
  // the table as it is being fixed (a family whose inconsistent lines get hidden is then assumed
  // additive, with the tolerance of the settings' and of the asked rounding base). Refreshed each turn.
  const original = additiveStructure(table, settings.roundingBase);
  const totals = new Set(original.lines.map((l) => refKey(l.relation.total)));
  const wideTotals = new Set(table.columns.filter((c) => isTotalColumnName(c.name)).map((c) => c.name));
  const isTotal = (ref: CellRef) => totals.has(refKey(ref)) || wideTotals.has(ref.column);
  let lines: Relation[] = [];
  const linesOf = new Map<string, Relation[]>();
  const refresh = () => {
    const relations = new Map<string, Relation>();
    const now = [additiveStructure(working, settings.roundingBase), ...(base && base !== settings.roundingBase ? [additiveStructure(working, base)] : [])];
    for (const r of [...original.relations, ...now.flatMap((x) => x.relations)]) relations.set(`${r.family}\u0002${refKey(r.total)}`, r);
    lines = [...relations.values()];
    linesOf.clear();
    for (const line of lines) {
      for (const ref of [line.total, ...line.parts]) {
        const own = linesOf.get(refKey(ref));
        if (own) own.push(line);
        else linesOf.set(refKey(ref), [line]);
      }
    }
  };
  refresh();

  const cheapest = (candidates: CellRef[], valueOf: (ref: CellRef) => number | null): CellRef | undefined => {
    const hiddenIn = (l: Relation) => [l.total, ...l.parts].filter((ref) => valueOf(ref) === null).length;
    const cost = (ref: CellRef) => {
      const value = Math.abs(valueOf(ref)!);
      const cascade = (linesOf.get(refKey(ref)) ?? []).filter((l) => hiddenIn(l) === 0).length;
      return [isTotal(ref) ? 1 : 0, value === 0 ? 1 : 0, cascade, value, ref.row];
    };
    return candidates.filter((ref) => valueOf(ref) !== null).sort((a, b) => compare(cost(a), cost(b)) || a.column.localeCompare(b.column))[0];
  };

  // A category left out of a line with a small gap is an implicit suppressed cell: hide a complement beside it.
  for (const gap of smallGaps(table, original, settings.threshold)) {
    const valueOf = hiddenValueOf(working);
    const chosen = cheapest(gap.relation.parts, valueOf);
    if (chosen) hide(chosen, false);
  }

  for (;;) {
    refresh();
    const valueOf = hiddenValueOf(working);
    const { determined } = recomputeHidden(lines, valueOf);
    if (determined.length === 0) {
      if (!hideStatisticsOfHiddenUnits(working, hide)) break;
      continue;
    }
    const touched = new Set<Relation>();
    let added = 0;
    for (const d of determined) {
      const own = linesOf.get(refKey(d.ref)) ?? [];
      if (own.some((l) => touched.has(l))) continue; // wait for the next turn: this turn's additions may have fixed it
      const hiddenIn = (l: Relation) => [l.total, ...l.parts].filter((ref) => valueOf(ref) === null).length;
      const single = own.filter((l) => hiddenIn(l) === 1);
      const chosen = cheapest((single.length > 0 ? single : own).flatMap((l) => [l.total, ...l.parts]), valueOf);
      if (!chosen) continue;
      hide(chosen, false);
      for (const l of linesOf.get(refKey(chosen)) ?? []) touched.add(l);
      for (const l of own) touched.add(l);
      added++;
    }
    if (added === 0) break; // nothing left to hide around the determined cells (the re-check reports them)
  }
  return { table: working, suppressed, rounded };
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Rounds every numeric count (totals included) to the nearest multiple of `base`, half away from zero. */
function roundCounts(table: SdcTable, base: number): void {
  const counts = table.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'count');
  for (const row of table.rows) {
    for (const { i } of counts) {
      const s = stateOf(row[i] ?? null);
      if (s.kind === 'number') row[i] = roundTo(s.value, base);
    }
  }
}

export function roundTo(value: number, base: number): number {
  return Math.sign(value) * Math.round(Math.abs(value) / base) * base || 0;
}

/** A statistic or magnitude whose units cell is hidden would be published over an unknown number of units: hide it too. */
function hideStatisticsOfHiddenUnits(table: SdcTable, hide: (ref: CellRef, primary: boolean) => void): boolean {
  const index = columnIndex(table);
  let any = false;
  for (const column of table.columns) {
    if ((column.role !== 'statistic' && column.role !== 'magnitude') || !column.units) continue;
    const unitsRole = table.columns.find((c) => c.name === column.units)?.role;
    if (unitsRole !== 'count') continue; // auxiliary units are never published, never hidden
    table.rows.forEach((row, r) => {
      const units: Cell = row[index.get(column.units!)!] ?? null;
      const cell = stateOf(row[index.get(column.name)!] ?? null);
      if (stateOf(units).kind === 'hidden' && cell.kind === 'number') {
        hide({ row: r, column: column.name }, false);
        any = true;
      }
    });
  }
  return any;
}
