/**
 * Reading cells the way the checks need them: a number (also a numeric text, decimal comma
 * accepted), a hidden cell (suppressed by a marker, or left empty), a total label in a dimension,
 * and a readable label for a row. Shared by the checks, the fixes and the report.
 */
import type { Cell, ColumnRole, ColumnSpec, SdcTable } from './types.js';
import { SUPPRESSED } from './types.js';

/** Roles whose cells add up along a table's margins (a total is the sum of its parts). */
export const ADDITIVE_ROLES: readonly ColumnRole[] = ['count', 'magnitude'];
/** Auxiliary roles, never released (dropped by `toReleasedCsv`). */
export const AUXILIARY_ROLES: readonly ColumnRole[] = ['units', 'top1', 'top2'];

/** Lower case, no accents, spaces and punctuation collapsed: how names and labels are compared. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9+<>]+/g, ' ')
    .trim();
}

/**
 * Markers of a cell hidden on purpose (secret statistique): ours (`SUPPRESSED`) and the usual ones
 * of INSEE, Eurostat and SAS/Stata outputs. A hidden cell is an unknown of SDC-03.
 */
const SUPPRESSION_MARKERS = new Set([SUPPRESSED, 'x', 'c', '*', 'secret', 'suppressed', 'masque', 'masqué', 'confidential']);

export function isSuppressionMarker(cell: Cell): boolean {
  return typeof cell === 'string' && SUPPRESSION_MARKERS.has(cell.trim().toLowerCase());
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** French thousands grouping with spaces (also no-break and narrow no-break spaces), optional decimal comma. */
const GROUPED = /^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?$/;

/** The number a cell holds, or null when it holds none (empty, text, marker). */
export function numberOf(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  const text = cell.trim();
  if (PLAIN_NUMBER.test(text)) return Number(text);
  if (DECIMAL_COMMA.test(text)) return Number(text.replace(',', '.'));
  if (GROUPED.test(text)) return Number(text.replace(/[ \u00a0\u202f]/g, '').replace(',', '.'));
  return null;
}

/** How a value cell reads for the checks. */
export type CellState =
  | { kind: 'number'; value: number }
  | { kind: 'hidden'; marker: boolean }
  | { kind: 'text'; text: string };

export function stateOf(cell: Cell): CellState {
  if (cell === null || (typeof cell === 'string' && cell.trim() === '')) return { kind: 'hidden', marker: false };
  if (isSuppressionMarker(cell)) return { kind: 'hidden', marker: true };
  const value = numberOf(cell);
  if (value !== null) return { kind: 'number', value };
  return { kind: 'text', text: String(cell) };
}

/**
 * Labels of a margin in a dimension (Total, Ensemble, All, Tous…); an empty dimension value is a
 * margin too (what `GROUPING SETS` / `ROLLUP` write for a rolled-up dimension).
 */
const TOTAL_LABELS = new Set(['total', 'totaux', 'ensemble', 'all', 'tous', 'toutes', 'tout', 'overall', 'sum', 'somme', 'grand total', 'total general', 'all ages', 'tous ages', 'france entiere', 'margin', 'marge']);

export function isTotalLabel(cell: Cell): boolean {
  if (cell === null) return true;
  if (typeof cell === 'number') return false;
  const text = normalise(cell);
  if (text === '') return true;
  return TOTAL_LABELS.has(text) || text.startsWith('total ') || text.startsWith('ensemble ');
}

/** A column name that says "total" (wide tables: a Total column beside the category columns). */
export function isTotalColumnName(name: string): boolean {
  const text = normalise(name);
  return TOTAL_LABELS.has(text) || /^(total|ensemble)\b/.test(text);
}

/** A column index by name. */
export function columnIndex(table: SdcTable): Map<string, number> {
  return new Map(table.columns.map((c, i) => [c.name, i]));
}

export function columnsWithRole(table: SdcTable, ...roles: ColumnRole[]): ColumnSpec[] {
  return table.columns.filter((c) => roles.includes(c.role));
}

/** Dimension cells of a row read as a key: margins canonicalised, so "Total", "Ensemble" and empty match. */
export function dimensionKey(cell: Cell): string {
  if (isTotalLabel(cell)) return '#total';
  return typeof cell === 'number' ? String(cell) : normalise(cell ?? '');
}

/** "90+ × F" — the row's dimension values, or "#n" when the table has no dimension. */
export function rowLabel(table: SdcTable, row: number): string {
  const dims = table.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'dimension');
  if (dims.length === 0) return `#${row + 1}`;
  const cells = table.rows[row] ?? [];
  return dims.map(({ i }) => (isTotalLabel(cells[i] ?? null) ? String(cells[i] ?? '').trim() || 'Total' : String(cells[i]))).join(' × ');
}

/** The readable place of a cell in findings: "90+ × F / n_patients". */
export function cellLabel(table: SdcTable, row: number, column: string): string {
  return `${rowLabel(table, row)} / ${column}`;
}

/** True when every dimension of the row is a margin (the grand total row). */
export function isGrandTotalRow(table: SdcTable, row: number): boolean {
  const cells = table.rows[row] ?? [];
  const dims = table.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'dimension');
  return dims.length > 0 && dims.every(({ i }) => isTotalLabel(cells[i] ?? null));
}

/** True when some dimension of the row is a margin. */
export function isMarginRow(table: SdcTable, row: number): boolean {
  const cells = table.rows[row] ?? [];
  return table.columns.some((c, i) => c.role === 'dimension' && isTotalLabel(cells[i] ?? null));
}
