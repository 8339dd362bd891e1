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
 * is no total, then one large enough to protect (a count: non-zero, since a zero complement leaves
 * the primary's upper bound exact, and the counts left are at or above the threshold; a magnitude:
 * at least p % of the cell, τ-Argus's protection level in spirit), then one whose other lines
 * already hold a hidden cell (no cascade), then the smallest. The loop stops when nothing is determined; each turn hides at least one more
 * cell, so it ends. A statistic whose units count ends up hidden is hidden too.
 */
import { cellFindings, hiddenValueOf } from './check.js';
import { columnIndex, isTotalColumnName, stateOf } from './cells.js';
import { recomputeHidden } from './recompute.js';
import { additiveStructure, refKey, smallGaps, type CellRef, type Relation, type TableStructure } from './structure.js';
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
  const suppressed: ProposedFix['suppressed'] = [];
  const lines = new Lines(table, working, settings.roundingBase, base ?? null);
  // Reads the working table live: a complement hidden for one cell is seen when choosing the next.
  const valueOf = hiddenValueOf(working);
  const done = new Set<string>();
  const hide = (ref: CellRef, primary: boolean) => {
    const key = refKey(ref);
    if (done.has(key)) return;
    done.add(key);
    if (valueOf(ref) !== null) lines.hidden(ref);
    suppressed.push({ row: ref.row, column: ref.column, primary });
    working.rows[ref.row]![index.get(ref.column)!] = SUPPRESSED;
  };

  // Primary suppression: failing cells of the original table, and of the rounded one.
  const primaries = [...cellFindings(table, settings), ...(rounded ? cellFindings(working, settings) : [])];
  for (const f of primaries) {
    if (f.verdict === 'fail' && PRIMARY_CODES.has(f.code) && f.row !== null && f.column !== null) hide({ row: f.row, column: f.column }, true);
  }
  lines.recount(valueOf);

  // A category left out of a line with a small gap is an implicit suppressed cell: hide a complement beside it.
  for (const gap of smallGaps(table, lines.original, settings.threshold)) {
    const chosen = lines.cheapest(gap.relation.parts, valueOf, 1);
    if (chosen) hide(chosen, false);
  }

  for (;;) {
    const { determined } = recomputeHidden(lines.all, valueOf);
    if (determined.length === 0) {
      // Stable for these relations: hide statistics left without units, re-read the structure, and go on if either changed.
      if (!hideStatisticsOfHiddenUnits(working, hide) && !lines.refresh(valueOf)) break;
      continue;
    }
    const touched = new Set<Relation>();
    let added = 0;
    for (const d of determined) {
      const own = lines.of(d.ref);
      const lonely = own.filter((l) => lines.hiddenIn(l) === 1);
      // A line where it is alone gets a complement; a cell found through the whole system gets one in
      // a line of its own, unless this turn already changed one (the next turn tells).
      if (lonely.length === 0 && own.some((l) => touched.has(l))) continue;
      for (const pool of lonely.length > 0 ? lonely.map((l) => [l]) : [own]) {
        if (lonely.length > 0 && lines.hiddenIn(pool[0]!) !== 1) continue; // an earlier complement already joined it
        const chosen = lines.cheapest(
          pool.flatMap((l) => [l.total, ...l.parts]),
          valueOf,
          protection(d.ref, d.value),
        );
        if (!chosen) continue;
        hide(chosen, false);
        for (const l of lines.of(chosen)) touched.add(l);
        added++;
      }
    }
    if (added === 0) break; // nothing left to hide around the determined cells (the re-check reports them)
  }
  return { table: working, suppressed, rounded };

  /**
   * The least a complement must hold to protect a cell: for a count, any non-zero value (the other
   * counts left are at or above the threshold); for a magnitude, p % of the cell, so that the
   * attacker's upper bound (cell + complement) stays p % away from the truth.
   */
  function protection(ref: CellRef, value: number): number {
    const role = table.columns.find((c) => c.name === ref.column)?.role;
    return role === 'magnitude' ? Math.max((settings.pPercent / 100) * Math.abs(value), Number.MIN_VALUE) : 1;
  }
}

/**
 * The relations an attacker can use while the table is being fixed — the original table's, and
 * those the re-check will read on the working table (a family whose inconsistent lines get hidden
 * is then assumed additive; tolerance of the settings' and of the asked rounding base) — with the
 * number of hidden cells of each line, kept up to date as cells are hidden.
 */
class Lines {
  readonly original: TableStructure;
  all: Relation[] = [];
  private readonly byCell = new Map<string, Relation[]>();
  private readonly counts = new Map<Relation, number>();
  private keys = new Set<string>();
  private readonly totals: Set<string>;
  private readonly wideTotals: Set<string>;

  constructor(
    table: SdcTable,
    private readonly working: SdcTable,
    private readonly settingsBase: number | null,
    private readonly base: number | null,
  ) {
    this.original = additiveStructure(table, settingsBase);
    this.totals = new Set(this.original.lines.map((l) => refKey(l.relation.total)));
    this.wideTotals = new Set(table.columns.filter((c) => isTotalColumnName(c.name)).map((c) => c.name));
    this.read();
  }

  /** Re-reads the relations from the working table; true when some are new. */
  refresh(valueOf: (ref: CellRef) => number | null): boolean {
    const grew = this.read();
    this.recount(valueOf);
    return grew;
  }

  private read(): boolean {
    const relations = new Map<string, Relation>();
    const now = [additiveStructure(this.working, this.settingsBase), ...(this.base && this.base !== this.settingsBase ? [additiveStructure(this.working, this.base)] : [])];
    for (const r of [...this.original.relations, ...now.flatMap((x) => x.relations)]) relations.set(`${r.family}\u0002${refKey(r.total)}`, r);
    this.all = [...relations.values()];
    this.byCell.clear();
    for (const line of this.all) {
      for (const ref of [line.total, ...line.parts]) {
        const own = this.byCell.get(refKey(ref));
        if (own) own.push(line);
        else this.byCell.set(refKey(ref), [line]);
      }
    }
    const grew = [...relations.keys()].some((k) => !this.keys.has(k));
    this.keys = new Set(relations.keys());
    return grew;
  }

  recount(valueOf: (ref: CellRef) => number | null): void {
    this.counts.clear();
    for (const l of this.all) this.counts.set(l, [l.total, ...l.parts].filter((ref) => valueOf(ref) === null).length);
  }

  hidden(ref: CellRef): void {
    for (const l of this.of(ref)) this.counts.set(l, (this.counts.get(l) ?? 0) + 1);
  }

  of(ref: CellRef): Relation[] {
    return this.byCell.get(refKey(ref)) ?? [];
  }

  hiddenIn(line: Relation): number {
    return this.counts.get(line) ?? 0;
  }

  isTotal(ref: CellRef): boolean {
    return this.totals.has(refKey(ref)) || this.wideTotals.has(ref.column);
  }

  /** The complement to hide: no total, then at least `required`, then fewest lines left with a lone suppression, then smallest. */
  cheapest(candidates: CellRef[], valueOf: (ref: CellRef) => number | null, required: number): CellRef | undefined {
    let best: { ref: CellRef; cost: number[] } | undefined;
    for (const ref of candidates) {
      const v = valueOf(ref);
      if (v === null) continue;
      const value = Math.abs(v);
      const cascade = this.of(ref).filter((l) => this.hiddenIn(l) === 0).length;
      const cost = [this.isTotal(ref) ? 1 : 0, value < required ? 1 : 0, cascade, value, ref.row];
      if (!best || compare(cost, best.cost) < 0 || (compare(cost, best.cost) === 0 && ref.column < best.ref.column)) best = { ref, cost };
    }
    return best?.ref;
  }
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
