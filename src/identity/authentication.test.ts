import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from './totp.js';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';

describe.each(stores)('authentication on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  const account = (email: string) => t.demo.accounts.find((a) => a.email === email)!;
  const freshCode = async (email: string) => {
    t.clock.advance(30_000);
    return totpCode(account(email).totpSecret, t.clock.now());
  };

  it('AUTH-01: a data role cannot log in with the password alone, and the refusal names no factor', async () => {
    const c = t.client();
    const res = await c.post('/api/auth/login', { email: 'chercheur@recherche.example', password: t.demo.password });
    expect(res.statusCode).toBe(401);
    const wrongPassword = await c.post('/api/auth/login', { email: 'chercheur@recherche.example', password: 'wrong-password-123', totp: await freshCode('chercheur@recherche.example') });
    const unknown = await c.post('/api/auth/login', { email: 'nobody@nowhere.example', password: 'whatever-123456' });
    // Same code and message whichever factor failed: no hint, no account enumeration.
    expect(wrongPassword.json()).toEqual(res.json());
    expect(unknown.json()).toEqual(res.json());
    expect(res.json<{ error: { code: string } }>().error.code).toBe('auth.invalid_credentials');
  });

  it('AUTH-01: password + TOTP opens a full session; a replayed code is refused', async () => {
    const c = t.client();
    const code = await freshCode('chercheur@recherche.example');
    const ok = await c.post('/api/auth/login', { email: 'chercheur@recherche.example', password: t.demo.password, totp: code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ level: 'full' });
    const cookie = ok.headers['set-cookie']!.toString();
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = (await c.get('/api/session')).json<{ authenticated: boolean; mfa: boolean; user: { email: string } }>();
    expect(session).toMatchObject({ authenticated: true, mfa: true, user: { email: 'chercheur@recherche.example' } });
    const replay = await t.client().post('/api/auth/login', { email: 'chercheur@recherche.example', password: t.demo.password, totp: code });
    expect(replay.statusCode).toBe(401);
  });

  it('AUTH-01: an account without a second factor gets an enrolment-only session until it enrols TOTP', async () => {
    const admin = await t.login('admin@hdh.example');
    const created = await admin.post('/api/admin/users', { email: 'nouveau@recherche.example', displayName: 'Nora Nouvelle', roles: ['project_member'], endOfRights: '2099-12-31', password: 'a-long-enough-password' });
    expect(created.statusCode).toBe(201);
    const c = t.client();
    const login = await c.post('/api/auth/login', { email: 'nouveau@recherche.example', password: 'a-long-enough-password' });
    expect(login.json()).toMatchObject({ level: 'enrolment' });
    expect((await c.post('/api/auth/recovery-codes')).statusCode).toBe(403);
    const enrol = (await c.post('/api/auth/totp/enrol')).json<{ secret: string; qrSvg: string; uri: string }>();
    expect(enrol.qrSvg).toContain('<svg');
    expect(enrol.uri).toMatch(/^otpauth:\/\/totp\//);
    expect((await c.post('/api/auth/totp/confirm', { code: '000000' })).statusCode).toBe(400);
    const confirm = await c.post('/api/auth/totp/confirm', { code: await totpCode(enrol.secret, t.clock.now()) });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect((await c.get('/api/session')).json()).toMatchObject({ mfa: true, level: 'full' });
    // A recovery code works once as the second factor.
    const viaRecovery = await t.client().post('/api/auth/login', { email: 'nouveau@recherche.example', password: 'a-long-enough-password', recoveryCode: recoveryCodes[0] });
    expect(viaRecovery.statusCode).toBe(200);
    const again = await t.client().post('/api/auth/login', { email: 'nouveau@recherche.example', password: 'a-long-enough-password', recoveryCode: recoveryCodes[0] });
    expect(again.statusCode).toBe(401);
  });

  it('lockout: repeated failures lock the account, even against the right credentials, then it opens again', async () => {
    const email = 'relecteur2@hdh.example';
    for (let i = 0; i < 5; i++) {
      expect((await t.client().post('/api/auth/login', { email, password: `wrong-${i}-password` })).statusCode).toBe(401);
    }
    const locked = await t.client().post('/api/auth/login', { email, password: t.demo.password, totp: await freshCode(email) });
    expect(locked.statusCode).toBe(401);
    const events = await t.superuserSql(`select action, outcome, details from audit_events where actor_label = '${email}' order by seq`);
    expect(events).toContainEqual(expect.objectContaining({ action: 'auth.lockout', outcome: 'denied' }));
    expect(events).toContainEqual(expect.objectContaining({ action: 'auth.login', outcome: 'failure', details: { reason: 'locked' } }));
    t.clock.advance(16 * 60_000);
    const after = await t.client().post('/api/auth/login', { email, password: t.demo.password, totp: await freshCode(email) });
    expect(after.statusCode).toBe(200);
  });

  it('AUTH-15: a session idle longer than the timeout is closed, and the client is told why', async () => {
    const c = await t.login('instructeur@hdh.example');
    t.clock.advance(29 * 60_000);
    expect((await c.get('/api/session')).json()).toMatchObject({ authenticated: true });
    t.clock.advance(31 * 60_000);
    const res = await c.get('/api/session');
    expect(res.json()).toMatchObject({ authenticated: false, expired: 'idle' });
    expect((await c.get('/api/admin/users')).statusCode).toBe(401);
  });

  it('CSRF: a mutation without the session’s token, or from another origin, is refused', async () => {
    const c = await t.login('admin@hdh.example');
    const body = { name: 'Organisme CSRF', kind: 'research' };
    expect((await c.post('/api/admin/organisations', body, { 'x-csrf-token': 'forged' })).statusCode).toBe(403);
    const noToken = await c.request('POST', '/api/admin/organisations', body, { 'x-csrf-token': '' });
    expect(noToken.json()).toMatchObject({ error: { code: 'auth.csrf' } });
    expect((await c.post('/api/admin/organisations', body, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await c.post('/api/admin/organisations', body)).statusCode).toBe(201);
  });

  it('AUTH-03: an account past its end-of-rights date cannot log in, and its open sessions stop', async () => {
    const c = await t.login('producteur@cnam.example');
    await t.superuserSql(`update users set end_of_rights = current_date - 1 where email = 'producteur@cnam.example'`);
    expect((await c.get('/api/session')).json()).toMatchObject({ authenticated: false });
    const res = await t.client().post('/api/auth/login', { email: 'producteur@cnam.example', password: t.demo.password, totp: await freshCode('producteur@cnam.example') });
    expect(res.statusCode).toBe(401);
    const [last] = await t.superuserSql(`select details from audit_events where action = 'auth.login' order by seq desc limit 1`);
    expect(last).toEqual({ details: { reason: 'expired' } });
  });

  it('bad input: malformed JSON, unknown fields and oversized bodies get located errors', async () => {
    const c = t.client();
    const malformed = await c.post('/api/auth/login', '{"email": "a@b.c",');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'request.malformed_json' } });
    const unknown = await c.post('/api/auth/login', { email: 'a@b.c', password: 'x', admin: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'request.invalid', details: [{ location: 'body', message: expect.stringContaining('admin') }] } });
    const missing = await c.post('/api/auth/login', { email: 'a@b.c' }, { 'accept-language': 'en' });
    expect(missing.json()).toMatchObject({ error: { details: [{ location: 'body.password' }], message: expect.stringMatching(/^Invalid request/) } });
    const huge = await c.post('/api/auth/login', { email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'request.body_too_large' } });
  });

  it('security headers: CSP, no-store on API responses, no framing', async () => {
    const res = await t.client().get('/api/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
