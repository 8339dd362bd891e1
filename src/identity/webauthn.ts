/**
 * WebAuthn second factor — clé de sécurité / authentificateur FIDO2 (AUTH-01). Registration runs
 * from a logged-in session, its challenge kept on the session row; login takes a short-lived,
 * single-use challenge from `auth_challenges` and plugs into the one-request password + second
 * factor login as `LoginInput.webauthn`, so a refusal still names no factor.
 */
import crypto from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import type { AuthenticationService } from './authentication.js';
import * as repo from './repo.js';
import type { UserRow, WebauthnCredentialRow } from './repo.js';
import type { SessionStore } from './sessions.js';

registerMessages({
  'mfa.webauthn.no_pending_registration': { fr: 'Aucun enregistrement de clé en cours.', en: 'No security key registration in progress.' },
  'mfa.webauthn.invalid': { fr: 'La réponse de la clé de sécurité n’a pas pu être vérifiée.', en: 'The security key response could not be verified.' },
  'mfa.webauthn.not_found': { fr: 'Clé de sécurité introuvable.', en: 'Security key not found.' },
  'mfa.webauthn.last_factor': {
    fr: 'Impossible de supprimer votre dernier second facteur : enrôlez-en un autre d’abord.',
    en: 'You cannot remove your last second factor: enrol another one first.',
  },
});

/** Login challenges live this long: enough to touch a key, too short to be stockpiled. */
const LOGIN_CHALLENGE_MS = 5 * 60_000;
const TIMEOUT_MS = 120_000;

export interface WebauthnDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionStore;
  auth: AuthenticationService;
  /** From HDH_PUBLIC_URL: the relying party is the host name, the expected origin is the URL's origin. */
  rpId: string;
  rpName: string;
  origin: string;
  /** Key for decoy credential ids of unknown accounts (derived from the hub's secrets). */
  decoyKey: Buffer;
}

export interface CredentialView {
  id: string;
  label: string;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

export class WebauthnService {
  constructor(private readonly deps: WebauthnDeps) {}

  /**
   * Options for `navigator.credentials.create()`. An enrolment-level session (no second factor
   * yet) may register its first key; a session that has not passed an existing factor may not.
   */
  async registrationOptions(actor: Actor): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = await this.requireUser(actor.userId);
    const credentials = await repo.webauthnCredentials(this.deps.db, user.id);
    this.assertMayEnrol(actor, user, credentials);
    const options = await generateRegistrationOptions({
      rpName: this.deps.rpName,
      rpID: this.deps.rpId,
      userName: user.email,
      userDisplayName: user.display_name,
      // The user handle is the account id: stable, and it reveals nothing the key does not already hold.
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      timeout: TIMEOUT_MS,
      excludeCredentials: credentials.map((c) => ({ id: c.id, transports: transportsOf(c) })),
      authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
    });
    await this.deps.db.transaction().execute(async (tx) => {
      await this.deps.sessions.setChallenge(tx, actor.sessionId!, options.challenge);
      await this.deps.audit.record(tx, { actor, action: 'mfa.webauthn.registration_started', target: { type: 'user', id: user.id } });
    });
    return options;
  }

  /**
   * Verifies the authenticator's attestation against the session's challenge (used once) and
   * stores the credential. The first second factor of an account also gets recovery codes and
   * upgrades an enrolment session to full, as TOTP confirmation does.
   */
  async verifyRegistration(actor: Actor, label: string, response: RegistrationResponseJSON): Promise<{ credential: CredentialView; recoveryCodes: string[] | null }> {
    const user = await this.requireUser(actor.userId);
    const credentials = await repo.webauthnCredentials(this.deps.db, user.id);
    this.assertMayEnrol(actor, user, credentials);
    const session = actor.sessionId ? await repo.findSession(this.deps.db, actor.sessionId) : undefined;
    const expectedChallenge = session?.pending_challenge;
    if (!expectedChallenge) throw new HdhError('mfa.webauthn.no_pending_registration', 409);
    await this.deps.sessions.setChallenge(this.deps.db, actor.sessionId!, null);
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>> | null = null;
    let reason = 'not_verified';
    try {
      verified = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: this.deps.origin, expectedRPID: this.deps.rpId, requireUserVerification: false });
    } catch (err) {
      reason = errorReason(err);
    }
    if (!verified?.verified) {
      await this.deps.audit.recordStandalone({ actor, action: 'mfa.webauthn.registered', outcome: 'failure', target: { type: 'user', id: user.id }, details: { reason } });
      throw new HdhError('mfa.webauthn.invalid', 400);
    }
    const { credential } = verified.registrationInfo;
    const firstFactor = !user.totp_enabled_at && credentials.length === 0;
    const row: WebauthnCredentialRow = {
      id: credential.id,
      user_id: user.id,
      public_key: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports?.length ? credential.transports.join(',') : null,
      label,
      created_at: this.deps.clock.now(),
      last_used_at: null,
    };
    return this.deps.db.transaction().execute(async (tx) => {
      if (await repo.findWebauthnCredential(tx, row.id)) throw new HdhError('mfa.webauthn.invalid', 400);
      await repo.insertWebauthnCredential(tx, row);
      const recoveryCodes = firstFactor ? await this.deps.auth.issueRecoveryCodes(tx, user.id) : null;
      if (session?.level === 'enrolment') await this.deps.sessions.upgrade(tx, session.id_hash, 'full');
      await this.deps.audit.record(tx, { actor, action: 'mfa.webauthn.registered', target: { type: 'user', id: user.id }, details: { credentialId: row.id, label, firstFactor } });
      return { credential: presentCredential(row), recoveryCodes };
    });
  }

  async list(actor: Actor): Promise<CredentialView[]> {
    return (await repo.webauthnCredentials(this.deps.db, actor.userId)).map(presentCredential);
  }

  /** Removes one of my keys; the last second factor of an account stays (else a password alone would let anyone enrol theirs). */
  async remove(actor: Actor, credentialId: string): Promise<void> {
    await this.deps.db.transaction().execute(async (tx) => {
      const user = await repo.findUserById(tx, actor.userId);
      const credentials = await repo.webauthnCredentials(tx, actor.userId);
      if (!user || !credentials.some((c) => c.id === credentialId)) throw new HdhError('mfa.webauthn.not_found', 404);
      if (!user.totp_enabled_at && credentials.length === 1) throw new HdhError('mfa.webauthn.last_factor', 409);
      await repo.deleteWebauthnCredential(tx, actor.userId, credentialId);
      await this.deps.audit.record(tx, { actor, action: 'mfa.webauthn.removed', target: { type: 'user', id: actor.userId }, details: { credentialId } });
    });
  }

  /**
   * Options for `navigator.credentials.get()` before login. Whether the email exists, and
   * whether it has keys, must not show: unknown accounts get one decoy credential id derived
   * from the email with a server key, stable across calls, so repeated probes see no change.
   * The challenge row is technical state, not an action on an account: it is not audited (the
   * login that uses it is).
   */
  async loginOptions(email: string): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    const now = this.deps.clock.now();
    await repo.purgeChallenges(this.deps.db, now);
    const user = await repo.findUserByEmail(this.deps.db, email);
    const credentials = user ? await repo.webauthnCredentials(this.deps.db, user.id) : [];
    const allowCredentials = credentials.length
      ? credentials.map((c) => ({ id: c.id, transports: transportsOf(c) }))
      : [{ id: this.decoyCredentialId(email), transports: ['usb', 'nfc', 'ble'] as AuthenticatorTransportFuture[] }];
    const options = await generateAuthenticationOptions({ rpID: this.deps.rpId, allowCredentials, userVerification: 'preferred', timeout: TIMEOUT_MS });
    const challengeId = crypto.randomUUID();
    await repo.insertChallenge(this.deps.db, { id: `webauthn:${challengeId}`, user_id: user?.id ?? null, challenge: options.challenge, expires_at: new Date(now.getTime() + LOGIN_CHALLENGE_MS) });
    return { challengeId, options };
  }

  /**
   * The `LoginInput.webauthn` hook for one login request. The challenge is taken (deleted) now,
   * whatever the outcome, so an assertion can never be replayed.
   */
  async loginVerifier(challengeId: string, response: AuthenticationResponseJSON): Promise<{ verify(user: UserRow): Promise<boolean> }> {
    const now = this.deps.clock.now();
    const challenge = await repo.takeChallenge(this.deps.db, `webauthn:${challengeId}`, now);
    return { verify: async (user) => (challenge?.user_id === user.id ? this.verifyAssertion(user, challenge.challenge, response) : false) };
  }

  private async verifyAssertion(user: UserRow, expectedChallenge: string, response: AuthenticationResponseJSON): Promise<boolean> {
    const stored = await repo.findWebauthnCredential(this.deps.db, response.id);
    if (!stored || stored.user_id !== user.id) return false;
    try {
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.deps.origin,
        expectedRPID: this.deps.rpId,
        credential: { id: stored.id, publicKey: isoBase64URL.toBuffer(stored.public_key), counter: Number(stored.counter), transports: transportsOf(stored) },
        requireUserVerification: false,
      });
      if (!result.verified) return false;
      // The library refuses a counter that did not grow (a cloned key); we keep the new one.
      await repo.touchWebauthnCredential(this.deps.db, stored.id, result.authenticationInfo.newCounter, this.deps.clock.now());
      return true;
    } catch {
      return false;
    }
  }

  private decoyCredentialId(email: string): string {
    const mac = crypto.createHmac('sha256', this.deps.decoyKey).update(email.trim().toLowerCase()).digest();
    return isoBase64URL.fromBuffer(new Uint8Array(mac));
  }

  private assertMayEnrol(actor: Actor, user: UserRow, credentials: WebauthnCredentialRow[]): void {
    // A session that has not passed the account's existing factor (an OIDC login waiting for it)
    // must not add a new one: that would skip the factor.
    if (!actor.mfa && (user.totp_enabled_at || credentials.length > 0)) throw new HdhError('auth.mfa_required', 403);
    if (!actor.sessionId) throw new HdhError('auth.required', 401);
  }

  private async requireUser(id: string): Promise<UserRow> {
    const user = await repo.findUserById(this.deps.db, id);
    if (!user) throw new HdhError('user.not_found', 404);
    return user;
  }
}

function transportsOf(row: WebauthnCredentialRow): AuthenticatorTransportFuture[] {
  return row.transports ? (row.transports.split(',') as AuthenticatorTransportFuture[]) : [];
}

function presentCredential(row: WebauthnCredentialRow): CredentialView {
  return { id: row.id, label: row.label, transports: transportsOf(row), createdAt: row.created_at.toISOString(), lastUsedAt: row.last_used_at?.toISOString() ?? null };
}

function errorReason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}
