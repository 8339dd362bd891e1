/**
 * CSV in and out of the airlock. In: text typed or written by a program in the workspace, `;` or
 * `,` (or tab) separated, French decimal comma and space-grouped thousands accepted, errors located
 * (file, line, column). Out: the released file, auxiliary columns (units, top1, top2) dropped,
 * suppressed cells written as SUPPRESSED.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { HdhError } from '../../platform/errors.js';
import { AUXILIARY_ROLES, isSuppressionMarker, numberOf } from './cells.js';
import './messages.js';
import type { Cell, SdcTable } from './types.js';
import { SUPPRESSED } from './types.js';

interface CsvParseError {
  code: string;
  lines?: number;
  column?: number;
  record?: unknown[];
}

/** csv-parse's CsvError (its codes: CSV_*, INVALID_OPENING_QUOTE). */
function isCsvParseError(e: unknown): e is CsvParseError {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' && (e.code.startsWith('CSV_') || e.code === 'INVALID_OPENING_QUOTE');
}

/** The separator of the header line: the most frequent of `;`, tab and `,` outside quotes. */
export function detectSeparator(text: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t'] && counts[';'] > 0) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/** A field's value: empty → null; a number unless it is a code with a leading zero ("01", "01053"). */
export function parseField(text: string): Cell {
  const t = text.trim();
  if (t === '') return null;
  if (/^[+-]?0\d/.test(t)) return t;
  return numberOf(t) ?? t;
}

export function parseCsv(text: string, fileName: string): { header: string[]; rows: Cell[][] } {
  const fail = (line: number, column: number | '—', reason: string): never => {
    throw new HdhError('airlock.csv_invalid', 400, { file: fileName, line, column, reason }, { file: fileName, line, ...(column === '—' ? {} : { column }) });
  };
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') fail(1, '—', 'empty');
  let records: string[][];
  try {
    records = parse(body, { delimiter: detectSeparator(body), skip_empty_lines: true, relax_column_count: false });
  } catch (e) {
    if (!isCsvParseError(e)) throw e;
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') fail(e.lines ?? 1, '—', `${e.record?.length ?? '?'} fields ≠ header`);
    return fail(e.lines ?? 1, e.column === undefined ? '—' : e.column + 1, e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'quote not closed' : 'misplaced quote');
  }
  const [header, ...rest] = records;
  const seen = new Set<string>();
  header!.forEach((name, i) => {
    if (name.trim() === '') fail(1, i + 1, 'header: empty name');
    if (seen.has(name.trim())) fail(1, i + 1, `header: duplicate "${name.trim()}"`);
    seen.add(name.trim());
  });
  return { header: header!.map((h) => h.trim()), rows: rest.map((r) => r.map(parseField)) };
}

/**
 * The released CSV: comma-separated, dot decimals (RFC 4180, what R, Python and DuckDB read by
 * default), auxiliary columns dropped, suppressed cells (any marker) written as SUPPRESSED, empty cells empty. A text that a
 * spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe (OWASP CSV
 * injection); numbers are numbers, so negative counts are unaffected.
 */
export function toReleasedCsv(table: SdcTable): string {
  const kept = table.columns.map((c, i) => ({ c, i })).filter(({ c }) => !AUXILIARY_ROLES.includes(c.role));
  const released = (cell: Cell): string => {
    if (cell === null) return '';
    if (typeof cell === 'number') return String(cell);
    if (isSuppressionMarker(cell)) return SUPPRESSED;
    return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  };
  const rows = table.rows.map((r) => kept.map(({ i }) => released(r[i] ?? null)));
  return stringify([kept.map(({ c }) => c.name), ...rows]);
}
