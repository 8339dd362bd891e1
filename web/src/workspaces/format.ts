/** Pure helpers of the workspace pages (unit-tested without a browser). */
import type { QueryView } from './types.ts';

/** How many rows of a result may be shown: its count, within the display cap. */
export function displayableRows(view: Pick<QueryView, 'rowCount' | 'rows'>, displayRows: number): number {
  const count = view.rowCount ?? view.rows?.length ?? 0;
  return Math.min(count, displayRows);
}

/** A cell as text: NULL spelt out, nested values (lists, structs) as JSON. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A number from a cell (DuckDB's BIGINT and DECIMAL may come as strings), else null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const numericType = /^(tinyint|smallint|integer|int|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|float|real|double|decimal|numeric)/i;

/** Whether a column's DuckDB type holds numbers. */
export function isNumericType(type: string): boolean {
  return numericType.test(type.trim());
}

/** The first statement-looking line of a query, for lists (comments skipped). */
export function sqlPreview(sql: string, max = 120): string {
  const lines = sql.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('--'));
  const text = lines.join(' ').replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `name=value` lines into job parameters (numbers when they read as numbers); lines without `=` come back in `invalid`. */
export function parseParameters(text: string): { parameters: Record<string, string | number>; invalid: string[] } {
  const parameters: Record<string, string | number> = {};
  const invalid: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      invalid.push(line);
      continue;
    }
    const name = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    parameters[name] = value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return { parameters, invalid };
}
