import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';

describe.each(stores)('accounts administration on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  it('AUTH-03: an account cannot be created without a future end-of-rights date', async () => {
    const admin = await t.login('admin@hdh.example');
    const missing = await admin.post('/api/admin/users', { email: 'sans.date@recherche.example', displayName: 'Sans Date', roles: ['project_member'] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { details: [{ location: 'body.endOfRights' }] } });
    const past = await admin.post('/api/admin/users', { email: 'passe@recherche.example', displayName: 'Date Passée', roles: ['project_member'], endOfRights: '2020-01-01' });
    expect(past.json()).toMatchObject({ error: { code: 'user.end_of_rights_past' } });
  });

  it('AUTH-02: one nominative account per email; only administrators manage accounts', async () => {
    const admin = await t.login('admin@hdh.example');
    const dup = await admin.post('/api/admin/users', { email: 'CHERCHEUR@recherche.example', displayName: 'Doublon', roles: ['project_member'], endOfRights: '2099-01-01' });
    expect(dup.statusCode).toBe(409);
    const researcher = await t.login('chercheur@recherche.example');
    expect((await researcher.get('/api/admin/users')).statusCode).toBe(403);
    expect((await t.client().get('/api/admin/users')).statusCode).toBe(401);
  });

  it('changing roles or disabling an account ends its sessions, and is audited', async () => {
    const admin = await t.login('admin@hdh.example');
    const lead = await t.login('porteur@recherche.example');
    const users = (await admin.get('/api/admin/users')).json<{ id: string; email: string }[]>();
    const id = users.find((u) => u.email === 'porteur@recherche.example')!.id;
    const res = await admin.patch(`/api/admin/users/${id}`, { roles: ['project_member'] });
    expect(res.json()).toMatchObject({ roles: ['project_member'] });
    expect((await lead.get('/api/session')).json()).toMatchObject({ authenticated: false });
    const [row] = (await t.superuserSql(`select details from audit_events where action = 'user.update' order by seq desc limit 1`)) as { details: Record<string, unknown> }[];
    expect(row!.details).toMatchObject({ rolesBefore: ['project_lead', 'project_member'], roles: ['project_member'] });
  });

  it('AUTH-08: the annual access review lists overdue accounts first and records each decision', async () => {
    const admin = await t.login('admin@hdh.example');
    await t.superuserSql(`update users set last_reviewed_at = now() - interval '13 months' where email = 'relecteur1@hdh.example'`);
    const list = (await admin.get('/api/admin/access-review')).json<{ id: string; email: string; reviewDue: boolean }[]>();
    expect(list[0]).toMatchObject({ email: 'relecteur1@hdh.example', reviewDue: true });
    expect(list.filter((u) => u.reviewDue).map((u) => u.email)).toEqual(['relecteur1@hdh.example']);
    const reviewer = await t.login('relecteur1@hdh.example');
    const decision = await admin.post(`/api/admin/users/${list[0]!.id}/review`, { decision: 'revoke', note: 'a quitté l’équipe de relecture' });
    expect(decision.statusCode).toBe(204);
    expect((await reviewer.get('/api/session')).json()).toMatchObject({ authenticated: false });
    const after = (await admin.get('/api/admin/access-review')).json<{ email: string; reviewDue: boolean; status: string }[]>();
    expect(after.find((u) => u.email === 'relecteur1@hdh.example')).toMatchObject({ reviewDue: false, status: 'disabled' });
    const [row] = (await t.superuserSql(`select details from audit_events where action = 'user.access_review' order by seq desc limit 1`)) as { details: unknown }[];
    expect(row!.details).toEqual({ decision: 'revoke', note: 'a quitté l’équipe de relecture' });
  });

  it('AUTH-13: passwords are stored as argon2id hashes only, and never appear in responses', async () => {
    const [row] = (await t.superuserSql(`select password_hash, totp_secret_enc from users where email = 'admin@hdh.example'`)) as { password_hash: string; totp_secret_enc: string }[];
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.totp_secret_enc).toMatch(/^v1\./);
    const admin = await t.login('admin@hdh.example');
    const body = (await admin.get('/api/admin/users')).body;
    expect(body).not.toMatch(/argon2|password|totp_secret/i);
    expect(body).not.toContain(t.demo.password);
  });
});
