import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestClient, type TestHub } from '../../test/support/hub.js';
import { SoftwareAuthenticator, type CreationOptions, type RequestOptions } from '../../test/support/software-authenticator.js';

interface LoginOptions {
  challengeId: string;
  options: RequestOptions & { rpId: string };
}

describe.each(stores)('WebAuthn second factor on %s', (store) => {
  let t: TestHub;
  let key: SoftwareAuthenticator;
  const email = 'cle@recherche.example';
  const password = 'a-long-enough-password';
  let credentialId = '';

  beforeAll(async () => {
    t = await startTestHub(store);
    key = new SoftwareAuthenticator(t.hub.config.publicUrl.origin, t.hub.config.publicUrl.hostname);
    const admin = await t.login('admin@hdh.example');
    const created = await admin.post('/api/admin/users', { email, displayName: 'Camille Clé', roles: ['project_member'], endOfRights: '2099-12-31', password });
    expect(created.statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  const register = async (c: TestClient, authenticator = key, label = 'Clé USB') => {
    const options = (await c.post('/api/auth/webauthn/register/options')).json<CreationOptions>();
    return c.post('/api/auth/webauthn/register/verify', { label, response: authenticator.create(options) });
  };
  const loginOptions = async (forEmail: string) => (await t.client().post('/api/auth/webauthn/login/options', { email: forEmail })).json<LoginOptions>();

  it('AUTH-01: an enrolment-level session registers a security key instead of TOTP, which makes the session full', async () => {
    const c = t.client();
    expect((await c.post('/api/auth/login', { email, password })).json()).toMatchObject({ level: 'enrolment' });
    const options = (await c.post('/api/auth/webauthn/register/options')).json<CreationOptions & { rp: { id: string }; excludeCredentials: unknown[] }>();
    expect(options.rp.id).toBe('127.0.0.1');
    expect(options.excludeCredentials).toEqual([]);
    // An attestation made for another site is refused, and the attempt is in the audit log.
    const phishing = new SoftwareAuthenticator('https://evil.example', '127.0.0.1');
    const refused = await c.post('/api/auth/webauthn/register/verify', { label: 'Fausse', response: phishing.create(options) });
    expect(refused.json()).toMatchObject({ error: { code: 'mfa.webauthn.invalid' } });
    // The challenge was used up by that attempt: the same options cannot serve again.
    expect((await c.post('/api/auth/webauthn/register/verify', { label: 'Clé USB', response: key.create(options) })).json()).toMatchObject({ error: { code: 'mfa.webauthn.no_pending_registration' } });

    const ok = await register(c);
    expect(ok.statusCode).toBe(200);
    const body = ok.json<{ credential: { id: string; label: string; transports: string[] }; recoveryCodes: string[] }>();
    credentialId = body.credential.id;
    expect(body.credential).toMatchObject({ label: 'Clé USB', transports: ['usb'] });
    expect(body.recoveryCodes).toHaveLength(10);
    expect((await c.get('/api/session')).json()).toMatchObject({ level: 'full', mfa: true, secondFactors: { totp: false, webauthn: 1, pending: false } });
    const events = await t.superuserSql(`select action, outcome from audit_events where action like 'mfa.webauthn.%' order by seq`);
    expect(events).toEqual([
      { action: 'mfa.webauthn.registration_started', outcome: 'success' },
      { action: 'mfa.webauthn.registered', outcome: 'failure' },
      { action: 'mfa.webauthn.registration_started', outcome: 'success' },
      { action: 'mfa.webauthn.registered', outcome: 'success' },
    ]);
  });

  it('AUTH-01: password + security key opens a full session; the signature counter is kept; the password alone is refused', async () => {
    expect((await t.client().post('/api/auth/login', { email, password })).statusCode).toBe(401);
    const { challengeId, options } = await loginOptions(email);
    expect(options.allowCredentials).toEqual([{ id: credentialId, type: 'public-key', transports: ['usb'] }]);
    const c = t.client();
    const res = await c.post('/api/auth/login', { email, password, webauthn: { challengeId, response: key.get(options) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ level: 'full' });
    expect((await c.get('/api/session')).json()).toMatchObject({ mfa: true, user: { email } });
    const [cred] = await t.superuserSql(`select counter, last_used_at from webauthn_credentials where id = '${credentialId}'`);
    expect(cred).toMatchObject({ counter: expect.anything(), last_used_at: expect.any(Date) });
    expect(Number((cred as { counter: number | string }).counter)).toBe(1);
    const [event] = await t.superuserSql(`select details from audit_events where action = 'auth.login' and outcome = 'success' order by seq desc limit 1`);
    expect(event).toEqual({ details: { method: 'password+webauthn', level: 'full' } });
  });

  it('AUTH-01: a replayed, foreign-origin or wrong-password assertion is refused with the same generic error', async () => {
    const generic = (await t.client().post('/api/auth/login', { email, password: 'wrong-password-123' })).json();
    // Replay: the challenge is single use.
    const first = await loginOptions(email);
    const assertion = key.get(first.options);
    expect((await t.client().post('/api/auth/login', { email, password, webauthn: { challengeId: first.challengeId, response: assertion } })).statusCode).toBe(200);
    const replay = await t.client().post('/api/auth/login', { email, password, webauthn: { challengeId: first.challengeId, response: assertion } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toEqual(generic);
    // An assertion signed for another origin (a phishing page relaying the challenge).
    const second = await loginOptions(email);
    const phished = await t.client().post('/api/auth/login', { email, password, webauthn: { challengeId: second.challengeId, response: key.get(second.options, { origin: 'https://evil.example' }) } });
    expect(phished.json()).toEqual(generic);
    // A valid assertion with a wrong password, and a tampered signature.
    const third = await loginOptions(email);
    const valid = key.get(third.options);
    expect((await t.client().post('/api/auth/login', { email, password: 'wrong-password-123', webauthn: { challengeId: third.challengeId, response: valid } })).json()).toEqual(generic);
    const fourth = await loginOptions(email);
    const tampered = key.get(fourth.options);
    tampered.response.signature = tampered.response.signature.slice(0, -4) + (tampered.response.signature.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await t.client().post('/api/auth/login', { email, password, webauthn: { challengeId: fourth.challengeId, response: tampered } })).json()).toEqual(generic);
    await t.superuserSql(`update users set failed_logins = 0 where email = '${email}'`);
  });

  it('no account enumeration: login options for an unknown email look like those of a real one, and stay the same', async () => {
    const known = await loginOptions(email);
    const unknownA = await loginOptions('personne@nulle-part.example');
    const unknownB = await loginOptions('personne@nulle-part.example');
    const totpOnly = await loginOptions('chercheur@recherche.example');
    expect(Object.keys(unknownA.options).sort()).toEqual(Object.keys(known.options).sort());
    expect(unknownA.options.allowCredentials).toHaveLength(1);
    expect(unknownA.options.allowCredentials![0]!.id).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(unknownB.options.allowCredentials).toEqual(unknownA.options.allowCredentials);
    expect(totpOnly.options.allowCredentials).toHaveLength(1);
    expect(totpOnly.options.allowCredentials).not.toEqual(unknownA.options.allowCredentials);
    expect(unknownA.options.challenge).not.toBe(unknownB.options.challenge);
  });

  it('AUTH-01: a TOTP user adds a key from a full session, lists and deletes it; the last factor of a key-only account stays', async () => {
    const c = await t.login('chercheur@recherche.example');
    const spare = new SoftwareAuthenticator(key.origin, key.rpId);
    const added = await register(c, spare, 'Clé de secours');
    expect(added.json()).toMatchObject({ credential: { label: 'Clé de secours' }, recoveryCodes: null });
    const list = (await c.get('/api/auth/webauthn/credentials')).json<{ id: string; label: string }[]>();
    expect(list.map((k) => k.label)).toEqual(['Clé de secours']);
    expect((await c.delete(`/api/auth/webauthn/credentials/${list[0]!.id}`)).statusCode).toBe(204);
    expect((await c.get('/api/auth/webauthn/credentials')).json()).toEqual([]);
    expect((await c.delete(`/api/auth/webauthn/credentials/${credentialId}`)).statusCode).toBe(404);

    const { challengeId, options } = await loginOptions(email);
    const owner = t.client();
    await owner.post('/api/auth/login', { email, password, webauthn: { challengeId, response: key.get(options) } });
    const last = await owner.delete(`/api/auth/webauthn/credentials/${credentialId}`);
    expect(last.json()).toMatchObject({ error: { code: 'mfa.webauthn.last_factor' } });
    const [removed] = await t.superuserSql(`select count(*)::int as n from audit_events where action = 'mfa.webauthn.removed'`);
    expect(removed).toEqual({ n: 1 });
  });
});
