/**
 * The automatic disclosure checks of one table (contrôle du secret statistique), SDC-01..SDC-09:
 * every cell graded, every finding located (row, column) with the values that made the verdict.
 * Pure: the table, the settings (the strictest over the hub and the perimeter's datasets) and the
 * project's earlier releases in, a report out. Rules and their limits: docs/adr/0014-disclosure-control.md.
 */
import './messages.js';
import { cellLabel, columnIndex, stateOf } from './cells.js';
import { differencingRule } from './differencing.js';
import { finding, formatNumber, worst, type RuleResult } from './finding.js';
import { recomputeHidden } from './recompute.js';
import { rowLevelRule } from './row-level.js';
import { additiveStructure, smallGaps, type CellRef, type TableStructure } from './structure.js';
import type { EarlierRelease, FileReport, Finding, RuleId, SdcSettings, SdcTable } from './types.js';

export function checkTable(table: SdcTable, settings: SdcSettings, earlier: EarlierRelease[]): FileReport {
  const structure = additiveStructure(table, settings.roundingBase);
  const results: [RuleId, RuleResult][] = [
    ['SDC-01', thresholdRule(table, settings)],
    ['SDC-02', zeroRule(table, settings)],
    ['SDC-03', recomputationRule(table, settings, structure)],
    ['SDC-04', dominanceRule(table, settings)],
    ['SDC-05', pPercentRule(table, settings)],
    ['SDC-06', modelRule(table, settings)],
    ['SDC-07', rowLevelRule(table, settings)],
    ['SDC-08', roundingRule(table, settings, structure)],
    ['SDC-09', differencingRule(table, settings, earlier)],
  ];
  const rules = results.map(([rule, r]) => ({
    rule,
    verdict: worst(r.findings.map((f) => f.verdict)),
    ...(r.skipped ? { skipped: r.skipped } : {}),
  }));
  const findings = results.flatMap(([, r]) => r.findings);
  return { verdict: worst(rules.map((r) => r.verdict)), rules, findings, settings };
}

/** The cell of a row in a column, by name. */
function cellAt(table: SdcTable, index: Map<string, number>, row: number, column: string) {
  const i = index.get(column);
  return stateOf(i === undefined ? null : (table.rows[row]?.[i] ?? null));
}

/**
 * SDC-01: a count below the threshold (0 excepted: SDC-02), a magnitude or statistic computed over
 * fewer units than the threshold; negative, empty and non-numeric cells get their own finding.
 */
function thresholdRule(table: SdcTable, settings: SdcSettings): RuleResult {
  const { threshold } = settings;
  const index = columnIndex(table);
  const findings: Finding[] = [];
  const graded = table.columns.filter((c) => c.role === 'count' || c.role === 'magnitude' || c.role === 'statistic');
  if (graded.length === 0) return { findings, skipped: 'sdc.skip.no_counts' };
  for (const column of graded) {
    const at = (row: number | null) => ({ row, column: column.name });
    const unitsColumn = column.units && index.has(column.units) ? column.units : null;
    if (column.role !== 'count' && !unitsColumn) {
      findings.push(finding(table, 'SDC-01', 'review', at(null), 'sdc.units_missing', {}, { role: column.role }));
    }
    table.rows.forEach((_, row) => {
      const cell = cellAt(table, index, row, column.name);
      if (cell.kind === 'hidden') {
        if (!cell.marker) findings.push(finding(table, 'SDC-01', 'review', at(row), 'sdc.empty_cell', {}));
        return;
      }
      if (cell.kind === 'text') {
        findings.push(finding(table, 'SDC-01', 'review', at(row), 'sdc.not_a_number', { text: cell.text }, { role: column.role }));
        return;
      }
      if (column.role === 'count') {
        const value = cell.value;
        if (value < 0) findings.push(finding(table, 'SDC-01', -value < threshold ? 'fail' : 'review', at(row), 'sdc.negative_count', { value, threshold }));
        else if (value > 0 && value < threshold) findings.push(finding(table, 'SDC-01', 'fail', at(row), 'sdc.count_below_threshold', { value, threshold }));
        return;
      }
      if (!unitsColumn) return;
      const units = cellAt(table, index, row, unitsColumn);
      if (units.kind !== 'number') {
        findings.push(finding(table, 'SDC-01', 'review', at(row), 'sdc.units_unknown', { value: cell.value }, { unitsColumn }));
      } else if (units.value < threshold) {
        findings.push(finding(table, 'SDC-01', 'fail', at(row), 'sdc.units_below_threshold', { value: cell.value, units: units.value, threshold }, { unitsColumn }));
      }
    });
  }
  return { findings };
}

/** SDC-02: zero counts are reviewed (a zero tells that nobody in the group has the attribute), unless the setting passes them. */
function zeroRule(table: SdcTable, settings: SdcSettings): RuleResult {
  const counts = table.columns.filter((c) => c.role === 'count');
  if (counts.length === 0) return { findings: [], skipped: 'sdc.skip.no_count_column' };
  if (settings.zeroCells === 'pass') return { findings: [] };
  const index = columnIndex(table);
  const findings: Finding[] = [];
  for (const column of counts) {
    table.rows.forEach((_, row) => {
      const cell = cellAt(table, index, row, column.name);
      if (cell.kind === 'number' && cell.value === 0) findings.push(finding(table, 'SDC-02', 'review', { row, column: column.name }, 'sdc.zero_cell', { value: 0 }));
    });
  }
  return { findings };
}

/** Hidden cells (suppressed, empty or text) of the additive columns. */
export function hiddenValueOf(table: SdcTable): (ref: CellRef) => number | null {
  const index = columnIndex(table);
  return (ref) => {
    const cell = cellAt(table, index, ref.row, ref.column);
    return cell.kind === 'number' ? cell.value : null;
  };
}

/** SDC-03: no hidden cell may be recomputable from the published cells and margins (./recompute.ts). */
function recomputationRule(table: SdcTable, settings: SdcSettings, structure: TableStructure): RuleResult {
  const additive = table.columns.filter((c) => c.role === 'count' || c.role === 'magnitude');
  const valueOf = hiddenValueOf(table);
  // A category left out of a table with totals is a suppressed cell too, given away by the gap.
  const gaps = smallGaps(table, structure, settings.threshold).map((l) =>
    finding(table, 'SDC-03', 'fail', l.relation.total, 'sdc.missing_category', { total: l.total!, sum: l.sum!, gap: formatNumber(l.gap), threshold: settings.threshold }),
  );
  const anyHidden = additive.some((c) => table.rows.some((_, row) => valueOf({ row, column: c.name }) === null));
  if (!anyHidden) return gaps.length > 0 ? { findings: gaps } : { findings: [], skipped: structure.hasMargins ? 'sdc.skip.no_hidden' : 'sdc.skip.no_margins' };
  if (structure.relations.length === 0) return { findings: gaps, skipped: 'sdc.skip.no_margins' };
  const { determined, unresolved } = recomputeHidden(structure.relations, valueOf);
  const findings = gaps;
  findings.push(...determined.map((d) =>
    d.via === 'line' && d.relation
      ? finding(table, 'SDC-03', 'fail', d.ref, 'sdc.recomputable_line', { value: d.value }, { line: cellLabel(table, d.relation.total.row, d.relation.total.column) })
      : finding(table, 'SDC-03', 'fail', d.ref, 'sdc.recomputable_system', { value: d.value }),
  ));
  if (unresolved.length > 0) findings.push(finding(table, 'SDC-03', 'review', { row: null, column: null }, 'sdc.recompute_unresolved', { count: unresolved.length }));
  return { findings };
}

/** Magnitude cells with their largest contributions: what SDC-04 and SDC-05 read. */
interface MagnitudeCell {
  row: number;
  column: string;
  total: number;
  top1: number | null;
  top2: number | null;
}

/** The published magnitude cells, or a finding per column or cell that cannot be graded. */
function magnitudeCells(table: SdcTable, rule: 'SDC-04' | 'SDC-05', needTop2: boolean): { cells: MagnitudeCell[]; findings: Finding[]; none: boolean } {
  const index = columnIndex(table);
  const magnitudes = table.columns.filter((c) => c.role === 'magnitude');
  const cells: MagnitudeCell[] = [];
  const findings: Finding[] = [];
  for (const column of magnitudes) {
    if (!column.top1 || !index.has(column.top1) || (needTop2 && (!column.top2 || !index.has(column.top2)))) {
      findings.push(finding(table, rule, 'review', { row: null, column: column.name }, 'sdc.dominance_unchecked', {}, { needed: needTop2 ? 'top1, top2' : 'top1' }));
      continue;
    }
    table.rows.forEach((_, row) => {
      const cell = cellAt(table, index, row, column.name);
      if (cell.kind !== 'number') return; // hidden or text: SDC-01 and SDC-03 speak of it
      const t1 = cellAt(table, index, row, column.top1!);
      const t2 = column.top2 ? cellAt(table, index, row, column.top2) : null;
      const top1 = t1.kind === 'number' ? t1.value : null;
      const top2 = t2?.kind === 'number' ? t2.value : null;
      const at = { row, column: column.name };
      if (cell.value < 0 || (top1 ?? 0) < 0 || (top2 ?? 0) < 0) {
        findings.push(finding(table, rule, 'review', at, 'sdc.negative_magnitude', { value: cell.value, top1, top2 }));
        return;
      }
      if (cell.value === 0) return;
      if (top1 === null) {
        findings.push(finding(table, rule, 'review', at, 'sdc.top_missing', { value: cell.value }, { topColumn: column.top1! }));
        return;
      }
      if (needTop2 && top2 === null) {
        findings.push(finding(table, rule, 'review', at, 'sdc.top_missing', { value: cell.value }, { topColumn: column.top2! }));
        return;
      }
      cells.push({ row, column: column.name, total: cell.value, top1, top2 });
    });
  }
  return { cells, findings, none: magnitudes.length === 0 };
}

/** SDC-04: for each (n, k), the n largest contributions must not exceed k % of the cell. */
function dominanceRule(table: SdcTable, settings: SdcSettings): RuleResult {
  const needTop2 = settings.dominance.some((d) => d.n >= 2);
  const { cells, findings, none } = magnitudeCells(table, 'SDC-04', needTop2);
  if (none) return { findings, skipped: 'sdc.skip.no_magnitude' };
  for (const cell of cells) {
    for (const { n, k } of settings.dominance) {
      const top = n === 1 ? cell.top1! : cell.top1! + (cell.top2 ?? 0);
      const share = (100 * top) / cell.total;
      if (share > k) {
        findings.push(finding(table, 'SDC-04', 'fail', cell, 'sdc.dominance', { n, k, share: formatNumber(share), total: cell.total, top1: cell.top1, top2: cell.top2 }));
      }
    }
  }
  return { findings };
}

/** SDC-05: (total − x1 − x2) / x1 ≥ p %: the second contributor cannot estimate the first within p %. */
function pPercentRule(table: SdcTable, settings: SdcSettings): RuleResult {
  const { cells, findings, none } = magnitudeCells(table, 'SDC-05', true);
  if (none) return { findings, skipped: 'sdc.skip.no_magnitude' };
  for (const cell of cells) {
    if (cell.top1! <= 0) continue;
    const rest = cell.total - cell.top1! - cell.top2!;
    const ratio = (100 * rest) / cell.top1!;
    if (ratio < settings.pPercent) {
      findings.push(finding(table, 'SDC-05', 'fail', cell, 'sdc.p_percent', { p: settings.pPercent, ratio: formatNumber(ratio), rest: formatNumber(rest), top1: cell.top1, top2: cell.top2, total: cell.total }));
    }
  }
  return { findings };
}

/** SDC-06: a model's residual degrees of freedom (observations − parameters) must reach the minimum. */
function modelRule(table: SdcTable, settings: SdcSettings): RuleResult {
  const isModel = table.model !== undefined || table.columns.some((c) => c.role === 'model');
  if (!isModel) return { findings: [], skipped: 'sdc.skip.no_model' };
  if (!table.model) return { findings: [finding(table, 'SDC-06', 'review', { row: null, column: null }, 'sdc.model_info_missing', {})] };
  const { observations, parameters } = table.model;
  const df = observations - parameters;
  if (df >= settings.minResidualDf) return { findings: [] };
  return { findings: [finding(table, 'SDC-06', 'fail', { row: null, column: null }, 'sdc.residual_df', { observations, parameters, df, min: settings.minResidualDf })] };
}

/**
 * SDC-08: with a rounding base, every count (totals included) is a multiple of it, and each total
 * lies within the tolerance of the sum of its rounded cells (./structure.ts: ⌊(m+1)/2⌋ × base for m
 * cells, the most independent rounding to the nearest multiple can move them apart).
 */
function roundingRule(table: SdcTable, settings: SdcSettings, structure: TableStructure): RuleResult {
  const base = settings.roundingBase;
  if (!base) return { findings: [], skipped: 'sdc.skip.rounding_off' };
  const counts = table.columns.filter((c) => c.role === 'count');
  if (counts.length === 0) return { findings: [], skipped: 'sdc.skip.no_count_column' };
  const index = columnIndex(table);
  const findings: Finding[] = [];
  for (const column of counts) {
    table.rows.forEach((_, row) => {
      const cell = cellAt(table, index, row, column.name);
      if (cell.kind === 'number' && !isMultiple(cell.value, base)) findings.push(finding(table, 'SDC-08', 'fail', { row, column: column.name }, 'sdc.not_rounded', { value: cell.value, base }));
    });
  }
  const countNames = new Set(counts.map((c) => c.name));
  const dropped = new Set(structure.nonAdditive);
  for (const line of structure.lines) {
    const { total } = line.relation;
    if (line.consistent !== false || dropped.has(line.relation.family) || !countNames.has(total.column)) continue;
    findings.push(
      finding(table, 'SDC-08', 'review', total, 'sdc.total_inconsistent', {
        total: line.total!,
        sum: line.sum!,
        difference: Math.abs(line.total! - line.sum!),
        tolerance: formatNumber(line.tolerance),
      }),
    );
  }
  return { findings };
}

function isMultiple(value: number, base: number): boolean {
  return Math.abs(value / base - Math.round(value / base)) < 1e-9;
}
