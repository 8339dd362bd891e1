import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/actor.js';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';

const cli = systemActor('test');

describe.each(stores)('audit log on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  /** Reopens a clean chain for each tampering scenario: a fresh hub with a sealed past day. */
  async function freshHubWithSealedDay(): Promise<TestHub> {
    const h = await startTestHub(store);
    h.clock.set('2026-03-02T08:00:00Z');
    const researcher = await h.login('chercheur@recherche.example');
    await researcher.acceptCharter();
    await h.login('securite@hdh.example');
    h.clock.set('2026-03-03T09:00:00Z');
    expect(await h.hub.services.audit.sealCompletedDays()).toContain('2026-03-02');
    await h.login('instructeur@hdh.example');
    return h;
  }

  it('LOG-01: each event carries sequence, UTC time, actor, role, action, target, outcome, IP and chained hashes', async () => {
    const c = await t.login('chercheur@recherche.example');
    await c.acceptCharter();
    const rows = (await t.superuserSql(`select * from audit_events where action = 'charter.accept' order by seq desc limit 1`)) as Record<string, unknown>[];
    const e = rows[0]!;
    expect(e).toMatchObject({ actor_label: 'chercheur@recherche.example', actor_role: 'project_member', outcome: 'success', target_type: 'charter', source_ip: '127.0.0.1' });
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    const prev = (await t.superuserSql(`select hash from audit_events where seq = ${Number(e.seq) - 1}`)) as { hash: string }[];
    expect(e.prev_hash).toBe(prev[0]!.hash);
  });

  it('LOG-07: the application cannot update or delete audit rows', async () => {
    const db = t.hub.database.db;
    await expect(db.updateTable('audit_events').set({ action: 'x' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_events').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
  });

  it('LOG-03: failed attempts are logged with the reason, but the caller learns nothing', async () => {
    await t.client().post('/api/auth/login', { email: 'porteur@recherche.example', password: 'not-the-password' });
    const [row] = (await t.superuserSql(`select outcome, details, actor_label from audit_events where action = 'auth.login' order by seq desc limit 1`)) as Record<string, unknown>[];
    expect(row).toEqual({ outcome: 'failure', details: { reason: 'bad_password' }, actor_label: 'porteur@recherche.example' });
  });

  it('the security officer filters the log and exports CSV; others are refused; reads are traced', async () => {
    const researcher = await t.login('chercheur@recherche.example');
    await researcher.acceptCharter();
    expect((await researcher.get('/api/audit/events')).statusCode).toBe(403);
    const officer = await t.login('securite@hdh.example');
    const before = await officer.get('/api/audit/events');
    expect(before.json()).toMatchObject({ error: { code: 'auth.charter_required' } });
    await officer.acceptCharter();
    const res = await officer.get('/api/audit/events?actor=chercheur&action=charter.&limit=10');
    const { events } = res.json<{ events: { actorLabel: string; action: string }[] }>();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.actorLabel === 'chercheur@recherche.example' && e.action.startsWith('charter.'))).toBe(true);
    const today = t.clock.now().toISOString().slice(0, 10);
    const dated = await officer.get(`/api/audit/events?from=${today}&to=${today}&outcome=failure`);
    expect(dated.json<{ events: { outcome: string }[] }>().events.every((e) => e.outcome === 'failure')).toBe(true);
    const csv = await officer.get('/api/audit/events.csv?action=auth.login');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('seq,occurred_at,actor_id,actor_label,actor_role,action,target_type,target_id,project_id,outcome,source_ip,details,hash');
    expect(lines.length).toBeGreaterThan(3);
    const traced = (await t.superuserSql(`select action from audit_events where action in ('audit.read','audit.export') and actor_label = 'securite@hdh.example'`));
    expect(traced.length).toBeGreaterThanOrEqual(2);
  });

  it('LOG-05: verify passes on a clean, sealed log', async () => {
    const h = await freshHubWithSealedDay();
    try {
      const report = await h.hub.services.audit.verify(cli);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.sealsChecked).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('LOG-05: verify names the event after one field is edited', async () => {
    const h = await freshHubWithSealedDay();
    try {
      await h.superuserSql(`alter table audit_events disable trigger audit_events_no_update; update audit_events set source_ip = '10.9.9.9' where seq = 5; alter table audit_events enable trigger audit_events_no_update;`);
      const report = await h.hub.services.audit.verify(cli);
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'altered', seq: 5 }));
    } finally {
      await h.close();
    }
  });

  it('LOG-05: verify names the gap after one event is deleted', async () => {
    const h = await freshHubWithSealedDay();
    try {
      await h.superuserSql(`alter table audit_events disable trigger audit_events_no_update; delete from audit_events where seq = 7; alter table audit_events enable trigger audit_events_no_update;`);
      const report = await h.hub.services.audit.verify(cli);
      expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'missing', seq: 7, message: expect.stringContaining('event 7 missing') }));
    } finally {
      await h.close();
    }
  });

  it('LOG-05: verify detects two events swapped', async () => {
    const h = await freshHubWithSealedDay();
    try {
      // Swap the positions of events 8 and 9: each keeps its content but takes the other's place.
      await h.superuserSql(`alter table audit_events disable trigger audit_events_no_update;
        update audit_events set seq = -8 where seq = 8; update audit_events set seq = 8 where seq = 9; update audit_events set seq = 9 where seq = -8;
        alter table audit_events enable trigger audit_events_no_update;`);
      const report = await h.hub.services.audit.verify(cli);
      expect(report.ok).toBe(false);
      const seqs = report.problems.map((p) => p.seq);
      expect(seqs).toContain(8);
    } finally {
      await h.close();
    }
  });

  it('LOG-05: verify detects that the last events of a sealed day were removed, though the remaining chain is consistent', async () => {
    const h = await freshHubWithSealedDay();
    try {
      const [seal] = (await h.superuserSql(`select last_seq from audit_seals`)) as { last_seq: number }[];
      const last = Number(seal!.last_seq);
      // Remove the sealed day's last two events and everything after: the remaining chain is consistent.
      await h.superuserSql(`alter table audit_events disable trigger audit_events_no_update; delete from audit_events where seq >= ${last - 1}; alter table audit_events enable trigger audit_events_no_update;`);
      const report = await h.hub.services.audit.verify(cli);
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'seal_truncated', day: '2026-03-02', seq: last }));
    } finally {
      await h.close();
    }
  });

  it('LOG-07: a deleted seal is caught by the copy kept outside the database', async () => {
    const h = await freshHubWithSealedDay();
    try {
      await h.superuserSql(`alter table audit_seals disable trigger audit_seals_no_update; delete from audit_seals; alter table audit_seals enable trigger audit_seals_no_update;`);
      const report = await h.hub.services.audit.verify(cli);
      expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'seal_file_mismatch', day: '2026-03-02' }));
    } finally {
      await h.close();
    }
  });

  it('the security officer runs the verification from the API, and it is audited', async () => {
    const officer = await t.login('securite@hdh.example');
    await officer.acceptCharter();
    const res = await officer.post('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, problems: [] });
  });
});
