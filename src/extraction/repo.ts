/** The extraction tables, through Kysely. Only this file writes SQL of the extraction domain's store. */
import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { ExtractManifest, ReleaseRef } from './schema.js';

type Json<T> = ColumnType<T, string, string>;

export type ExtractStatus = 'running' | 'ready' | 'failed' | 'deleted';

declare module '../platform/db/tables.js' {
  interface Tables {
    extracts: ExtractTable;
  }
}

export interface ExtractTable {
  id: string;
  project_id: string;
  version: number;
  status: ExtractStatus;
  perimeter_version: number;
  key_id: string;
  key_version: number;
  releases: Json<ReleaseRef[]>;
  opposition_applied: boolean;
  excluded_by_opposition: number | null;
  total_rows: number | null;
  manifest: ColumnType<ExtractManifest | null, string | null, string | null>;
  manifest_sha256: string | null;
  error: string | null;
  reason: string;
  requested_by: string;
  created_at: Date;
  finished_at: Date | null;
  deleted_at: Date | null;
}

export type ExtractRow = Selectable<ExtractTable>;

export const json = (value: unknown): string => JSON.stringify(value);

export async function nextVersion(db: Executor, projectId: string): Promise<number> {
  const row = await db.selectFrom('extracts').select((eb) => eb.fn.max('version').as('v')).where('project_id', '=', projectId).executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

export async function insertExtract(db: Executor, row: Insertable<ExtractTable>): Promise<void> {
  await db.insertInto('extracts').values(row).execute();
}

export async function finishExtract(db: Executor, id: string, patch: { status: ExtractStatus; manifest?: string; manifest_sha256?: string; excluded_by_opposition?: number; total_rows?: number; error?: string; finished_at: Date }): Promise<void> {
  await db.updateTable('extracts').set(patch).where('id', '=', id).execute();
}

export async function extractsOf(db: Executor, projectId: string): Promise<ExtractRow[]> {
  return db.selectFrom('extracts').selectAll().where('project_id', '=', projectId).orderBy('version', 'desc').execute();
}

export async function latestReady(db: Executor, projectId: string): Promise<ExtractRow | undefined> {
  return db.selectFrom('extracts').selectAll().where('project_id', '=', projectId).where('status', '=', 'ready').orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function running(db: Executor, projectId?: string): Promise<ExtractRow[]> {
  let q = db.selectFrom('extracts').selectAll().where('status', '=', 'running');
  if (projectId) q = q.where('project_id', '=', projectId);
  return q.execute();
}

/** Projects with a delivered extract still on disk: the candidates for a refresh on a new release. */
export async function projectsWithReadyExtracts(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('extracts').select('project_id').distinct().where('status', '=', 'ready').execute();
  return rows.map((r) => r.project_id);
}

export async function markDeleted(db: Executor, projectId: string, at: Date): Promise<void> {
  await db.updateTable('extracts').set({ status: 'deleted', deleted_at: at }).where('project_id', '=', projectId).where('status', 'in', ['ready', 'failed', 'running']).execute();
}
