/** The airlock's tables, through Kysely. Only this file writes SQL of the airlock domain. */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { Cell, ColumnSpec, FileReport, SdcSettings, Verdict } from './sdc/types.js';
import type { Decision, RequestStatus } from './workflow.js';

type Json<T> = ColumnType<T, string, string>;

declare module '../platform/db/tables.js' {
  interface Tables {
    airlock_requests: RequestTable;
    airlock_files: FileTable;
    airlock_file_versions: VersionTable;
    airlock_attachments: AttachmentTable;
    airlock_votes: VoteTable;
    airlock_events: EventTable;
    airlock_settings: SettingsTable;
  }
}

export interface RequestTable {
  id: string;
  seq: Generated<number>;
  project_id: string;
  project_reference: string;
  project_title: string;
  title: string;
  status: RequestStatus;
  round: Generated<number>;
  created_at: Date;
  created_by: string;
  created_by_name: string;
  submitted_at: Date | null;
  released_at: Date | null;
  override_justification: string | null;
  updated_at: Date;
}
export type RequestRow = Selectable<RequestTable>;

/** Where a file's cells came from. */
export type FileSource = { kind: 'query'; queryId: string; sql: string } | { kind: 'table'; table: string } | { kind: 'csv' };

export interface FileTable {
  id: string;
  seq: Generated<number>;
  request_id: string;
  project_id: string;
  name: string;
  context: string;
  source: Json<FileSource>;
  current_version: number;
  created_at: Date;
  created_by: string;
  removed_at: Date | null;
  released_version: number | null;
  released_path: string | null;
  released_sha256: string | null;
  released_size: number | null;
  released_rows: number | null;
  released_at: Date | null;
  published_at: Date | null;
  published_by: string | null;
}
export type FileRow = Selectable<FileTable>;

export interface VersionTable {
  file_id: string;
  version: number;
  created_at: Date;
  created_by: string;
  note: string;
  columns: Json<ColumnSpec[]>;
  header: Json<string[]>;
  rows: Json<Cell[][]>;
  row_count: number;
  model: Json<{ observations: number; parameters: number } | null>;
  report: Json<FileReport>;
  verdict: Verdict;
  content_sha256: string;
}
export type VersionRow = Selectable<VersionTable>;

export interface AttachmentTable {
  id: string;
  file_id: string;
  name: string;
  media_type: 'image/svg+xml' | 'image/png';
  size: number;
  sha256: string;
  content: Buffer;
  created_at: Date;
}
export type AttachmentRow = Selectable<AttachmentTable>;

export interface VoteTable {
  /** Insertion order: ties of the (manual, in tests) clock are broken by it. */
  seq: Generated<number>;
  request_id: string;
  round: number;
  reviewer_id: string;
  reviewer_name: string;
  decision: Decision;
  comment: string | null;
  override_justification: string | null;
  at: Date;
}
export type VoteRow = Selectable<VoteTable>;

export interface EventTable {
  id: string;
  seq: Generated<number>;
  request_id: string;
  at: Date;
  actor_id: string | null;
  actor_label: string;
  action: string;
  from_status: RequestStatus | null;
  to_status: RequestStatus;
  round: number;
  comment: string | null;
}
export type EventRow = Selectable<EventTable>;

export interface SettingsTable {
  /** `hub`, or `dataset:<catalogue slug>`. */
  scope: string;
  settings: Json<SdcSettings | Partial<SdcSettings>>;
  updated_at: Date;
  updated_by: string;
}

export const json = (value: unknown): string => JSON.stringify(value);

// Requests

export function insertRequest(db: Executor, row: Omit<RequestRow, 'seq' | 'round'>) {
  return db.insertInto('airlock_requests').values(row).execute();
}

export function findRequest(db: Executor, projectId: string, id: string) {
  return db.selectFrom('airlock_requests').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

/** The request, locked for a change of state (one writer at a time: two votes cannot both be second). */
export function lockRequest(db: Executor, projectId: string, id: string) {
  return db.selectFrom('airlock_requests').selectAll().where('project_id', '=', projectId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateRequest(db: Executor, id: string, patch: Partial<Omit<RequestRow, 'id' | 'seq'>>) {
  return db.updateTable('airlock_requests').set(patch).where('id', '=', id).execute();
}

export function projectRequests(db: Executor, projectId: string) {
  return db.selectFrom('airlock_requests').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'desc').orderBy('seq', 'desc').execute();
}

/** Requests that have been submitted at least once, for the reviewers (no draft never submitted). */
export function submittedRequestsOfProject(db: Executor, projectId: string) {
  return db.selectFrom('airlock_requests').selectAll().where('project_id', '=', projectId).where('submitted_at', 'is not', null).orderBy('created_at', 'desc').orderBy('seq', 'desc').execute();
}

export function requestsUnderReview(db: Executor) {
  return db.selectFrom('airlock_requests').selectAll().where('status', '=', 'under_review').orderBy('submitted_at').orderBy('seq').execute();
}

// Files and versions

export function insertFile(db: Executor, row: Omit<FileTable, 'seq' | 'source'> & { source: FileSource }) {
  return db.insertInto('airlock_files').values({ ...row, source: json(row.source) }).execute();
}

export function updateFile(db: Executor, id: string, patch: Partial<Omit<FileRow, 'id' | 'seq' | 'source'>>) {
  return db.updateTable('airlock_files').set(patch).where('id', '=', id).execute();
}

/** Files still part of their request (a removed draft file stays stored, out of the request). */
export function filesOf(db: Executor, requestIds: string[]) {
  if (requestIds.length === 0) return Promise.resolve([] as FileRow[]);
  return db.selectFrom('airlock_files').selectAll().where('request_id', 'in', requestIds).where('removed_at', 'is', null).orderBy('seq').execute();
}

export function findFile(db: Executor, requestId: string, fileId: string) {
  return db.selectFrom('airlock_files').selectAll().where('request_id', '=', requestId).where('id', '=', fileId).where('removed_at', 'is', null).executeTakeFirst();
}

export function findFileById(db: Executor, fileId: string) {
  return db.selectFrom('airlock_files').selectAll().where('id', '=', fileId).where('removed_at', 'is', null).executeTakeFirst();
}

export function insertVersion(db: Executor, row: Omit<VersionRow, 'columns' | 'header' | 'rows' | 'model' | 'report'> & { columns: ColumnSpec[]; header: string[]; rows: Cell[][]; model: { observations: number; parameters: number } | null; report: FileReport }) {
  return db.insertInto('airlock_file_versions').values({ ...row, columns: json(row.columns), header: json(row.header), rows: json(row.rows), model: json(row.model), report: json(row.report) }).execute();
}

export function findVersion(db: Executor, fileId: string, version: number) {
  return db.selectFrom('airlock_file_versions').selectAll().where('file_id', '=', fileId).where('version', '=', version).executeTakeFirst();
}

/** The versions of some files without their cells (history lists). */
export function versionSummaries(db: Executor, fileIds: string[]) {
  if (fileIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('airlock_file_versions').select(['file_id', 'version', 'created_at', 'note', 'verdict']).where('file_id', 'in', fileIds).orderBy('file_id').orderBy('version').execute();
}

/** Current versions of files, with their cells. */
export async function currentVersions(db: Executor, files: Pick<FileRow, 'id' | 'current_version'>[]): Promise<Map<string, VersionRow>> {
  const out = new Map<string, VersionRow>();
  if (files.length === 0) return out;
  const rows = await db.selectFrom('airlock_file_versions').selectAll().where((eb) => eb.or(files.map((f) => eb.and([eb('file_id', '=', f.id), eb('version', '=', f.current_version)])))).execute();
  for (const r of rows) out.set(r.file_id, r);
  return out;
}

/** Current versions without their cells: report, verdict, row count (lists). */
export async function currentReports(db: Executor, files: Pick<FileRow, 'id' | 'current_version'>[]) {
  const out = new Map<string, Pick<VersionRow, 'file_id' | 'version' | 'columns' | 'header' | 'row_count' | 'model' | 'report' | 'verdict'>>();
  if (files.length === 0) return out;
  const rows = await db
    .selectFrom('airlock_file_versions')
    .select(['file_id', 'version', 'columns', 'header', 'row_count', 'model', 'report', 'verdict'])
    .where((eb) => eb.or(files.map((f) => eb.and([eb('file_id', '=', f.id), eb('version', '=', f.current_version)]))))
    .execute();
  for (const r of rows) out.set(r.file_id, r);
  return out;
}

/** Released files of a project (for differencing, SDC-09), with their released version's cells. */
export function releasedVersionsOfProject(db: Executor, projectId: string) {
  return db
    .selectFrom('airlock_files as f')
    .innerJoin('airlock_file_versions as v', (j) => j.onRef('v.file_id', '=', 'f.id').onRef('v.version', '=', 'f.released_version'))
    .select(['f.id as file_id', 'f.request_id', 'f.name', 'v.columns', 'v.rows', 'v.model'])
    .where('f.project_id', '=', projectId)
    .where('f.released_at', 'is not', null)
    .orderBy('f.released_at')
    .execute();
}

/** Published released files of projects, for the public registry. */
export function publishedFiles(db: Executor, projectIds: string[]) {
  if (projectIds.length === 0) return Promise.resolve([] as FileRow[]);
  return db.selectFrom('airlock_files').selectAll().where('project_id', 'in', projectIds).where('published_at', 'is not', null).where('released_at', 'is not', null).orderBy('released_at').orderBy('seq').execute();
}

/** Who added a file or wrote a version of one, in a request (SDC-10: none of them may review it). */
export async function contributorIds(db: Executor, requestId: string): Promise<string[]> {
  const files = await db.selectFrom('airlock_files').select('created_by').where('request_id', '=', requestId).execute();
  const versions = await db.selectFrom('airlock_file_versions as v').innerJoin('airlock_files as f', 'f.id', 'v.file_id').select('v.created_by').where('f.request_id', '=', requestId).execute();
  return [...new Set([...files, ...versions].map((r) => r.created_by))];
}

// Attachments

export function insertAttachment(db: Executor, row: AttachmentRow) {
  return db.insertInto('airlock_attachments').values(row).execute();
}

export function attachmentsOf(db: Executor, fileIds: string[]) {
  if (fileIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('airlock_attachments').select(['id', 'file_id', 'name', 'media_type', 'size', 'sha256']).where('file_id', 'in', fileIds).orderBy('created_at').orderBy('id').execute();
}

export function findAttachment(db: Executor, fileId: string, id: string) {
  return db.selectFrom('airlock_attachments').selectAll().where('file_id', '=', fileId).where('id', '=', id).executeTakeFirst();
}

// Votes and events

export function insertVote(db: Executor, row: Omit<VoteRow, 'seq'>) {
  return db.insertInto('airlock_votes').values(row).execute();
}

export function votesOf(db: Executor, requestId: string, round: number) {
  return db.selectFrom('airlock_votes').selectAll().where('request_id', '=', requestId).where('round', '=', round).orderBy('seq').execute();
}

/** Votes of the current round of several requests (queue). */
export function currentRoundVotes(db: Executor, requests: Pick<RequestRow, 'id' | 'round'>[]) {
  if (requests.length === 0) return Promise.resolve([] as VoteRow[]);
  return db.selectFrom('airlock_votes').selectAll().where((eb) => eb.or(requests.map((r) => eb.and([eb('request_id', '=', r.id), eb('round', '=', r.round)])))).execute();
}

export function insertEvent(db: Executor, row: Omit<EventRow, 'seq'>) {
  return db.insertInto('airlock_events').values(row).execute();
}

export function eventsOf(db: Executor, requestId: string) {
  return db.selectFrom('airlock_events').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
}

// Settings

export function allSettings(db: Executor) {
  return db.selectFrom('airlock_settings').selectAll().orderBy('scope').execute();
}

export function upsertSettings(db: Executor, scope: string, settings: SdcSettings | Partial<SdcSettings>, at: Date, by: string) {
  return db
    .insertInto('airlock_settings')
    .values({ scope, settings: json(settings), updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('scope').doUpdateSet({ settings: json(settings), updated_at: at, updated_by: by }))
    .execute();
}

export function deleteSettings(db: Executor, scope: string) {
  return db.deleteFrom('airlock_settings').where('scope', '=', scope).executeTakeFirst();
}
