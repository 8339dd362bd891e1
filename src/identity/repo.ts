import { sql, type Expression, type Selectable } from 'kysely';
import type { Role } from '../platform/actor.js';
import type { Executor } from '../platform/db/database.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    organisations: OrganisationTable;
    users: UserTable;
    user_roles: UserRoleTable;
    recovery_codes: RecoveryCodeTable;
    webauthn_credentials: WebauthnCredentialTable;
    sessions: SessionTable;
    access_reviews: AccessReviewTable;
    auth_challenges: AuthChallengeTable;
  }
}

export type OrganisationKind = 'hub' | 'producer' | 'research' | 'agency' | 'company' | 'hospital' | 'other';
export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  created_at: Date;
}

export interface UserTable {
  id: string;
  email: string;
  display_name: string;
  organisation_id: string | null;
  password_hash: string | null;
  end_of_rights: string;
  status: 'active' | 'disabled';
  locale: 'fr' | 'en';
  failed_logins: number;
  locked_until: Date | null;
  totp_secret_enc: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  oidc_subject: string | null;
  created_at: Date;
  last_login_at: Date | null;
  last_reviewed_at: Date | null;
}
export type UserRow = Selectable<UserTable>;

export interface UserRoleTable {
  user_id: string;
  role: Role;
  granted_at: Date;
  granted_by: string | null;
}

export interface RecoveryCodeTable {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}

export interface WebauthnCredentialTable {
  id: string;
  user_id: string;
  public_key: string;
  counter: number;
  transports: string | null;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
}
export type WebauthnCredentialRow = Selectable<WebauthnCredentialTable>;

export interface SessionTable {
  id_hash: string;
  user_id: string;
  level: 'full' | 'enrolment';
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  auth_method: string;
  pending_challenge: string | null;
  revoked_at: Date | null;
}
export type SessionRow = Selectable<SessionTable>;

export interface AuthChallengeTable {
  id: string;
  user_id: string | null;
  challenge: string;
  expires_at: Date;
}

export interface AccessReviewTable {
  id: string;
  user_id: string;
  reviewer_id: string;
  decision: 'keep' | 'revoke';
  note: string;
  reviewed_at: Date;
}

// Organisations
export function insertOrganisation(db: Executor, row: OrganisationTable) {
  return db.insertInto('organisations').values(row).execute();
}
export function findOrganisationByName(db: Executor, name: string) {
  return db.selectFrom('organisations').selectAll().where('name', '=', name).executeTakeFirst();
}
export function listOrganisations(db: Executor) {
  return db.selectFrom('organisations').selectAll().orderBy('name').execute();
}

// Users
export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();
}
export function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
export function findUserByOidcSubject(db: Executor, subject: string) {
  return db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
}
export function insertUser(db: Executor, row: UserRow) {
  return db.insertInto('users').values(row).execute();
}
export function updateUser(db: Executor, id: string, patch: Partial<UserRow>) {
  return db.updateTable('users').set(patch).where('id', '=', id).execute();
}
export function listUsers(db: Executor) {
  return db
    .selectFrom('users')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .selectAll('users')
    .select('organisations.name as organisation_name')
    .orderBy('users.email')
    .execute();
}
export async function rolesOf(db: Executor, userId: string): Promise<Role[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((r) => r.role);
}
export async function rolesByUser(db: Executor): Promise<Map<string, Role[]>> {
  const rows = await db.selectFrom('user_roles').select(['user_id', 'role']).orderBy('role').execute();
  const map = new Map<string, Role[]>();
  for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.role]);
  return map;
}
export function grantRole(db: Executor, row: UserRoleTable) {
  return db.insertInto('user_roles').values(row).onConflict((oc) => oc.doNothing()).execute();
}
export function revokeRole(db: Executor, userId: string, role: Role) {
  return db.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role).execute();
}

// Second factors
/** Call inside a transaction: old codes go, new ones come, together. */
export async function replaceRecoveryCodes(tx: Executor, userId: string, hashes: string[]) {
  await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length) await tx.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null }))).execute();
}
export async function useRecoveryCode(db: Executor, userId: string, hash: string, at: Date): Promise<boolean> {
  const res = await db.updateTable('recovery_codes').set({ used_at: at }).where('user_id', '=', userId).where('code_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
export async function unusedRecoveryCodeCount(db: Executor, userId: string): Promise<number> {
  const r = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}
export function webauthnCredentials(db: Executor, userId: string) {
  return db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}
export function findWebauthnCredential(db: Executor, id: string) {
  return db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
}
export function insertWebauthnCredential(db: Executor, row: WebauthnCredentialRow) {
  return db.insertInto('webauthn_credentials').values(row).execute();
}
export function touchWebauthnCredential(db: Executor, id: string, counter: number, at: Date) {
  return db.updateTable('webauthn_credentials').set({ counter, last_used_at: at }).where('id', '=', id).execute();
}
export function deleteWebauthnCredential(db: Executor, userId: string, id: string) {
  return db.deleteFrom('webauthn_credentials').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

// Sessions
export function insertSession(db: Executor, row: SessionRow) {
  return db.insertInto('sessions').values(row).execute();
}
export function findSession(db: Executor, idHash: string) {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}
/**
 * A session with what every request needs alongside it, in one round trip (it took six): the
 * account's status and identity, its roles, whether it has a second factor, and the charter check
 * (`charterAccepted`, an SQL condition on the user id that the charters domain provides).
 */
export function findSessionContext(db: Executor, idHash: string, charterAccepted: (userId: Expression<string>) => Expression<boolean>) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('s')
    .select([
      'u.email as user_email',
      'u.display_name as user_display_name',
      'u.organisation_id as user_organisation_id',
      'u.status as user_status',
      'u.end_of_rights as user_end_of_rights',
      sql<boolean>`u.totp_enabled_at is not null`.as('user_has_totp'),
      sql<Role[]>`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = s.user_id), '{}')`.as('user_roles'),
      sql<boolean>`exists (select 1 from webauthn_credentials w where w.user_id = s.user_id)`.as('user_has_webauthn'),
      sql<boolean>`${charterAccepted(sql.ref('s.user_id'))}`.as('charter_accepted'),
    ])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
}
export type SessionContextRow = NonNullable<Awaited<ReturnType<typeof findSessionContext>>>;
/** An account as shown to itself, with its roles and second factors, in one round trip. */
export function findUserWithFactors(db: Executor, id: string) {
  return db
    .selectFrom('users as u')
    .selectAll('u')
    .select([
      sql<Role[]>`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = u.id), '{}')`.as('roles'),
      sql<number>`(select count(*) from webauthn_credentials w where w.user_id = u.id)::int`.as('webauthn_count'),
    ])
    .where('u.id', '=', id)
    .executeTakeFirst();
}
export function updateSession(db: Executor, idHash: string, patch: Partial<SessionRow>) {
  return db.updateTable('sessions').set(patch).where('id_hash', '=', idHash).execute();
}
export function revokeUserSessions(db: Executor, userId: string, at: Date) {
  return db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

// Access reviews
export function insertAccessReview(db: Executor, row: AccessReviewTable) {
  return db.insertInto('access_reviews').values(row).execute();
}


// Login challenges (WebAuthn before a session exists)
export function insertChallenge(db: Executor, row: AuthChallengeTable) {
  return db.insertInto('auth_challenges').values(row).execute();
}
/** Takes a challenge once: it is deleted as it is read. */
export function takeChallenge(db: Executor, id: string, now: Date) {
  return db.deleteFrom('auth_challenges').where('id', '=', id).where('expires_at', '>', now).returningAll().executeTakeFirst();
}
export function purgeChallenges(db: Executor, now: Date) {
  return db.deleteFrom('auth_challenges').where('expires_at', '<=', now).execute();
}
