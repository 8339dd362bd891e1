/**
 * Accounts — comptes nominatifs: organisations, users, roles, end-of-rights dates (AUTH-03) and the
 * annual access review — revue annuelle des habilitations (AUTH-08). Every change is audited in
 * the transaction that makes it.
 */
import crypto from 'node:crypto';
import type { Actor, AnyActor, Role } from '../platform/actor.js';
import { utcDay, type Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import type { CharterService } from '../charters/service.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { assertAdministrator, requiresMfa } from './policy.js';
import * as repo from './repo.js';
import type { OrganisationKind, SessionRow, UserRow } from './repo.js';

registerMessages({
  'user.not_found': { fr: 'Compte introuvable.', en: 'Account not found.' },
  'user.email_taken': { fr: 'Un compte existe déjà pour {email}.', en: 'An account already exists for {email}.' },
  'user.weak_password': { fr: 'Mot de passe trop faible : {problem}.', en: 'Password too weak: {problem}.' },
  'user.end_of_rights_past': {
    fr: 'La date de fin de droits doit être dans le futur.',
    en: 'The end-of-rights date must be in the future.',
  },
  'organisation.not_found': { fr: 'Organisation introuvable.', en: 'Organisation not found.' },
  'organisation.name_taken': { fr: 'L’organisation {name} existe déjà.', en: 'Organisation {name} already exists.' },
});

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  organisationId: string | null;
  organisationName?: string | null;
  roles: Role[];
  endOfRights: string;
  status: 'active' | 'disabled';
  locale: 'fr' | 'en';
  secondFactor: { totp: boolean };
  lastLoginAt: string | null;
  lastReviewedAt: string | null;
  lockedUntil: string | null;
}

export interface NewUser {
  email: string;
  displayName: string;
  organisationId?: string | null | undefined;
  roles: Role[];
  endOfRights: string;
  password?: string | undefined;
  locale?: 'fr' | 'en' | undefined;
}

export interface AccessReviewEntry extends UserView {
  /** True when the last review is older than the review period, or never happened. */
  reviewDue: boolean;
  expired: boolean;
}

export class IdentityService {
  constructor(
    private readonly deps: { db: Db; clock: Clock; audit: AuditService; charters: CharterService; accessReviewMonths: number },
  ) {}

  async createOrganisation(actor: AnyActor, input: { name: string; kind: OrganisationKind }, tx?: Executor) {
    assertAdministrator(actor);
    const run = async (t: Executor) => {
      if (await repo.findOrganisationByName(t, input.name)) throw new HdhError('organisation.name_taken', 409, { name: input.name });
      const row = { id: crypto.randomUUID(), name: input.name, kind: input.kind, created_at: this.deps.clock.now() };
      await repo.insertOrganisation(t, row);
      await this.deps.audit.record(t, { actor, action: 'organisation.create', target: { type: 'organisation', id: row.id }, details: { name: row.name, kind: row.kind } });
      return { id: row.id, name: row.name, kind: row.kind };
    };
    return tx ? run(tx) : this.deps.db.transaction().execute(run);
  }

  async listOrganisations() {
    return (await repo.listOrganisations(this.deps.db)).map((o) => ({ id: o.id, name: o.name, kind: o.kind }));
  }

  async createUser(actor: AnyActor, input: NewUser, tx?: Executor): Promise<UserView> {
    assertAdministrator(actor);
    if (input.endOfRights <= utcDay(this.deps.clock.now())) throw new HdhError('user.end_of_rights_past', 400);
    if (input.password) {
      const problem = passwordProblem(input.password);
      if (problem) throw new HdhError('user.weak_password', 400, { problem });
    }
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const run = async (t: Executor) => {
      if (await repo.findUserByEmail(t, input.email)) throw new HdhError('user.email_taken', 409, { email: input.email });
      const now = this.deps.clock.now();
      const row: UserRow = {
        id: crypto.randomUUID(),
        email: input.email.toLowerCase(),
        display_name: input.displayName,
        organisation_id: input.organisationId ?? null,
        password_hash: passwordHash,
        end_of_rights: input.endOfRights,
        status: 'active',
        locale: input.locale ?? 'fr',
        failed_logins: 0,
        locked_until: null,
        totp_secret_enc: null,
        totp_enabled_at: null,
        totp_last_step: null,
        oidc_subject: null,
        created_at: now,
        last_login_at: null,
        last_reviewed_at: now,
      };
      await repo.insertUser(t, row);
      for (const role of input.roles) await repo.grantRole(t, { user_id: row.id, role, granted_at: now, granted_by: actor.kind === 'user' ? actor.userId : null });
      await this.deps.audit.record(t, { actor, action: 'user.create', target: { type: 'user', id: row.id }, details: { email: row.email, roles: input.roles, endOfRights: row.end_of_rights } });
      return presentUser(row, input.roles);
    };
    return tx ? run(tx) : this.deps.db.transaction().execute(run);
  }

  async updateUser(actor: AnyActor, userId: string, patch: { roles?: Role[] | undefined; endOfRights?: string | undefined; status?: 'active' | 'disabled' | undefined; displayName?: string | undefined }): Promise<UserView> {
    assertAdministrator(actor);
    return this.deps.db.transaction().execute(async (tx) => {
      const user = await repo.findUserById(tx, userId);
      if (!user) throw new HdhError('user.not_found', 404);
      const now = this.deps.clock.now();
      const changes: Partial<UserRow> = {};
      if (patch.endOfRights !== undefined) {
        if (patch.endOfRights <= utcDay(now)) throw new HdhError('user.end_of_rights_past', 400);
        changes.end_of_rights = patch.endOfRights;
      }
      if (patch.status !== undefined) changes.status = patch.status;
      if (patch.displayName !== undefined) changes.display_name = patch.displayName;
      if (Object.keys(changes).length) await repo.updateUser(tx, userId, changes);
      const before = await repo.rolesOf(tx, userId);
      if (patch.roles) {
        for (const role of before.filter((r) => !patch.roles!.includes(r))) await repo.revokeRole(tx, userId, role);
        for (const role of patch.roles.filter((r) => !before.includes(r))) await repo.grantRole(tx, { user_id: userId, role, granted_at: now, granted_by: actor.kind === 'user' ? actor.userId : null });
      }
      // A disabled account, or one whose rights changed, logs in again.
      if (patch.status === 'disabled' || patch.roles) await repo.revokeUserSessions(tx, userId, now);
      await this.deps.audit.record(tx, { actor, action: 'user.update', target: { type: 'user', id: userId }, details: { ...changes, rolesBefore: patch.roles ? before : undefined, roles: patch.roles } });
      return presentUser({ ...user, ...changes }, patch.roles ?? before);
    });
  }

  async listUsers(actor: AnyActor): Promise<UserView[]> {
    assertAdministrator(actor);
    const [users, roles] = await Promise.all([repo.listUsers(this.deps.db), repo.rolesByUser(this.deps.db)]);
    return users.map((u) => ({ ...presentUser(u, roles.get(u.id) ?? []), organisationName: u.organisation_name }));
  }

  async getUser(userId: string): Promise<UserView> {
    const user = await repo.findUserById(this.deps.db, userId);
    if (!user) throw new HdhError('user.not_found', 404);
    return presentUser(user, await repo.rolesOf(this.deps.db, userId));
  }

  /** An account by its e-mail (case-insensitive): how a project lead names a team member. */
  async getUserByEmail(email: string): Promise<UserView> {
    const user = await repo.findUserByEmail(this.deps.db, email);
    if (!user) throw new HdhError('user.not_found', 404);
    return presentUser(user, await repo.rolesOf(this.deps.db, user.id));
  }

  /** AUTH-08: every account with its roles, rights end and whether its yearly review is due. */
  async accessReview(actor: AnyActor): Promise<AccessReviewEntry[]> {
    const users = await this.listUsers(actor);
    const now = this.deps.clock.now();
    const dueBefore = new Date(now);
    dueBefore.setUTCMonth(dueBefore.getUTCMonth() - this.deps.accessReviewMonths);
    const today = utcDay(now);
    return users
      .map((u) => ({ ...u, reviewDue: !u.lastReviewedAt || new Date(u.lastReviewedAt) < dueBefore, expired: u.endOfRights < today }))
      .sort((a, b) => Number(b.reviewDue) - Number(a.reviewDue) || a.email.localeCompare(b.email));
  }

  async recordAccessReview(actor: Actor, userId: string, decision: 'keep' | 'revoke', note: string): Promise<void> {
    assertAdministrator(actor);
    await this.deps.db.transaction().execute(async (tx) => {
      const user = await repo.findUserById(tx, userId);
      if (!user) throw new HdhError('user.not_found', 404);
      const now = this.deps.clock.now();
      await repo.insertAccessReview(tx, { id: crypto.randomUUID(), user_id: userId, reviewer_id: actor.userId, decision, note, reviewed_at: now });
      await repo.updateUser(tx, userId, { last_reviewed_at: now, ...(decision === 'revoke' ? { status: 'disabled' as const } : {}) });
      if (decision === 'revoke') await repo.revokeUserSessions(tx, userId, now);
      await this.deps.audit.record(tx, { actor, action: 'user.access_review', target: { type: 'user', id: userId }, details: { decision, note } });
    });
  }

  /**
   * The security context of a live session, or null when the account can no longer act
   * (disabled, past its end-of-rights date: AUTH-03 closes access the day after).
   */
  async actorForSession(db: Executor, session: SessionRow, ip: string | null): Promise<Actor | null> {
    const user = await repo.findUserById(db, session.user_id);
    if (!user || !isActive(user, this.deps.clock.now())) return null;
    const roles = await repo.rolesOf(db, user.id);
    const hasFactor = !!user.totp_enabled_at || (await repo.webauthnCredentials(db, user.id)).length > 0;
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      displayName: user.display_name,
      organisationId: user.organisation_id,
      roles,
      mfa: session.level === 'full' && (hasFactor || session.auth_method.includes('oidc-mfa') || !requiresMfa(roles)),
      charterAccepted: await this.deps.charters.hasAcceptedCurrent(db, user.id),
      sessionId: session.id_hash,
      ip,
    };
  }
}

export function isActive(user: UserRow, now: Date): boolean {
  return user.status === 'active' && user.end_of_rights >= utcDay(now);
}

export function presentUser(u: UserRow, roles: Role[]): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    organisationId: u.organisation_id,
    roles,
    endOfRights: u.end_of_rights,
    status: u.status,
    locale: u.locale,
    secondFactor: { totp: !!u.totp_enabled_at },
    lastLoginAt: u.last_login_at?.toISOString() ?? null,
    lastReviewedAt: u.last_reviewed_at?.toISOString() ?? null,
    lockedUntil: u.locked_until?.toISOString() ?? null,
  };
}
