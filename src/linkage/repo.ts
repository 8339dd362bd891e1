/** The linkage tables, through Kysely. Only this file writes SQL of the metadata store for linkage. */
import type { ColumnType, Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { LinkageReport, RunStatus } from './schema.js';

/** jsonb: read as the value, written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;

declare module '../platform/db/tables.js' {
  interface Tables {
    linkage_runs: LinkageRunTable;
    linkage_uploads: LinkageUploadTable;
  }
}

export type RunKind = 'deterministic' | 'probabilistic';

export interface LinkageRunTable {
  id: string;
  kind: RunKind;
  status: RunStatus;
  description: string;
  started_by_id: string | null;
  started_by_label: string;
  /** `host:pid` of the hub process that queued and runs it (recovery fails only runs whose process is gone). */
  runner: string | null;
  parameters: Json<Record<string, unknown>>;
  report: ColumnType<LinkageReport | null, string | null, string | null>;
  links: number | null;
  match_rate: number | null;
  release_name: string | null;
  release_version: number | null;
  error_code: string | null;
  /** The error's message parameters: the message is rendered in the reader's language. */
  error_params: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}
export type RunRow = Selectable<LinkageRunTable>;

export interface LinkageUploadTable {
  id: string;
  name: string;
  format: 'csv' | 'parquet';
  bytes: number;
  uploaded_by_id: string | null;
  uploaded_by_label: string;
  uploaded_at: Date;
  used_by_run: string | null;
  removed_at: Date | null;
}
export type UploadRow = Selectable<LinkageUploadTable>;

export async function insertRun(db: Executor, row: Omit<RunRow, 'parameters' | 'report' | 'error_params'> & { parameters: Record<string, unknown> }): Promise<void> {
  await db.insertInto('linkage_runs').values({ ...row, parameters: JSON.stringify(row.parameters), report: null, error_params: null }).execute();
}

export async function markRunning(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('linkage_runs').set({ status: 'running', started_at: at }).where('id', '=', id).execute();
}

export async function finishRun(
  db: Executor,
  id: string,
  outcome: { status: 'succeeded'; report: LinkageReport; links: number | null; matchRate: number | null; release: { name: string; version: number } | null } | { status: 'failed'; code: string; params: Record<string, unknown> },
  at: Date,
): Promise<void> {
  const set =
    outcome.status === 'succeeded'
      ? { status: outcome.status, report: JSON.stringify(outcome.report), links: outcome.links, match_rate: outcome.matchRate, release_name: outcome.release?.name ?? null, release_version: outcome.release?.version ?? null, finished_at: at }
      : { status: outcome.status, error_code: outcome.code, error_params: JSON.stringify(outcome.params), finished_at: at };
  await db.updateTable('linkage_runs').set(set).where('id', '=', id).execute();
}

export function getRun(db: Executor, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('linkage_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first; the report stays in the database (the list shows the summary columns). */
export function listRuns(db: Executor, limit: number): Promise<Omit<RunRow, 'report'>[]> {
  return db
    .selectFrom('linkage_runs')
    .select(['id', 'kind', 'status', 'description', 'started_by_id', 'started_by_label', 'runner', 'parameters', 'links', 'match_rate', 'release_name', 'release_version', 'error_code', 'error_params', 'created_at', 'started_at', 'finished_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Runs a stopped hub left queued or running: they will never finish. */
export function unfinishedRuns(db: Executor): Promise<{ id: string; runner: string | null }[]> {
  return db.selectFrom('linkage_runs').select(['id', 'runner']).where('status', 'in', ['queued', 'running']).execute();
}

export async function insertUpload(db: Executor, row: UploadRow): Promise<void> {
  await db.insertInto('linkage_uploads').values(row).execute();
}

/** An upload still on disk and not yet claimed by a run. */
export function availableUpload(db: Executor, id: string): Promise<UploadRow | undefined> {
  return db.selectFrom('linkage_uploads').selectAll().where('id', '=', id).where('used_by_run', 'is', null).where('removed_at', 'is', null).executeTakeFirst();
}

export async function claimUpload(db: Executor, id: string, runId: string): Promise<boolean> {
  const result = await db.updateTable('linkage_uploads').set({ used_by_run: runId }).where('id', '=', id).where('used_by_run', 'is', null).where('removed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markUploadsRemoved(db: Executor, ids: readonly string[], at: Date): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('linkage_uploads').set({ removed_at: at }).where('id', 'in', ids).where('removed_at', 'is', null).execute();
}

export function listAvailableUploads(db: Executor): Promise<UploadRow[]> {
  return db.selectFrom('linkage_uploads').selectAll().where('used_by_run', 'is', null).where('removed_at', 'is', null).orderBy('uploaded_at', 'desc').execute();
}

export function uploadsOlderThan(db: Executor, before: Date): Promise<UploadRow[]> {
  return db.selectFrom('linkage_uploads').selectAll().where('removed_at', 'is', null).where('used_by_run', 'is', null).where('uploaded_at', '<', before).execute();
}
