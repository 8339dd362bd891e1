/** Building findings the same way in every rule: values, then the message parameters (with the cell's label). */
import { cellLabel } from './cells.js';
import type { Finding, RuleId, SdcTable, Verdict } from './types.js';

export interface RuleResult {
  findings: Finding[];
  /** Message code of why the rule did not apply (`sdc.skip.*`). */
  skipped?: string;
}

export function finding(
  table: SdcTable,
  rule: RuleId,
  verdict: Exclude<Verdict, 'pass'>,
  at: { row: number | null; column: string | null },
  code: string,
  values: Finding['values'],
  extra: Record<string, string | number> = {},
): Finding {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null) params[k] = typeof v === 'number' ? formatNumber(v) : v;
  if (at.column !== null) params.column = at.column;
  if (at.row !== null && at.column !== null) params.cell = cellLabel(table, at.row, at.column);
  return { rule, verdict, row: at.row, column: at.column, values, code, params: { ...params, ...extra } };
}

/** Numbers in messages: integers as is, others to at most two decimals (shares, ratios). */
export function formatNumber(value: number): number {
  return Number.isInteger(value) ? value : Math.round(value * 100) / 100;
}

export const VERDICT_ORDER: Record<Verdict, number> = { pass: 0, review: 1, fail: 2 };

export function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((a, b) => (VERDICT_ORDER[b] > VERDICT_ORDER[a] ? b : a), 'pass');
}
