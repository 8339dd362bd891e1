import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { ValidationReport } from './pipeline.js';

export type UploadStatus = 'receiving' | 'complete' | 'consumed' | 'abandoned';
export type LoadStatus = 'validating' | 'validated' | 'rejected' | 'failed' | 'published' | 'discarded';

export interface UploadTable {
  id: string;
  table_name: string;
  file_name: string;
  size: number;
  received: number;
  chunk_size: number;
  status: UploadStatus;
  created_by: string | null;
  created_by_label: string;
  created_at: Date;
  updated_at: Date;
}
export type UploadRow = Selectable<UploadTable>;

export interface LoadTable {
  id: string;
  upload_id: string | null;
  table_name: string;
  file_name: string;
  file_bytes: number;
  file_sha256: string | null;
  policy: 'reject' | 'quarantine';
  mode: 'replace' | 'append';
  status: LoadStatus;
  report: ValidationReport | null;
  rows_read: number | null;
  rows_valid: number | null;
  rows_rejected: number | null;
  key_id: string | null;
  key_version: number | null;
  catalogue_version: number | null;
  release_name: string | null;
  release_version: number | null;
  error: string | null;
  created_by: string | null;
  created_by_label: string;
  started_at: Date;
  finished_at: Date | null;
  published_at: Date | null;
}
export type LoadRow = Selectable<LoadTable>;

declare module '../platform/db/tables.js' {
  interface Tables {
    ingest_uploads: UploadTable;
    ingest_loads: LoadTable;
  }
}

const num = <T extends Record<string, unknown>>(row: T, keys: (keyof T)[]): T => {
  for (const k of keys) if (row[k] !== null && row[k] !== undefined) (row as Record<keyof T, unknown>)[k] = Number(row[k]);
  return row;
};

export async function insertUpload(db: Executor, row: UploadRow): Promise<void> {
  await db.insertInto('ingest_uploads').values(row).execute();
}

export async function findUpload(db: Executor, id: string): Promise<UploadRow | undefined> {
  const row = await db.selectFrom('ingest_uploads').selectAll().where('id', '=', id).executeTakeFirst();
  return row && num(row, ['size', 'received']);
}

export async function lockUpload(db: Executor, id: string): Promise<UploadRow | undefined> {
  const row = await db.selectFrom('ingest_uploads').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && num(row, ['size', 'received']);
}

export async function updateUpload(db: Executor, id: string, patch: Partial<UploadRow>): Promise<void> {
  await db.updateTable('ingest_uploads').set(patch).where('id', '=', id).execute();
}

export async function insertLoad(db: Executor, row: LoadRow): Promise<void> {
  await db.insertInto('ingest_loads').values({ ...row, report: row.report === null ? null : (JSON.stringify(row.report) as unknown as ValidationReport) }).execute();
}

export async function updateLoad(db: Executor, id: string, patch: Partial<LoadRow>): Promise<void> {
  const { report, ...rest } = patch;
  await db.updateTable('ingest_loads').set({ ...rest, ...(report !== undefined ? { report: report === null ? null : (JSON.stringify(report) as unknown as ValidationReport) } : {}) }).where('id', '=', id).execute();
}

const loadNumbers: (keyof LoadRow)[] = ['file_bytes', 'rows_read', 'rows_valid', 'rows_rejected'];

export async function findLoad(db: Executor, id: string, forUpdate = false): Promise<LoadRow | undefined> {
  let query = db.selectFrom('ingest_loads').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && num(row, loadNumbers);
}

export async function listLoads(db: Executor, filter: { table?: string | undefined; createdBy?: string | undefined }, limit: number): Promise<LoadRow[]> {
  let query = db.selectFrom('ingest_loads').selectAll().orderBy('started_at', 'desc').limit(limit);
  if (filter.table) query = query.where('table_name', '=', filter.table);
  if (filter.createdBy) query = query.where('created_by', '=', filter.createdBy);
  return (await query.execute()).map((r) => num(r, loadNumbers));
}

/** Loads cut by a stop (crash, kill): they never finished and can be rerun from their upload. */
export async function failInterrupted(db: Executor, at: Date): Promise<number> {
  const r = await db.updateTable('ingest_loads').set({ status: 'failed', error: 'interrupted (the hub stopped during the load); run it again', finished_at: at }).where('status', '=', 'validating').executeTakeFirst();
  return Number(r.numUpdatedRows);
}
