import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';

describe.each(stores)('charters on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  it('the three charters are public and versioned; the user charter says actions are traced (LOG-12)', async () => {
    const c = t.client();
    for (const kind of ['user', 'producer', 'citizen']) {
      const res = await c.get(`/api/charters/${kind}/current`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ kind, version: 1 });
    }
    const user = (await c.get('/api/charters/user/current')).json<{ body: { fr: string; en: string } }>();
    expect(user.body.fr).toMatch(/toutes mes actions sont tracées/);
    expect(user.body.en).toMatch(/all my actions are traced/);
  });

  it('AUTH-05: restricted data stays closed until the current user charter is accepted; acceptance is audited', async () => {
    const officer = await t.login('securite@hdh.example');
    expect((await officer.get('/api/audit/events')).json()).toMatchObject({ error: { code: 'auth.charter_required' } });
    expect((await officer.get('/api/session')).json()).toMatchObject({ charterAccepted: false });
    await officer.acceptCharter();
    expect((await officer.get('/api/session')).json()).toMatchObject({ charterAccepted: true });
    expect((await officer.get('/api/audit/events?action=charter.accept')).statusCode).toBe(200);
    const [row] = (await t.superuserSql(`select actor_label, details from audit_events where action = 'charter.accept' order by seq desc limit 1`)) as Record<string, unknown>[];
    expect(row).toEqual({ actor_label: 'securite@hdh.example', details: { kind: 'user', version: 1 } });
  });

  it('AUTH-05: a new charter version must be accepted again; an old version cannot be accepted', async () => {
    const admin = await t.login('admin@hdh.example');
    const old = (await admin.get('/api/charters/user/current')).json<{ id: string }>();
    const published = await admin.post('/api/admin/charters', {
      kind: 'user',
      title: { fr: 'Charte v2', en: 'Charter v2' },
      body: { fr: 'Nouvelle version : toutes mes actions sont tracées et conservées.', en: 'New version: all my actions are traced and kept.' },
    });
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ version: 2 });
    const officer = await t.login('securite@hdh.example');
    expect((await officer.get('/api/session')).json()).toMatchObject({ charterAccepted: false });
    expect((await officer.post(`/api/charters/${old.id}/accept`)).json()).toMatchObject({ error: { code: 'charter.not_current' } });
    await officer.acceptCharter();
    expect((await officer.get('/api/session')).json()).toMatchObject({ charterAccepted: true });
  });

  it('only administrators publish charters', async () => {
    const researcher = await t.login('chercheur@recherche.example');
    const res = await researcher.post('/api/admin/charters', { kind: 'citizen', title: { fr: 'Essai', en: 'Test' }, body: { fr: 'x'.repeat(30), en: 'y'.repeat(30) } });
    expect(res.statusCode).toBe(403);
  });
});
