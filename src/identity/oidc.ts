/**
 * OIDC login — connexion par fournisseur d'identité (ProConnect or any OpenID provider),
 * optional, configured by HDH_OIDC_*. Authorization code flow with PKCE, state and nonce; the
 * state, nonce and code verifier wait server-side in `auth_challenges` (single use, 10 min).
 * No account is ever created here: the provider's subject must already be linked, or its
 * verified email must name an existing nominative account, which then gets linked.
 * Second factor (ADR 0005): the session is full only when HDH_OIDC_TRUSTS_MFA=true and the
 * provider says it did MFA; otherwise it waits at 'enrolment' level for the local factor.
 */
import * as client from 'openid-client';
import type { Clock } from '../platform/clock.js';
import { constantTimeEqual } from '../platform/crypto/hashing.js';
import type { Db } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import type { LoginResult } from './authentication.js';
import { requiresMfa } from './policy.js';
import * as repo from './repo.js';
import type { UserRow } from './repo.js';
import { isActive } from './service.js';
import type { SessionStore } from './sessions.js';

registerMessages({
  'auth.oidc_disabled': { fr: 'La connexion par fournisseur d’identité n’est pas configurée.', en: 'Login through an identity provider is not configured.' },
  'auth.oidc_unavailable': { fr: 'Le fournisseur d’identité ne répond pas ; réessayez plus tard.', en: 'The identity provider is not responding; try again later.' },
  'auth.oidc_failed': {
    fr: 'La connexion par le fournisseur d’identité a échoué ou aucun compte du hub ne lui correspond.',
    en: 'Login through the identity provider failed, or no hub account matches it.',
  },
});

const FLOW_MS = 10 * 60_000;
/**
 * `acr` values that mean multi-factor: eIDAS substantial/high as ProConnect sends them, the
 * REFEDS MFA profile, the OpenID PAPE multi-factor policy.
 */
const MFA_ACR = new Set(['eidas2', 'eidas3', 'https://refeds.org/profile/mfa', 'http://schemas.openid.net/pape/policies/2007/06/multi-factor']);

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  label: string;
  trustsMfa: boolean;
  /** `<HDH_PUBLIC_URL>/api/auth/oidc/callback`, registered at the provider. */
  redirectUri: string;
}

export interface OidcDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionStore;
  settings: OidcSettings;
}

type Failure = 'state_mismatch' | 'state_unknown_or_expired' | 'provider_error' | 'token_invalid' | 'unknown_subject' | 'locked' | 'disabled' | 'expired';

export class OidcService {
  private configuration: Promise<client.Configuration> | null = null;
  constructor(private readonly deps: OidcDeps) {}

  /** Starts a login: the provider's authorization URL, and the state the browser must bring back. */
  async start(ip: string | null): Promise<{ url: string; state: string }> {
    const config = await this.provider(ip);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const now = this.deps.clock.now();
    await repo.purgeChallenges(this.deps.db, now);
    await repo.insertChallenge(this.deps.db, { id: `oidc:${state}`, user_id: null, challenge: JSON.stringify({ codeVerifier, nonce }), expires_at: new Date(now.getTime() + FLOW_MS) });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.deps.settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * The provider's redirect back: `query` is the callback's raw query string, `boundState` the
   * state the browser's cookie holds (binds the flow to the browser that started it). Every
   * outcome is audited.
   */
  async callback(input: { query: string; boundState: string | undefined; ip: string | null; userAgent: string | null }): Promise<LoginResult> {
    const now = this.deps.clock.now();
    const params = new URLSearchParams(input.query);
    const state = params.get('state') ?? '';
    const fail = (reason: Failure, user?: UserRow, extra: Record<string, unknown> = {}): Promise<never> => this.fail(reason, input.ip, user, extra);
    if (!state || !input.boundState || !constantTimeEqual(state, input.boundState)) return fail('state_mismatch');
    const flow = await repo.takeChallenge(this.deps.db, `oidc:${state}`, now);
    if (!flow) return fail('state_unknown_or_expired');
    if (params.has('error')) return fail('provider_error', undefined, { error: params.get('error')?.slice(0, 100) });
    const { codeVerifier, nonce } = JSON.parse(flow.challenge) as { codeVerifier: string; nonce: string };
    const config = await this.provider(input.ip);
    let claims: client.IDToken;
    let accessToken: string;
    try {
      const tokens = await client.authorizationCodeGrant(config, new URL(`${this.deps.settings.redirectUri}?${input.query}`), { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
      claims = tokens.claims()!;
      accessToken = tokens.access_token;
    } catch (err) {
      return fail('token_invalid', undefined, { error: errorText(err) });
    }

    let user = await repo.findUserByOidcSubject(this.deps.db, claims.sub);
    let link = false;
    let email: { address: string; verified: boolean } | null = typeof claims.email === 'string' ? { address: claims.email, verified: claims.email_verified === true } : null;
    if (!user && !email) {
      // Most providers put the email in userinfo only (OIDC Core §5.4, scope-requested claims).
      try {
        const info = await client.fetchUserInfo(config, accessToken, claims.sub);
        if (typeof info.email === 'string') email = { address: info.email, verified: info.email_verified === true };
      } catch (err) {
        return fail('token_invalid', undefined, { error: errorText(err) });
      }
    }
    if (!user && email?.verified) {
      const byEmail = await repo.findUserByEmail(this.deps.db, email.address);
      // An account already linked to another subject is not re-linked by an email match.
      if (byEmail && !byEmail.oidc_subject) {
        user = byEmail;
        link = true;
      }
    }
    if (!user) return fail('unknown_subject', undefined, { subject: claims.sub.slice(0, 200) });
    if (user.locked_until && user.locked_until > now) return fail('locked', user);
    if (user.status !== 'active') return fail('disabled', user);
    if (!isActive(user, now)) return fail('expired', user);

    const mfaAtProvider = this.deps.settings.trustsMfa && providerDidMfa(claims);
    const roles = await repo.rolesOf(this.deps.db, user.id);
    const hasFactor = !!user.totp_enabled_at || (await repo.webauthnCredentials(this.deps.db, user.id)).length > 0;
    const level: LoginResult['level'] = mfaAtProvider || !requiresMfa(roles) ? 'full' : 'enrolment';
    // 'oidc-mfa' is what actorForSession reads as "every factor checked" without a local one.
    const method = mfaAtProvider ? 'oidc-mfa' : 'oidc';
    const account = user;
    return this.deps.db.transaction().execute(async (tx) => {
      if (link) {
        await repo.updateUser(tx, account.id, { oidc_subject: claims.sub });
        await this.deps.audit.record(tx, { actor: null, actorLabel: account.email, action: 'user.oidc_linked', target: { type: 'user', id: account.id }, ip: input.ip, details: { issuer: this.deps.settings.issuer, subject: claims.sub } });
      }
      // Failures are forgiven only once every factor is checked (else the second step resets them).
      await repo.updateUser(tx, account.id, level === 'full' ? { failed_logins: 0, locked_until: null, last_login_at: now } : { last_login_at: now });
      const session = await this.deps.sessions.create(tx, { userId: account.id, level, authMethod: method, ip: input.ip, userAgent: input.userAgent });
      await this.deps.audit.record(tx, {
        actor: null,
        actorLabel: account.email,
        action: 'auth.login',
        target: { type: 'user', id: account.id },
        ip: input.ip,
        details: { method, level, secondFactorPending: level === 'enrolment' && hasFactor, amr: claims.amr ?? null, acr: claims.acr ?? null },
      });
      return { session, level };
    });
  }

  /** Discovery, once, lazily: the hub starts even when the provider is down, and retries later. */
  private async provider(ip: string | null): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.deps.settings;
    this.configuration ??= client
      .discovery(new URL(issuer), clientId, undefined, clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(), {
        // An http:// issuer is an operator's explicit choice (a local provider, tests).
        ...(issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((err: unknown) => {
        this.configuration = null;
        throw err;
      });
    try {
      return await this.configuration;
    } catch (err) {
      await this.deps.audit.recordStandalone({ actor: null, actorLabel: 'oidc', action: 'auth.oidc.discovery', outcome: 'failure', ip, details: { issuer, error: errorText(err) } });
      throw new HdhError('auth.oidc_unavailable', 503);
    }
  }

  private async fail(reason: Failure, ip: string | null, user: UserRow | undefined, extra: Record<string, unknown>): Promise<never> {
    await this.deps.audit.recordStandalone({ actor: null, actorLabel: user?.email ?? 'oidc', action: 'auth.login', outcome: 'failure', target: user ? { type: 'user', id: user.id } : undefined, ip, details: { method: 'oidc', reason, ...extra } });
    throw new HdhError('auth.oidc_failed', 401);
  }
}

function providerDidMfa(claims: client.IDToken): boolean {
  // RFC 8176: 'mfa' is the provider's own statement; a list of methods alone is not read as one.
  if (Array.isArray(claims.amr) && claims.amr.includes('mfa')) return true;
  return typeof claims.acr === 'string' && MFA_ACR.has(claims.acr);
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}
