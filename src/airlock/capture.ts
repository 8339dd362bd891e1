/**
 * Capture — ce qui entre dans le sas: a file's cells taken from the member's workspace (a query
 * result still in their session, a table or view read through their session) or from CSV text,
 * with its column roles (given by the author, else inferred) checked against its header.
 */
import type { Actor } from '../platform/actor.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { WorkspaceService } from '../workspaces/service.js';
import type { FileSource } from './repo.js';
import type { AddFileInput } from './schema.js';
import { inferColumns, parseCsv } from './sdc/index.js';
import type { Cell, ColumnSpec } from './sdc/types.js';

registerMessages({
  'airlock.result_truncated': { fr: 'Ce résultat a été tronqué à {rows} lignes dans l’espace de travail : créez une table et demandez la sortie de la table.', en: 'This result was truncated to {rows} rows in the workspace: create a table and request the table’s release.' },
  'airlock.table_too_large': { fr: 'La table dépasse {rows} lignes : une sortie doit être un résultat agrégé.', en: 'The table has more than {rows} rows: an output must be an aggregated result.' },
  'airlock.columns_invalid': { fr: 'Rôles des colonnes invalides : {summary}', en: 'Invalid column roles: {summary}' },
  'airlock.duplicate_columns': { fr: 'Le fichier a deux colonnes nommées « {name} ».', en: 'The file has two columns named “{name}”.' },
  'airlock.empty_file': { fr: 'Le fichier n’a aucune colonne.', en: 'The file has no column.' },
});

/** Largest table read from a workspace for a release request (an output is aggregated). */
export const MAX_TABLE_ROWS = 100_000;

export interface Captured {
  source: FileSource;
  header: string[];
  /** Engine types when known (query, table), for the role inference. */
  types: string[];
  rows: Cell[][];
}

export type WorkspaceReader = Pick<WorkspaceService, 'capturedResult' | 'readTable'>;

export async function capture(workspaces: WorkspaceReader, actor: Actor, projectId: string, input: AddFileInput): Promise<Captured> {
  const source = input.source;
  if (source.kind === 'query') {
    const result = await workspaces.capturedResult(actor, projectId, source.queryId);
    if (result.truncated) throw new HdhError('airlock.result_truncated', 409, { rows: result.rows.length });
    return { source: { kind: 'query', queryId: source.queryId, sql: result.sql }, header: result.columns.map((c) => c.name), types: result.columns.map((c) => c.type), rows: result.rows.map((r) => r.map(toCell)) };
  }
  if (source.kind === 'table') {
    const result = await workspaces.readTable(actor, projectId, source.table, MAX_TABLE_ROWS);
    if (result.truncated) throw new HdhError('airlock.table_too_large', 409, { rows: MAX_TABLE_ROWS });
    return { source: { kind: 'table', table: result.table }, header: result.columns.map((c) => c.name), types: result.columns.map((c) => c.type), rows: result.rows.map((r) => r.map(toCell)) };
  }
  const parsed = parseCsv(source.content, `${input.name}.csv`);
  return { source: { kind: 'csv' }, header: parsed.header, types: parsed.header.map((_, i) => csvType(parsed.rows, i)), rows: parsed.rows };
}

/** A JSON value from the engine as a cell: numbers stay numbers, everything else is text. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A CSV column's type for the inference: integers, decimals, or text. */
function csvType(rows: Cell[][], i: number): string {
  const values = rows.map((r) => r[i]).filter((v) => v !== null && v !== undefined && v !== '');
  if (values.length === 0) return 'VARCHAR';
  if (values.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'BIGINT';
  if (values.every((v) => typeof v === 'number')) return 'DOUBLE';
  return 'VARCHAR';
}

/**
 * The file's column roles in header order: the author's, checked (every header column exactly
 * once, auxiliary references to existing columns), or the inference from names, types and values.
 */
export function resolveColumns(header: string[], types: string[], rows: Cell[][], given: ColumnSpec[] | undefined, location = 'body.columns'): ColumnSpec[] {
  if (header.length === 0) throw new HdhError('airlock.empty_file', 400);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new HdhError('airlock.duplicate_columns', 400, { name });
    seen.add(name);
  }
  if (!given) return inferColumns(header.map((name, i) => ({ name, type: types[i] ?? '' })), rows);
  const problems: { location: string; message: string }[] = [];
  const byName = new Map<string, ColumnSpec>();
  for (const [i, spec] of given.entries()) {
    if (!seen.has(spec.name)) problems.push({ location: `${location}[${i}].name`, message: `no column ${spec.name} in the file` });
    else if (byName.has(spec.name)) problems.push({ location: `${location}[${i}].name`, message: `column ${spec.name} given twice` });
    else byName.set(spec.name, spec);
    for (const ref of ['units', 'top1', 'top2'] as const) {
      const target = spec[ref];
      if (target !== undefined && !seen.has(target)) problems.push({ location: `${location}[${i}].${ref}`, message: `no column ${target} in the file` });
    }
  }
  for (const name of header) if (!byName.has(name)) problems.push({ location, message: `column ${name} has no role` });
  if (problems.length) throw new HdhError('airlock.columns_invalid', 400, { summary: problems.map((p) => `${p.location}: ${p.message}`).join('; ') }, problems);
  return header.map((name) => byName.get(name)!);
}
