/**
 * Personal API tokens — jetons personnels (AUTH-02): bound to one user, one project and an expiry,
 * created only in a full MFA session by a member of the project's workspace, shown once and
 * stored as a SHA-256. They open the jobs endpoints only; each use checks again that the account
 * is active, the charter current and the membership running.
 */
import crypto from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { CharterService } from '../charters/service.js';
import type { IdentityService } from '../identity/service.js';
import type { ProjectAccess } from '../projects/service.js';
import { assertDataAccess, type Actor, type AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { memberEnd } from './policy.js';
import * as repo from './repo.js';
import type { TokenRow } from './repo.js';

registerMessages({
  'token.invalid': { fr: 'Jeton d’accès invalide, expiré ou révoqué.', en: 'Invalid, expired or revoked access token.' },
  'token.wrong_project': { fr: 'Ce jeton n’ouvre pas ce projet.', en: 'This token does not open this project.' },
  'token.expiry_invalid': { fr: 'Date d’expiration invalide : {reason}', en: 'Invalid expiry: {reason}' },
  'token.not_found': { fr: 'Jeton introuvable.', en: 'Token not found.' },
});

export interface ApiTokensDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  identity: Pick<IdentityService, 'getUser'>;
  charters: Pick<CharterService, 'hasAcceptedCurrent'>;
  access: (actor: AnyActor, projectId: string) => Promise<ProjectAccess>;
  maxDays: number;
  today: () => string;
}

export const TOKEN_PREFIX = 'hdh_pat_';
const hash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export function presentToken(t: TokenRow) {
  return { id: t.id, projectId: t.project_id, label: t.label, createdAt: t.created_at.toISOString(), expiresAt: t.expires_at.toISOString(), lastUsedAt: t.last_used_at?.toISOString() ?? null, revokedAt: t.revoked_at?.toISOString() ?? null };
}

export class ApiTokens {
  constructor(private readonly deps: ApiTokensDeps) {}

  async create(actor: Actor, input: { projectId: string; label: string; expiresAt: string }) {
    // A token is created in a full MFA session only; requireFullActor already refused others.
    assertDataAccess(actor);
    const project = await this.deps.access(actor, input.projectId);
    const now = this.deps.clock.now();
    const expires = new Date(/^\d{4}-\d{2}-\d{2}$/.test(input.expiresAt) ? `${input.expiresAt}T23:59:59Z` : input.expiresAt);
    const bad = (reason: string) => new HdhError('token.expiry_invalid', 400, { reason }, [{ location: 'body.expiresAt', message: reason }]);
    if (!(expires > now)) throw bad('in the past');
    if (expires.getTime() - now.getTime() > this.deps.maxDays * 86_400_000) throw bad(`more than ${this.deps.maxDays} days ahead`);
    const end = memberEnd(actor, project);
    if (end && expires.toISOString().slice(0, 10) > end) throw bad(`after your access ends (${end})`);
    const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
    const row = { id: crypto.randomUUID(), user_id: actor.userId, project_id: input.projectId, label: input.label, token_sha256: hash(token), created_at: now, expires_at: expires, revoked_at: null, last_used_at: null };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertToken(tx, row);
      await this.deps.audit.record(tx, { actor, action: 'token.create', target: { type: 'api_token', id: row.id }, projectId: input.projectId, details: { label: input.label, expiresAt: expires.toISOString() } });
    });
    return { ...presentToken(row), token };
  }

  async list(actor: Actor) {
    assertDataAccess(actor);
    return (await repo.tokensOf(this.deps.db, actor.userId)).map(presentToken);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    assertDataAccess(actor);
    await this.deps.db.transaction().execute(async (tx) => {
      const t = (await repo.tokensOf(tx, actor.userId)).find((x) => x.id === id);
      if (!t) throw new HdhError('token.not_found', 404);
      if (t.revoked_at) return;
      await repo.updateToken(tx, id, { revoked_at: this.deps.clock.now() });
      await this.deps.audit.record(tx, { actor, action: 'token.revoke', target: { type: 'api_token', id }, projectId: t.project_id });
    });
  }

  /**
   * The caller behind a bearer token on a jobs endpoint of `projectId`: refused (401, audited) when
   * unknown, expired, revoked or its account closed; 403 when made for another project.
   */
  async authenticate(token: string, projectId: string, ip: string | null): Promise<{ actor: Actor; tokenId: string }> {
    const now = this.deps.clock.now();
    const refuse = async (reason: string, row?: TokenRow) => {
      await this.deps.audit.recordStandalone({ actor: null, actorLabel: row ? `token:${row.id}` : 'anonymous', action: 'token.use', target: row ? { type: 'api_token', id: row.id } : undefined, projectId: row?.project_id, outcome: 'denied', ip, details: { reason } });
      return new HdhError('token.invalid', 401);
    };
    const row = token.startsWith(TOKEN_PREFIX) ? await repo.tokenByHash(this.deps.db, hash(token)) : undefined;
    if (!row) throw await refuse('unknown');
    if (row.revoked_at) throw await refuse('revoked', row);
    if (row.expires_at <= now) throw await refuse('expired', row);
    const user = await this.deps.identity.getUser(row.user_id).catch(() => null);
    if (!user || user.status !== 'active' || user.endOfRights < this.deps.today()) throw await refuse('account inactive', row);
    if (row.project_id !== projectId) {
      await this.deps.audit.recordStandalone({ actor: null, actorLabel: user.email, action: 'token.use', target: { type: 'api_token', id: row.id }, projectId, outcome: 'denied', ip, details: { reason: 'other project' } });
      throw new HdhError('token.wrong_project', 403);
    }
    await repo.updateToken(this.deps.db, row.id, { last_used_at: now });
    const actor: Actor = {
      kind: 'user', userId: user.id, email: user.email, displayName: user.displayName, organisationId: user.organisationId, roles: user.roles,
      // The token was made in a full MFA session, for this user only (AUTH-01, AUTH-02).
      mfa: true, charterAccepted: await this.deps.charters.hasAcceptedCurrent(this.deps.db, user.id), sessionId: null, ip,
    };
    return { actor, tokenId: row.id };
  }
}
