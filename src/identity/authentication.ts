/**
 * Authentication — authentification forte (AUTH-01, AUTH-13): password + second factor in one
 * request, so a refusal never says which factor failed. Repeated failures lock the account with
 * a growing delay. Every attempt, refused or not, is audited (LOG-03).
 */
import crypto from 'node:crypto';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { FieldCipher } from '../platform/crypto/field-cipher.js';
import { sha256Hex } from '../platform/crypto/hashing.js';
import type { Db, Executor } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { requiresMfa } from './policy.js';
import * as repo from './repo.js';
import type { UserRow } from './repo.js';
import { isActive } from './service.js';
import type { NewSession, SessionStore } from './sessions.js';
import { checkTotp, newTotpSecret, totpQrSvg, totpUri } from './totp.js';

registerMessages({
  'mfa.already_enrolled': { fr: 'Un second facteur TOTP est déjà actif.', en: 'A TOTP second factor is already active.' },
  'mfa.no_pending_enrolment': { fr: 'Aucun enrôlement en cours.', en: 'No enrolment in progress.' },
  'mfa.invalid_code': { fr: 'Code invalide.', en: 'Invalid code.' },
  'auth.second_factor_not_pending': {
    fr: 'Aucun second facteur n’est attendu pour cette session.',
    en: 'This session is not waiting for a second factor.',
  },
  'password.invalid_current': { fr: 'Mot de passe actuel incorrect.', en: 'Current password is incorrect.' },
});

export interface SecondFactorInput {
  totp?: string | undefined;
  recoveryCode?: string | undefined;
  /** Checked by the WebAuthn module (webauthn.ts): true when the assertion proves this user's key. */
  webauthn?: { verify(user: UserRow): Promise<boolean> } | undefined;
}

export interface LoginInput extends SecondFactorInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export interface LoginResult {
  session: NewSession;
  /** 'enrolment' sessions may only enrol a second factor (first login of an account without one). */
  level: 'full' | 'enrolment';
}

export interface AuthenticationDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionStore;
  cipher: FieldCipher;
  issuer: string;
  maxFailures: number;
  lockMs: number;
}

type Refusal = 'unknown_account' | 'locked' | 'bad_password' | 'disabled' | 'expired' | 'second_factor_missing' | 'second_factor_invalid' | 'no_password';

export class AuthenticationService {
  constructor(private readonly deps: AuthenticationDeps) {}

  async login(input: LoginInput): Promise<LoginResult> {
    const now = this.deps.clock.now();
    const user = await repo.findUserByEmail(this.deps.db, input.email);
    const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
    let refusal: Refusal | null = null;
    let method = 'password';
    if (!user) refusal = 'unknown_account';
    else if (user.locked_until && user.locked_until > now) refusal = 'locked';
    else if (!user.password_hash) refusal = 'no_password';
    else if (!passwordOk) refusal = 'bad_password';
    else if (user.status !== 'active') refusal = 'disabled';
    else if (!isActive(user, now)) refusal = 'expired';
    let level: LoginResult['level'] = 'full';
    if (user && !refusal) {
      const second = await this.checkSecondFactor(user, input, now);
      if (second.enrolled) {
        if (second.method) method = `password+${second.method}`;
        else refusal = input.totp || input.recoveryCode || input.webauthn ? 'second_factor_invalid' : 'second_factor_missing';
      } else if (requiresMfa(await repo.rolesOf(this.deps.db, user.id))) {
        level = 'enrolment';
      }
    }
    if (refusal || !user) return this.refuse(user ?? null, input, refusal ?? 'unknown_account');

    return this.deps.db.transaction().execute(async (tx) => {
      await repo.updateUser(tx, user.id, { failed_logins: 0, locked_until: null, last_login_at: now });
      const session = await this.deps.sessions.create(tx, { userId: user.id, level, authMethod: method, ip: input.ip, userAgent: input.userAgent });
      await this.deps.audit.record(tx, { actor: null, actorLabel: user.email, action: 'auth.login', target: { type: 'user', id: user.id }, ip: input.ip, details: { method, level } });
      return { session, level };
    });
  }

  private async checkSecondFactor(user: UserRow, input: SecondFactorInput, now: Date): Promise<{ enrolled: boolean; method?: string }> {
    const credentials = await repo.webauthnCredentials(this.deps.db, user.id);
    const enrolled = !!user.totp_enabled_at || credentials.length > 0;
    if (!enrolled) return { enrolled };
    if (input.totp && user.totp_enabled_at && user.totp_secret_enc) {
      const secret = this.deps.cipher.decrypt(user.totp_secret_enc, `totp:${user.id}`);
      const step = await checkTotp(secret, input.totp.trim(), now, user.totp_last_step);
      if (step !== null) {
        await repo.updateUser(this.deps.db, user.id, { totp_last_step: step });
        return { enrolled, method: 'totp' };
      }
    }
    if (input.recoveryCode && (await repo.useRecoveryCode(this.deps.db, user.id, hashRecoveryCode(input.recoveryCode), now))) {
      return { enrolled, method: 'recovery_code' };
    }
    if (input.webauthn && credentials.length > 0 && (await input.webauthn.verify(user))) return { enrolled, method: 'webauthn' };
    return { enrolled };
  }

  private async refuse(user: UserRow | null, input: LoginInput, reason: Refusal): Promise<never> {
    await this.deps.db.transaction().execute(async (tx) => {
      await this.deps.audit.record(tx, { actor: null, actorLabel: input.email.slice(0, 200), action: 'auth.login', outcome: 'failure', target: user ? { type: 'user', id: user.id } : undefined, ip: input.ip, details: { reason } });
      if (user && reason !== 'locked' && reason !== 'unknown_account') await this.countFailure(tx, user, input.ip);
    });
    throw new HdhError('auth.invalid_credentials', 401);
  }

  /** One more failure on an account; past the threshold it locks, with a delay that doubles each round. Returns the lock end, if any. */
  private async countFailure(tx: Executor, user: UserRow, ip: string | null): Promise<Date | null> {
    const now = this.deps.clock.now();
    let lockedUntil: Date | null = null;
    // A locked account's failures do not extend the lock (callers skip them): else anyone could keep it locked forever.
    const failures = user.failed_logins + 1;
    if (failures >= this.deps.maxFailures) {
      const rounds = Math.floor(failures / this.deps.maxFailures);
      lockedUntil = new Date(now.getTime() + this.deps.lockMs * 2 ** Math.min(rounds - 1, 6));
    }
    await repo.updateUser(tx, user.id, { failed_logins: failures, locked_until: lockedUntil });
    if (lockedUntil) await this.deps.audit.record(tx, { actor: null, actorLabel: user.email, action: 'auth.lockout', outcome: 'denied', target: { type: 'user', id: user.id }, ip, details: { until: lockedUntil.toISOString(), failures } });
    return lockedUntil;
  }

  /**
   * The second step of a login whose first factor came from elsewhere (OIDC without trusted
   * MFA, ADR 0005): the session waits at 'enrolment' level until the account's own second
   * factor is given. Failures count towards the lockout like login failures.
   */
  async completeSecondFactor(actor: Actor, input: SecondFactorInput): Promise<{ level: 'full' }> {
    const now = this.deps.clock.now();
    const user = await this.requireUser(this.deps.db, actor.userId);
    const session = actor.sessionId ? await repo.findSession(this.deps.db, actor.sessionId) : undefined;
    if (!session || session.level !== 'enrolment') throw new HdhError('auth.second_factor_not_pending', 409);
    const locked = !!user.locked_until && user.locked_until > now;
    const second = locked ? { enrolled: true } : await this.checkSecondFactor(user, input, now);
    if (!second.enrolled) throw new HdhError('auth.second_factor_not_pending', 409);
    if (!second.method) {
      await this.deps.db.transaction().execute(async (tx) => {
        await this.deps.audit.record(tx, { actor, action: 'auth.second_factor', outcome: 'failure', target: { type: 'user', id: user.id }, details: { reason: locked ? 'locked' : 'second_factor_invalid', firstFactor: session.auth_method } });
        // Guessing codes through an OIDC session locks the account, and that session ends.
        if (!locked && (await this.countFailure(tx, user, actor.ip))) await this.deps.sessions.revoke(tx, session.id_hash);
      });
      throw new HdhError('mfa.invalid_code', 400);
    }
    const method = `${session.auth_method}+${second.method}`;
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateUser(tx, user.id, { failed_logins: 0, locked_until: null, last_login_at: now });
      await this.deps.sessions.upgrade(tx, session.id_hash, 'full', method);
      await this.deps.audit.record(tx, { actor, action: 'auth.second_factor', target: { type: 'user', id: user.id }, details: { method } });
    });
    return { level: 'full' };
  }

  /** Which second factors an account has: the UI asks for one, or offers enrolment. */
  async secondFactorsOf(userId: string): Promise<{ totp: boolean; webauthn: number }> {
    const user = await this.requireUser(this.deps.db, userId);
    return { totp: !!user.totp_enabled_at, webauthn: (await repo.webauthnCredentials(this.deps.db, userId)).length };
  }

  async logout(actor: Actor): Promise<void> {
    if (!actor.sessionId) return;
    await this.deps.db.transaction().execute(async (tx) => {
      await this.deps.sessions.revoke(tx, actor.sessionId!);
      await this.deps.audit.record(tx, { actor, action: 'auth.logout', target: { type: 'user', id: actor.userId } });
    });
  }

  /** Starts TOTP enrolment: a new secret, kept encrypted and inactive until a code confirms it. */
  async beginTotpEnrolment(actor: Actor): Promise<{ secret: string; uri: string; qrSvg: string }> {
    const user = await this.requireUser(this.deps.db, actor.userId);
    if (user.totp_enabled_at) throw new HdhError('mfa.already_enrolled', 409);
    await this.assertMayEnrol(actor, user);
    const secret = newTotpSecret();
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateUser(tx, user.id, { totp_secret_enc: this.deps.cipher.encrypt(secret, `totp:${user.id}`) });
      await this.deps.audit.record(tx, { actor, action: 'mfa.totp.enrolment_started', target: { type: 'user', id: user.id } });
    });
    const uri = totpUri(secret, user.email, this.deps.issuer);
    return { secret, uri, qrSvg: await totpQrSvg(uri) };
  }

  /** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
  async confirmTotpEnrolment(actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.requireUser(this.deps.db, actor.userId);
    if (user.totp_enabled_at) throw new HdhError('mfa.already_enrolled', 409);
    if (!user.totp_secret_enc) throw new HdhError('mfa.no_pending_enrolment', 409);
    await this.assertMayEnrol(actor, user);
    const step = await checkTotp(this.deps.cipher.decrypt(user.totp_secret_enc, `totp:${user.id}`), code, this.deps.clock.now(), null);
    if (step === null) {
      await this.deps.audit.recordStandalone({ actor, action: 'mfa.totp.enrolled', outcome: 'failure', target: { type: 'user', id: user.id } });
      throw new HdhError('mfa.invalid_code', 400);
    }
    return this.deps.db.transaction().execute(async (tx) => {
      await repo.updateUser(tx, user.id, { totp_enabled_at: this.deps.clock.now(), totp_last_step: step });
      const codes = await this.issueRecoveryCodes(tx, user.id);
      if (actor.sessionId) await this.deps.sessions.upgrade(tx, actor.sessionId, 'full');
      await this.deps.audit.record(tx, { actor, action: 'mfa.totp.enrolled', target: { type: 'user', id: user.id } });
      return { recoveryCodes: codes };
    });
  }

  async regenerateRecoveryCodes(actor: Actor): Promise<{ recoveryCodes: string[] }> {
    return this.deps.db.transaction().execute(async (tx) => {
      const codes = await this.issueRecoveryCodes(tx, actor.userId);
      await this.deps.audit.record(tx, { actor, action: 'mfa.recovery_codes.regenerated', target: { type: 'user', id: actor.userId } });
      return { recoveryCodes: codes };
    });
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    return repo.unusedRecoveryCodeCount(this.deps.db, userId);
  }

  async changePassword(actor: Actor, current: string, next: string): Promise<void> {
    const user = await this.requireUser(this.deps.db, actor.userId);
    if (!(await verifyPassword(user.password_hash, current))) {
      await this.deps.audit.recordStandalone({ actor, action: 'user.password_change', outcome: 'failure', target: { type: 'user', id: user.id } });
      throw new HdhError('password.invalid_current', 400);
    }
    const problem = passwordProblem(next);
    if (problem) throw new HdhError('user.weak_password', 400, { problem });
    const hash = await hashPassword(next);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateUser(tx, user.id, { password_hash: hash });
      await this.deps.audit.record(tx, { actor, action: 'user.password_change', target: { type: 'user', id: user.id } });
    });
  }

  /** Sets up TOTP directly (demo accounts, `hdh users` by an operator): returns the secret. */
  async provisionTotp(tx: Executor, userId: string, secret = newTotpSecret()): Promise<{ secret: string; recoveryCodes: string[] }> {
    await repo.updateUser(tx, userId, { totp_secret_enc: this.deps.cipher.encrypt(secret, `totp:${userId}`), totp_enabled_at: this.deps.clock.now() });
    return { secret, recoveryCodes: await this.issueRecoveryCodes(tx, userId) };
  }

  /** New recovery codes replace the old ones (inside the caller's transaction); shown once. */
  async issueRecoveryCodes(tx: Executor, userId: string): Promise<string[]> {
    const codes = Array.from({ length: 10 }, () => formatRecoveryCode(crypto.randomBytes(10).toString('hex')));
    await repo.replaceRecoveryCodes(tx, userId, codes.map(hashRecoveryCode));
    return codes;
  }

  /**
   * A session that has not passed the account's existing second factor (an OIDC login waiting
   * for it) must not enrol another one: confirming it would upgrade the session and skip the factor.
   */
  private async assertMayEnrol(actor: Actor, user: UserRow): Promise<void> {
    if (actor.mfa) return;
    if (user.totp_enabled_at || (await repo.webauthnCredentials(this.deps.db, user.id)).length > 0) throw new HdhError('auth.mfa_required', 403);
  }

  private async requireUser(db: Executor, id: string): Promise<UserRow> {
    const user = await repo.findUserById(db, id);
    if (!user) throw new HdhError('user.not_found', 404);
    return user;
  }
}

function formatRecoveryCode(hex: string): string {
  return hex.match(/.{4}/g)!.join('-');
}

/** Recovery codes carry 80 random bits: a plain SHA-256 is enough, they cannot be brute-forced offline. */
function hashRecoveryCode(code: string): string {
  return sha256Hex(code.trim().toLowerCase().replace(/[^0-9a-f]/g, ''));
}
