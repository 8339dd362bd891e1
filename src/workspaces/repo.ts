/** The workspace tables, through Kysely. Only this file writes SQL of the workspaces domain's store. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { DeletionCertificate } from './schema.js';

type Json<T> = ColumnType<T, string, string>;
type JsonDefaulted<T> = ColumnType<T, string | undefined, string>;

export type QueryStatus = 'running' | 'done' | 'failed' | 'cancelled';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

declare module '../platform/db/tables.js' {
  interface Tables {
    workspace_queries: QueryTable;
    workspace_programs: ProgramTable;
    workspace_program_versions: ProgramVersionTable;
    workspace_jobs: JobTable;
    api_tokens: TokenTable;
    workspace_deletions: DeletionTable;
  }
}

export interface QueryTable {
  id: string;
  /** Insertion order: ties of the (manual, in tests) clock are broken by it. */
  seq: Generated<number>;
  project_id: string;
  user_id: string;
  sql: string;
  sql_sha256: string;
  source: 'interactive' | 'job';
  job_id: string | null;
  status: QueryStatus;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  row_count: number | null;
  truncated: boolean | null;
  error_code: string | null;
  error_message: string | null;
}
export type QueryRow = Selectable<QueryTable>;

export interface ProgramTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  latest_version: number;
  source_program: string | null;
  source_version: number | null;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
}
export type ProgramRow = Selectable<ProgramTable>;

export interface ProgramVersionTable {
  program_id: string;
  version: number;
  sql: string;
  comment: string | null;
  created_at: Date;
  created_by: string;
}
export type ProgramVersionRow = Selectable<ProgramVersionTable>;

export interface JobTable {
  id: string;
  project_id: string;
  user_id: string;
  program_id: string;
  version: number;
  parameters: Json<Record<string, string | number>>;
  status: JobStatus;
  via: 'web' | 'token';
  token_id: string | null;
  created_by: string;
  log: JsonDefaulted<string[]>;
  result_tables: JsonDefaulted<string[]>;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}
export type JobRow = Selectable<JobTable>;

export interface TokenTable {
  id: string;
  user_id: string;
  project_id: string;
  label: string;
  token_sha256: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}
export type TokenRow = Selectable<TokenTable>;

export interface DeletionTable {
  project_id: string;
  deleted_at: Date;
  deleted_by: string;
  reason: string;
  certificate: Json<DeletionCertificate>;
  certificate_sha256: string;
}
export type DeletionRow = Selectable<DeletionTable>;

export const json = (value: unknown): string => JSON.stringify(value);

// Queries (history)
export async function insertQuery(db: Executor, row: Insertable<QueryTable>): Promise<void> {
  await db.insertInto('workspace_queries').values(row).execute();
}
export async function updateQuery(db: Executor, id: string, patch: Updateable<QueryTable>): Promise<void> {
  await db.updateTable('workspace_queries').set(patch).where('id', '=', id).execute();
}
export async function findQuery(db: Executor, projectId: string, userId: string, id: string): Promise<QueryRow | undefined> {
  return db.selectFrom('workspace_queries').selectAll().where('id', '=', id).where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
}
export async function history(db: Executor, projectId: string, userId: string, limit: number): Promise<QueryRow[]> {
  return db.selectFrom('workspace_queries').selectAll().where('project_id', '=', projectId).where('user_id', '=', userId).orderBy('started_at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
}

// Programs
export async function insertProgram(db: Executor, row: Insertable<ProgramTable>): Promise<void> {
  await db.insertInto('workspace_programs').values(row).execute();
}
export async function updateProgram(db: Executor, id: string, patch: Updateable<ProgramTable>): Promise<void> {
  await db.updateTable('workspace_programs').set(patch).where('id', '=', id).execute();
}
export async function insertProgramVersion(db: Executor, row: Insertable<ProgramVersionTable>): Promise<void> {
  await db.insertInto('workspace_program_versions').values(row).execute();
}
export async function programs(db: Executor, projectId: string): Promise<ProgramRow[]> {
  return db.selectFrom('workspace_programs').selectAll().where('project_id', '=', projectId).orderBy('updated_at', 'desc').execute();
}
export async function findProgram(db: Executor, projectId: string, id: string, lock = false): Promise<ProgramRow | undefined> {
  const q = db.selectFrom('workspace_programs').selectAll().where('project_id', '=', projectId).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export async function programByName(db: Executor, projectId: string, name: string): Promise<ProgramRow | undefined> {
  return db.selectFrom('workspace_programs').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
}
export async function programVersions(db: Executor, programId: string): Promise<ProgramVersionRow[]> {
  return db.selectFrom('workspace_program_versions').selectAll().where('program_id', '=', programId).orderBy('version', 'desc').execute();
}
export async function programVersion(db: Executor, programId: string, version: number): Promise<ProgramVersionRow | undefined> {
  return db.selectFrom('workspace_program_versions').selectAll().where('program_id', '=', programId).where('version', '=', version).executeTakeFirst();
}

// Jobs
export async function insertJob(db: Executor, row: Insertable<JobTable>): Promise<void> {
  await db.insertInto('workspace_jobs').values(row).execute();
}
export async function updateJob(db: Executor, id: string, patch: Updateable<JobTable>): Promise<void> {
  await db.updateTable('workspace_jobs').set(patch).where('id', '=', id).execute();
}
export async function findJob(db: Executor, projectId: string, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('workspace_jobs').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}
export async function jobs(db: Executor, projectId: string, limit = 200): Promise<JobRow[]> {
  return db.selectFrom('workspace_jobs').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'desc').limit(limit).execute();
}
export async function unfinishedJobs(db: Executor): Promise<JobRow[]> {
  return db.selectFrom('workspace_jobs').selectAll().where('status', 'in', ['queued', 'running']).execute();
}

// Tokens
export async function insertToken(db: Executor, row: Insertable<TokenTable>): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}
export async function tokensOf(db: Executor, userId: string): Promise<TokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}
export async function tokenByHash(db: Executor, hash: string): Promise<TokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_sha256', '=', hash).executeTakeFirst();
}
export async function updateToken(db: Executor, id: string, patch: Updateable<TokenTable>): Promise<void> {
  await db.updateTable('api_tokens').set(patch).where('id', '=', id).execute();
}
export async function revokeProjectTokens(db: Executor, projectId: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('project_id', '=', projectId).where('revoked_at', 'is', null).execute();
}

// Deletions (DP-13)
export async function insertDeletion(db: Executor, row: Insertable<DeletionTable>): Promise<void> {
  await db.insertInto('workspace_deletions').values(row).execute();
}
export async function findDeletion(db: Executor, projectId: string): Promise<DeletionRow | undefined> {
  return db.selectFrom('workspace_deletions').selectAll().where('project_id', '=', projectId).executeTakeFirst();
}
