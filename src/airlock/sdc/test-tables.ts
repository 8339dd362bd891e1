/** Small known tables for the tests of the disclosure checks (synthetic counts, no real data). */
import { defaultSettings } from './settings.js';
import type { Cell, ColumnSpec, FileReport, RuleId, SdcSettings, SdcTable } from './types.js';

export function settings(overrides: Partial<SdcSettings> = {}): SdcSettings {
  return { ...defaultSettings, ...overrides };
}

/** `col('n', 'count')`, `col('montant', 'magnitude', { units: 'u', top1: 't1', top2: 't2' })`. */
export function col(name: string, role: ColumnSpec['role'], extra: Omit<ColumnSpec, 'name' | 'role'> = {}): ColumnSpec {
  return { name, role, ...extra };
}

export function table(columns: ColumnSpec[], rows: Cell[][], model?: SdcTable['model']): SdcTable {
  return model ? { columns, rows, model } : { columns, rows };
}

/** Findings of one rule, as `{ row, column, code, verdict }` for compact assertions. */
export function findingsOf(report: FileReport, rule: RuleId) {
  return report.findings.filter((f) => f.rule === rule).map((f) => ({ row: f.row, column: f.column, code: f.code, verdict: f.verdict }));
}

export function verdictOf(report: FileReport, rule: RuleId) {
  return report.rules.find((r) => r.rule === rule)!.verdict;
}

/**
 * A 2-D frequency table in long form (age band × sex, with margins), from a matrix of inner
 * cells: the row and column totals and the grand total are computed.
 */
export function crossTable(rowLabels: string[], colLabels: string[], inner: number[][]): SdcTable {
  const rows: Cell[][] = [];
  rowLabels.forEach((r, i) => {
    colLabels.forEach((c, j) => rows.push([r, c, inner[i]![j]!]));
    rows.push([r, 'Total', inner[i]!.reduce((a, b) => a + b, 0)]);
  });
  colLabels.forEach((c, j) => rows.push(['Total', c, inner.reduce((a, row) => a + row[j]!, 0)]));
  rows.push(['Total', 'Total', inner.flat().reduce((a, b) => a + b, 0)]);
  return table([col('age', 'dimension'), col('sexe', 'dimension'), col('n', 'count')], rows);
}
