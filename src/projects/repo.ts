/** The projects tables, through Kysely. Only this file writes SQL of the projects domain. */
import { sql, type ColumnType, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { CesreesOutcome, CnilOutcome, ConventionParty, LegalRoute, ReferenceMethodology, Status } from './procedure.js';

/** jsonb: read as the value, written as its JSON text (node-postgres would turn arrays into SQL arrays). */
type Json<T> = ColumnType<T, string, string>;
/** Columns with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type JsonDefaulted<T> = ColumnType<T, string | undefined, string>;

export interface DataControllerJson { name: string; kind: 'rt' | 'co_rt'; organisationType?: 'public' | 'private_non_profit' | 'private_for_profit' | undefined }
export interface PartyJson { name: string; role?: string | undefined }

declare module '../platform/db/tables.js' {
  interface Tables {
    projects: ProjectTable;
    project_perimeters: PerimeterTable;
    project_members: MemberTable;
    project_interest_declarations: InterestTable;
    project_documents: DocumentTable;
    project_transitions: TransitionTable;
    project_convention_acceptances: ConventionAcceptanceTable;
    project_messages: MessageTable;
    notifications: NotificationTable;
    project_member_reviews: MemberReviewTable;
  }
}

export interface ProjectTable {
  id: string;
  reference: string;
  title: string;
  summary: Defaulted<string>;
  purpose: Defaulted<string>;
  objectives: Defaulted<string>;
  public_interest: Defaulted<string>;
  methodology: Defaulted<string>;
  expected_results: Defaulted<string>;
  legal_route: LegalRoute;
  reference_methodology: ReferenceMethodology | null;
  conformity_reference: string | null;
  conformity_declared_on: string | null;
  public_service_mission: Defaulted<boolean>;
  data_controllers: JsonDefaulted<DataControllerJson[]>;
  rmo: ColumnType<PartyJson | null, string | null, string | null>;
  subcontractors: JsonDefaulted<PartyJson[]>;
  medical_domains: JsonDefaulted<string[]>;
  other_sources: JsonDefaulted<string[]>;
  requested_end_date: string | null;
  authorised_end_date: string | null;
  start_date: string | null;
  lead_id: string;
  status: Status;
  step_started_on: string | null;
  due_date: string | null;
  cnil_renewed: Defaulted<boolean>;
  cesrees_outcome: CesreesOutcome | null;
  cesrees_decided_on: string | null;
  cesrees_reference: string | null;
  cnil_outcome: CnilOutcome | null;
  cnil_decided_on: string | null;
  cnil_number: string | null;
  registry_reference: string | null;
  results_summary: string | null;
  results_url: string | null;
  results_published_at: Date | null;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
}
export type ProjectRow = Selectable<ProjectTable>;
export type ProjectPatch = Updateable<ProjectTable>;

export interface PerimeterTable { project_id: string; version: number; permit: Json<unknown>; created_at: Date; created_by: string }
export interface MemberTable { project_id: string; user_id: string; email: string; display_name: string; role_in_project: string; end_date: string; added_at: Date; last_confirmed_at: Date | null }
export type MemberRow = Selectable<MemberTable>;
export interface InterestTable { id: string; project_id: string; person_name: string; capacity: 'data_controller' | 'research_lead' | 'team_member'; statement: string; signed_on: string; recorded_at: Date; recorded_by: string }
export type DocumentKind = 'protocol' | 'pia' | 'cv' | 'interest_declaration' | 'conformity_declaration' | 'convention' | 'other';
export interface DocumentTable { id: string; project_id: string; kind: DocumentKind; name: string; version: number; sha256: string; size_bytes: number; media_type: string; stored_path: string; uploaded_at: Date; uploaded_by: string }
export type DocumentRow = Selectable<DocumentTable>;
export interface TransitionTable {
  id: string; seq: Generated<number>; project_id: string; from_status: Status | null; to_status: Status; action: string; at: Date; actor_id: string | null; actor_label: string;
  automatic: boolean; reference: string | null; note: string | null; due_date: string | null; details: Json<Record<string, unknown>>;
}
export type TransitionRow = Selectable<TransitionTable>;
export interface ConventionAcceptanceTable { project_id: string; party: ConventionParty; accepted_by: string; accepted_at: Date }
export interface MessageTable { id: string; seq: Generated<number>; project_id: string; parent_id: string | null; author_id: string | null; author_label: string; author_side: 'applicant' | 'hub'; body: string; created_at: Date }
export interface NotificationTable { id: string; user_id: string; project_id: string | null; kind: string; details: Json<Record<string, unknown>>; created_at: Date; read_at: Date | null; emailed_at: ColumnType<Date | null, Date | null | undefined, Date | null>; email_attempts: Defaulted<number>; email_error: ColumnType<string | null, string | null | undefined, string | null> }
export interface MemberReviewTable { id: string; project_id: string; reviewer_id: string; decisions: Json<unknown>; note: string; reviewed_at: Date }

export const json = (v: unknown): string => JSON.stringify(v);

// Projects
export async function nextReferenceNumber(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: number }>`select nextval('project_reference_seq')::int as n`.execute(db);
  return rows[0]!.n;
}
export function insertProject(db: Executor, row: Insertable<ProjectTable>) {
  return db.insertInto('projects').values(row).execute();
}
export function findProject(db: Executor, id: string) {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}
/** Row lock for a state change: concurrent transitions on one project queue up behind it. */
export function lockProject(tx: Executor, id: string) {
  return tx.selectFrom('projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export function updateProject(db: Executor, id: string, patch: ProjectPatch) {
  return db.updateTable('projects').set(patch).where('id', '=', id).execute();
}
export function listProjects(db: Executor, filter: { visibleTo?: string; today?: string }) {
  let q = db.selectFrom('projects').selectAll();
  if (filter.visibleTo) {
    const userId = filter.visibleTo;
    q = q.where((eb) => eb.or([eb('lead_id', '=', userId), eb('id', 'in', eb.selectFrom('project_members').select('project_id').where('user_id', '=', userId).where('end_date', '>=', filter.today ?? '0000-01-01'))]));
  }
  return q.orderBy('updated_at', 'desc').execute();
}
/** Projects whose current step is past its due day, in statuses with a scheduled outcome. */
export function projectsDueBefore(db: Executor, statuses: Status[], today: string) {
  return db.selectFrom('projects').select(['id']).where('status', 'in', statuses).where('due_date', '<', today).orderBy('due_date').execute();
}
export function publicProjects(db: Executor) {
  return db.selectFrom('projects').selectAll().where('submitted_at', 'is not', null).orderBy('reference').execute();
}
export function findPublicProjectByReference(db: Executor, reference: string) {
  return db.selectFrom('projects').selectAll().where('reference', '=', reference).where('submitted_at', 'is not', null).executeTakeFirst();
}

// Perimeters
export async function latestPerimeter(db: Executor, projectId: string) {
  return db.selectFrom('project_perimeters').selectAll().where('project_id', '=', projectId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}
export function perimeterVersions(db: Executor, projectId: string) {
  return db.selectFrom('project_perimeters').selectAll().where('project_id', '=', projectId).orderBy('version').execute();
}
export function perimeterVersion(db: Executor, projectId: string, version: number) {
  return db.selectFrom('project_perimeters').selectAll().where('project_id', '=', projectId).where('version', '=', version).executeTakeFirst();
}
export function insertPerimeter(db: Executor, row: { project_id: string; version: number; permit: string; created_at: Date; created_by: string }) {
  return db.insertInto('project_perimeters').values(row).execute();
}
export async function latestPerimeters(db: Executor, projectIds: string[]) {
  if (projectIds.length === 0) return new Map<string, unknown>();
  const rows = await db.selectFrom('project_perimeters as p').select(['p.project_id', 'p.permit'])
    .where('p.project_id', 'in', projectIds)
    .where((eb) => eb('p.version', '=', eb.selectFrom('project_perimeters as q').select((e) => e.fn.max('q.version').as('v')).whereRef('q.project_id', '=', 'p.project_id')))
    .execute();
  return new Map(rows.map((r) => [r.project_id, r.permit]));
}

// Members
export function members(db: Executor, projectId: string) {
  return db.selectFrom('project_members').selectAll().where('project_id', '=', projectId).orderBy('display_name').execute();
}
/** A current member: on the team and not past their end date (AUTH-03: access closes by itself). */
export function isMember(db: Executor, projectId: string, userId: string, today: string) {
  return db.selectFrom('project_members').select('user_id').where('project_id', '=', projectId).where('user_id', '=', userId).where('end_date', '>=', today).executeTakeFirst();
}
export function upsertMember(db: Executor, row: Selectable<MemberTable>) {
  return db.insertInto('project_members').values(row)
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role_in_project: row.role_in_project, end_date: row.end_date }))
    .execute();
}
export function removeMember(db: Executor, projectId: string, userId: string) {
  return db.deleteFrom('project_members').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
}
export function confirmMembers(db: Executor, projectId: string, userIds: string[], at: Date) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.updateTable('project_members').set({ last_confirmed_at: at }).where('project_id', '=', projectId).where('user_id', 'in', userIds).execute();
}
export function insertMemberReview(db: Executor, row: { id: string; project_id: string; reviewer_id: string; decisions: string; note: string; reviewed_at: Date }) {
  return db.insertInto('project_member_reviews').values(row).execute();
}
export function lastMemberReview(db: Executor, projectId: string) {
  return db.selectFrom('project_member_reviews').selectAll().where('project_id', '=', projectId).orderBy('reviewed_at', 'desc').limit(1).executeTakeFirst();
}

// Declarations of interest
export function interests(db: Executor, projectId: string) {
  return db.selectFrom('project_interest_declarations').selectAll().where('project_id', '=', projectId).orderBy('recorded_at').execute();
}
export function insertInterest(db: Executor, row: Selectable<InterestTable>) {
  return db.insertInto('project_interest_declarations').values(row).execute();
}

// Documents
export function documents(db: Executor, projectId: string) {
  return db.selectFrom('project_documents').selectAll().where('project_id', '=', projectId).orderBy('kind').orderBy('name').orderBy('version').execute();
}
export function findDocument(db: Executor, projectId: string, id: string) {
  return db.selectFrom('project_documents').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}
export async function lastDocumentVersion(db: Executor, projectId: string, kind: DocumentKind, name: string): Promise<number> {
  const r = await db.selectFrom('project_documents').select((eb) => eb.fn.max('version').as('v')).where('project_id', '=', projectId).where('kind', '=', kind).where('name', '=', name).executeTakeFirst();
  return Number(r?.v ?? 0);
}
export function insertDocument(db: Executor, row: DocumentRow) {
  return db.insertInto('project_documents').values(row).execute();
}

// Transitions
export function insertTransition(db: Executor, row: Insertable<TransitionTable>) {
  return db.insertInto('project_transitions').values(row).execute();
}
export function transitions(db: Executor, projectId: string) {
  return db.selectFrom('project_transitions').selectAll().where('project_id', '=', projectId).orderBy('at').orderBy('seq').execute();
}
export function allTransitions(db: Executor) {
  return db.selectFrom('project_transitions').select(['project_id', 'from_status', 'to_status', 'action', 'at']).orderBy('project_id').orderBy('at').orderBy('seq').execute();
}

// Convention
export function conventionAcceptances(db: Executor, projectId: string) {
  return db.selectFrom('project_convention_acceptances').selectAll().where('project_id', '=', projectId).orderBy('accepted_at').execute();
}
export function insertConventionAcceptance(db: Executor, row: Selectable<ConventionAcceptanceTable>) {
  return db.insertInto('project_convention_acceptances').values(row).onConflict((oc) => oc.doNothing()).execute();
}

// Exchanges and notifications
export function messages(db: Executor, projectId: string) {
  return db.selectFrom('project_messages').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('seq').execute();
}
export function findMessage(db: Executor, projectId: string, id: string) {
  return db.selectFrom('project_messages').select('id').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}
/** The side of the latest message of each project with messages: an applicant's last word awaits the hub's reply. */
export function lastMessageSides(db: Executor) {
  return db.selectFrom('project_messages').distinctOn('project_id').select(['project_id', 'author_side', 'created_at']).orderBy('project_id').orderBy('created_at', 'desc').orderBy('seq', 'desc').execute();
}
export function insertMessage(db: Executor, row: Insertable<MessageTable>) {
  return db.insertInto('project_messages').values(row).execute();
}
export function insertNotifications(db: Executor, rows: { id: string; user_id: string; project_id: string | null; kind: string; details: string; created_at: Date; read_at: null }[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('notifications').values(rows).execute();
}
export function notificationsOf(db: Executor, userId: string, unreadOnly: boolean) {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return q.orderBy('created_at', 'desc').limit(200).execute();
}
export function markNotificationRead(db: Executor, userId: string, id: string, at: Date) {
  return db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('id', '=', id).where('read_at', 'is', null).executeTakeFirst();
}

/** Notifications not yet e-mailed, recent and not given up on (a few attempts, then left in the app only). */
export function unsentNotifications(db: Executor, since: Date, maxAttempts: number, limit: number) {
  return db.selectFrom('notifications').select(['id', 'user_id', 'kind', 'details', 'email_attempts']).where('emailed_at', 'is', null).where('created_at', '>=', since).where('email_attempts', '<', maxAttempts).orderBy('created_at').limit(limit).execute();
}
export function markEmailed(db: Executor, id: string, at: Date) {
  return db.updateTable('notifications').set({ emailed_at: at, email_error: null }).where('id', '=', id).execute();
}
export function markEmailFailed(db: Executor, id: string, attempts: number, error: string) {
  return db.updateTable('notifications').set({ email_attempts: attempts, email_error: error.slice(0, 500) }).where('id', '=', id).execute();
}
