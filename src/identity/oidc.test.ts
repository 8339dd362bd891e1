import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestClient, type TestHub } from '../../test/support/hub.js';
import { Browser, startTestOidcProvider, type TestOidcProvider, type TestPerson } from '../../test/support/oidc-provider.js';
import { SoftwareAuthenticator, type CreationOptions, type RequestOptions } from '../../test/support/software-authenticator.js';
import { totpCode } from './totp.js';

const clientId = 'hdh-test';
const clientSecret = 'a-test-client-secret-of-the-hub';
const redirectUri = 'http://127.0.0.1:3000/api/auth/oidc/callback';
const person = (sub: string, email: string, email_verified = true): TestPerson => ({ sub, email, email_verified, given_name: 'Test', family_name: sub });
const people = [
  person('sub-chercheur', 'chercheur@recherche.example'),
  person('sub-admin', 'admin@hdh.example'),
  person('sub-inconnu', 'inconnu@nulle-part.example'),
  person('sub-non-verifie', 'instructeur@hdh.example', false),
  person('sub-producteur', 'producteur@cnam.example'),
  person('sub-nouvelle', 'oidc-nouvelle@recherche.example'),
];

interface SessionBody {
  authenticated: boolean;
  level: string | null;
  mfa: boolean;
  secondFactors: { pending: boolean } | null;
  user: { email: string } | null;
}

describe.each(stores)('OIDC login against a real local provider on %s', (store) => {
  let t: TestHub;
  let idp: TestOidcProvider;

  beforeAll(async () => {
    idp = await startTestOidcProvider({ clientId, clientSecret, redirectUri, people });
    t = await startTestHub(store, { HDH_OIDC_ISSUER: idp.issuer, HDH_OIDC_CLIENT_ID: clientId, HDH_OIDC_CLIENT_SECRET: clientSecret, HDH_OIDC_LABEL: 'Fournisseur de test', HDH_OIDC_TRUSTS_MFA: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  /** The browser's trip: hub start → provider (login, consent) → hub callback. Returns the callback's redirect. */
  const viaProvider = async (c: TestClient, login: TestOidcProvider['nextLogin']) => {
    idp.nextLogin = login;
    const start = await c.get('/api/auth/oidc/start');
    expect(start.statusCode).toBe(302);
    const authorize = new URL(String(start.headers.location));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const back = await new Browser().follow(authorize.href, (u) => u.href.startsWith(redirectUri));
    const callback = await c.get(back.pathname + back.search);
    return { callback, back };
  };
  const sessionOf = async (c: TestClient) => (await c.get('/api/session')).json<SessionBody>();
  const lastLogin = async () => (await t.superuserSql(`select actor_label, outcome, details from audit_events where action = 'auth.login' order by seq desc limit 1`))[0];

  it('AUTH-01: first OIDC login links the account by verified email; without MFA at the provider the local TOTP is still required', async () => {
    const c = t.client();
    expect((await sessionOf(c)).authenticated).toBe(false);
    const { callback } = await viaProvider(c, { accountId: 'sub-chercheur', amr: ['pwd'] });
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/');
    expect(await sessionOf(c)).toMatchObject({ authenticated: true, level: 'enrolment', mfa: false, secondFactors: { pending: true }, user: { email: 'chercheur@recherche.example' } });
    expect(await lastLogin()).toMatchObject({ outcome: 'success', details: { method: 'oidc', level: 'enrolment', secondFactorPending: true, amr: ['pwd'] } });
    const [linked] = await t.superuserSql(`select oidc_subject from users where email = 'chercheur@recherche.example'`);
    expect(linked).toEqual({ oidc_subject: 'sub-chercheur' });

    // The waiting session opens nothing, and cannot enrol a new factor to skip the existing one.
    expect((await c.post('/api/auth/recovery-codes')).statusCode).toBe(403);
    expect((await c.post('/api/auth/webauthn/register/options')).json()).toMatchObject({ error: { code: 'auth.mfa_required' } });
    expect((await c.post('/api/auth/second-factor', { totp: '000000' })).json()).toMatchObject({ error: { code: 'mfa.invalid_code' } });
    t.clock.advance(30_000);
    const secret = t.demo.accounts.find((a) => a.email === 'chercheur@recherche.example')!.totpSecret;
    const done = await c.post('/api/auth/second-factor', { totp: await totpCode(secret, t.clock.now()) });
    expect(done.json()).toEqual({ level: 'full' });
    expect(await sessionOf(c)).toMatchObject({ level: 'full', mfa: true, secondFactors: { pending: false } });
    expect((await c.post('/api/auth/second-factor', { totp: '123456' })).json()).toMatchObject({ error: { code: 'auth.second_factor_not_pending' } });
    const steps = await t.superuserSql(`select action, outcome, details from audit_events where action in ('auth.second_factor', 'user.oidc_linked') order by seq`);
    expect(steps).toEqual([
      { action: 'user.oidc_linked', outcome: 'success', details: { issuer: idp.issuer, subject: 'sub-chercheur' } },
      { action: 'auth.second_factor', outcome: 'failure', details: { reason: 'second_factor_invalid', firstFactor: 'oidc' } },
      { action: 'auth.second_factor', outcome: 'success', details: { method: 'oidc+totp' } },
    ]);
  });

  it('AUTH-01: the second step also takes a security key; guessing codes through an OIDC session locks the account and ends the session', async () => {
    // The chercheur, linked by the first test, adds a key from a full session.
    const full = await t.login('chercheur@recherche.example');
    const key = new SoftwareAuthenticator(t.hub.config.publicUrl.origin, t.hub.config.publicUrl.hostname);
    const creation = (await full.post('/api/auth/webauthn/register/options')).json<CreationOptions>();
    expect((await full.post('/api/auth/webauthn/register/verify', { label: 'Clé', response: key.create(creation) })).statusCode).toBe(200);

    const c = t.client();
    await viaProvider(c, { accountId: 'sub-chercheur', amr: ['pwd'] });
    expect(await sessionOf(c)).toMatchObject({ secondFactors: { totp: true, webauthn: 1, pending: true } });
    const { challengeId, options } = (await c.post('/api/auth/webauthn/login/options', { email: 'chercheur@recherche.example' })).json<{ challengeId: string; options: RequestOptions }>();
    expect((await c.post('/api/auth/second-factor', { webauthn: { challengeId, response: key.get(options) } })).json()).toEqual({ level: 'full' });
    expect(await sessionOf(c)).toMatchObject({ level: 'full', mfa: true });
    const [step] = await t.superuserSql(`select details from audit_events where action = 'auth.second_factor' order by seq desc limit 1`);
    expect(step).toEqual({ details: { method: 'oidc+webauthn' } });

    const g = t.client();
    await viaProvider(g, { accountId: 'sub-chercheur', amr: ['pwd'] });
    await sessionOf(g);
    for (let i = 0; i < 5; i++) expect((await g.post('/api/auth/second-factor', { totp: String(100000 + i) })).statusCode).toBe(400);
    expect(await sessionOf(g)).toMatchObject({ authenticated: false });
    const [lock] = await t.superuserSql(`select action from audit_events where action = 'auth.lockout' and actor_label = 'chercheur@recherche.example'`);
    expect(lock).toEqual({ action: 'auth.lockout' });
    // A locked account cannot come back through the provider either, until the lock ends.
    const h = t.client();
    expect((await viaProvider(h, { accountId: 'sub-chercheur', amr: ['pwd'] })).callback.headers.location).toBe('/login?error=auth.oidc_failed');
    expect(await lastLogin()).toMatchObject({ details: { reason: 'locked' } });
    t.clock.advance(16 * 60_000);
  });

  it('AUTH-01: with HDH_OIDC_TRUSTS_MFA=true, a provider-side MFA (amr "mfa" or acr eidas2) opens a full session at once', async () => {
    const c = t.client();
    await viaProvider(c, { accountId: 'sub-admin', amr: ['pwd', 'otp', 'mfa'] });
    expect(await sessionOf(c)).toMatchObject({ level: 'full', mfa: true, user: { email: 'admin@hdh.example' } });
    expect((await c.get('/api/admin/users')).statusCode).toBe(200);
    expect(await lastLogin()).toMatchObject({ details: { method: 'oidc-mfa', level: 'full' } });
    // Second time the subject is already linked; an acr of eIDAS substantial also counts.
    const d = t.client();
    await viaProvider(d, { accountId: 'sub-admin', acr: 'eidas2' });
    expect(await sessionOf(d)).toMatchObject({ level: 'full', mfa: true });
    // A single-factor provider login of the same person waits for the local factor.
    const e = t.client();
    await viaProvider(e, { accountId: 'sub-admin', amr: ['pwd'], acr: 'eidas1' });
    expect(await sessionOf(e)).toMatchObject({ level: 'enrolment', mfa: false, secondFactors: { pending: true } });
  });

  it('AUTH-01: an account without any second factor, logging in by OIDC, gets an enrolment session and enrols TOTP', async () => {
    const admin = await t.login('admin@hdh.example');
    expect((await admin.post('/api/admin/users', { email: 'oidc-nouvelle@recherche.example', displayName: 'Odile Nouvelle', roles: ['project_member'], endOfRights: '2099-12-31' })).statusCode).toBe(201);
    const c = t.client();
    await viaProvider(c, { accountId: 'sub-nouvelle', amr: ['pwd'] });
    expect(await sessionOf(c)).toMatchObject({ level: 'enrolment', mfa: false, secondFactors: { pending: false } });
    const enrol = (await c.post('/api/auth/totp/enrol')).json<{ secret: string }>();
    expect((await c.post('/api/auth/totp/confirm', { code: await totpCode(enrol.secret, t.clock.now()) })).statusCode).toBe(200);
    expect(await sessionOf(c)).toMatchObject({ level: 'full', mfa: true });
  });

  it('AUTH-03 / LOG-03: unknown people, unverified emails, expired accounts, forged or replayed callbacks are refused and audited', async () => {
    const refused = async (accountId: string) => {
      const c = t.client();
      const { callback, back } = await viaProvider(c, { accountId, amr: ['mfa'] });
      expect(callback.headers.location).toBe('/login?error=auth.oidc_failed');
      expect(await sessionOf(c)).toMatchObject({ authenticated: false });
      return { back, c };
    };
    await refused('sub-inconnu');
    expect(await lastLogin()).toMatchObject({ outcome: 'failure', details: { method: 'oidc', reason: 'unknown_subject', subject: 'sub-inconnu' } });
    await refused('sub-non-verifie');
    expect(await lastLogin()).toMatchObject({ outcome: 'failure', details: { reason: 'unknown_subject' } });
    const [notLinked] = await t.superuserSql(`select oidc_subject from users where email = 'instructeur@hdh.example'`);
    expect(notLinked).toEqual({ oidc_subject: null });

    await t.superuserSql(`update users set end_of_rights = current_date - 1 where email = 'producteur@cnam.example'`);
    await refused('sub-producteur');
    expect(await lastLogin()).toMatchObject({ actor_label: 'producteur@cnam.example', outcome: 'failure', details: { reason: 'expired' } });

    // A callback that reaches another browser (login CSRF, stolen code) is refused: the state is bound to the starter's cookie.
    idp.nextLogin = { accountId: 'sub-chercheur', amr: ['pwd'] };
    const starter = t.client();
    const start = await starter.get('/api/auth/oidc/start');
    const back = await new Browser().follow(String(start.headers.location), (u) => u.href.startsWith(redirectUri));
    const victim = t.client();
    expect((await victim.get(back.pathname + back.search)).headers.location).toBe('/login?error=auth.oidc_failed');
    expect(await lastLogin()).toMatchObject({ details: { reason: 'state_mismatch' } });
    // The right browser succeeds once; replaying the same callback finds no flow left.
    expect((await starter.get(back.pathname + back.search)).headers.location).toBe('/');
    starter.cookies.set('hdh_oidc_state', back.searchParams.get('state')!);
    expect((await starter.get(back.pathname + back.search)).headers.location).toBe('/login?error=auth.oidc_failed');
    expect(await lastLogin()).toMatchObject({ details: { reason: 'state_unknown_or_expired' } });
  });
});

describe('OIDC settings', () => {
  it('AUTH-01: with HDH_OIDC_TRUSTS_MFA=false the provider’s MFA claim is not enough; without HDH_OIDC_* the routes are off', async () => {
    const idp = await startTestOidcProvider({ clientId, clientSecret, redirectUri, people });
    const t = await startTestHub('pglite', { HDH_OIDC_ISSUER: idp.issuer, HDH_OIDC_CLIENT_ID: clientId, HDH_OIDC_CLIENT_SECRET: clientSecret });
    const plain = await startTestHub('pglite');
    try {
      const c = t.client();
      idp.nextLogin = { accountId: 'sub-admin', amr: ['mfa'], acr: 'eidas2' };
      const start = await c.get('/api/auth/oidc/start');
      const back = await new Browser().follow(String(start.headers.location), (u) => u.href.startsWith(redirectUri));
      expect((await c.get(back.pathname + back.search)).headers.location).toBe('/');
      expect((await c.get('/api/session')).json()).toMatchObject({ level: 'enrolment', mfa: false, oidc: { enabled: true, label: 'ProConnect' } });
      expect((await plain.client().get('/api/auth/oidc/start')).json()).toMatchObject({ error: { code: 'auth.oidc_disabled' } });
      expect((await plain.client().get('/api/session')).json()).toMatchObject({ oidc: { enabled: false } });
      // The new routes are in the generated OpenAPI document.
      const openapi = (await plain.client().get('/api/docs/json')).json<{ paths: Record<string, unknown> }>();
      expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/auth/oidc/start', '/api/auth/oidc/callback', '/api/auth/second-factor', '/api/auth/webauthn/login/options', '/api/auth/webauthn/credentials/{id}']));
    } finally {
      await t.close();
      await plain.close();
      await idp.close();
    }
  });
});
