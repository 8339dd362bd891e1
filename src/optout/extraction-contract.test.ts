/**
 * What the extraction relies on (PR-01, PR-02, PR-04), and what staff may see: counts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/actor.js';
import { hmacHexBatch, PseudonymKeyRing } from '../platform/crypto/pseudonym.js';
import { HdhError } from '../platform/errors.js';
import { startOptoutTestHub, type OptoutTestHub } from '../../test/support/optout.js';
import { stores } from '../../test/support/hub.js';
import { oppositionApplies, OptoutService } from './service.js';

const PEOPLE = [
  { nir: '184127512345640', nir13: '1841275123456', birthDate: '1984-12-03' },
  { nir: '290081305504274', nir13: '2900813055042', birthDate: '1990-08-15' },
  { nir: '151122A00112381', nir13: '151122A001123', birthDate: '1951-12-24' },
];

describe.each(stores)('opposition registry, extraction contract and staff counts on %s', (store) => {
  let t: OptoutTestHub;
  const receipts: string[] = [];
  beforeAll(async () => {
    t = await startOptoutTestHub(store);
    // Two oppositions in one month, then one in the next, one of them withdrawn there.
    t.clock.set('2026-10-15T10:00:00Z');
    for (const p of PEOPLE.slice(0, 2)) receipts.push((await t.client().post('/api/opposition/records', { nir: p.nir, birthDate: p.birthDate })).json<{ receipt: string }>().receipt);
    t.clock.set('2026-11-03T10:00:00Z');
    receipts.push((await t.client().post('/api/opposition/records', { nir: PEOPLE[2]!.nir, birthDate: PEOPLE[2]!.birthDate })).json<{ receipt: string }>().receipt);
    expect((await t.client().post('/api/opposition/withdrawals', { receipt: receipts[1], nir: PEOPLE[1]!.nir })).statusCode).toBe(200);
  });
  afterAll(() => t?.close());

  const optout = () => t.hub.services.optout;
  const system = systemActor('extraction');
  const member = () => ({ kind: 'user' as const, userId: '00000000-0000-4000-8000-000000000002', email: 'x@recherche.example', displayName: 'X', organisationId: null, roles: ['project_member' as const], mfa: true, charterAccepted: true, sessionId: null, ip: null });
  const keys = () => t.secrets.pseudonymisationKeys.map((k) => ({ ref: { id: k.id, version: k.version }, secret: Buffer.from(k.key, 'base64') }));

  it('PR-01: optedOutPseudonyms gives, for each key version, the sorted pseudonyms of the active oppositions — withdrawn ones left out', async () => {
    for (const { ref, secret } of keys()) {
      const expected = hmacHexBatch(secret, [PEOPLE[0]!.nir13, PEOPLE[2]!.nir13]).sort();
      expect(await optout().optedOutPseudonyms(system, ref)).toEqual(expected);
    }
    // Filtering a release with it removes exactly the opposed people.
    const { ref, secret } = keys()[0]!;
    const release = hmacHexBatch(secret, PEOPLE.map((p) => p.nir13)).map((pseudonym, i) => ({ pseudonym, row: i }));
    const out = new Set(await optout().optedOutPseudonyms(system, ref));
    expect(release.filter((r) => !out.has(r.pseudonym)).map((r) => r.row)).toEqual([1]);
    // The read is audited with the count, never a pseudonym.
    const [event] = (await t.superuserSql(`select action, actor_label, target_id, details from audit_events where action = 'optout.pseudonyms.read' order by seq desc limit 1`)) as { details: unknown }[];
    expect(event).toEqual({ action: 'optout.pseudonyms.read', actor_label: 'system:extraction', target_id: `${ref.id}@${ref.version}`, details: { count: 2 } });
  });

  it('PR-04: an opposition is effective as soon as it is recorded, and a withdrawal as soon as it is done', async () => {
    const { ref, secret } = keys()[1]!;
    const [pseudonym] = hmacHexBatch(secret, [PEOPLE[1]!.nir13]);
    expect(await optout().optedOutPseudonyms(system, ref)).not.toContain(pseudonym);
    const { receipt } = (await t.client().post('/api/opposition/records', { nir: PEOPLE[1]!.nir, birthDate: PEOPLE[1]!.birthDate })).json<{ receipt: string }>();
    expect(await optout().optedOutPseudonyms(system, ref)).toContain(pseudonym);
    await t.client().post('/api/opposition/withdrawals', { receipt, nir: PEOPLE[1]!.nir });
    expect(await optout().optedOutPseudonyms(system, ref)).not.toContain(pseudonym);
  });

  it('PR-01: inside the caller’s transaction (the extraction’s snapshot) it reads through that transaction', async () => {
    const { ref } = keys()[0]!;
    const inside = await t.hub.database.db.transaction().execute((tx) => optout().optedOutPseudonyms(system, ref, { tx, projectId: '00000000-0000-4000-8000-000000000001' }));
    expect(inside).toHaveLength(2);
    const [event] = (await t.superuserSql(`select project_id from audit_events where action = 'optout.pseudonyms.read' order by seq desc limit 1`));
    expect(event).toEqual({ project_id: '00000000-0000-4000-8000-000000000001' });
  });

  it('PR-01 DP-05: fails closed under a key version added after oppositions were recorded, instead of letting them through, until a rotation bridge covers them', async () => {
    const current = keys()[0]!.ref;
    const later = { id: current.id, version: 3 };
    await expect(optout().optedOutPseudonyms(system, later)).rejects.toMatchObject({ code: 'optout.key_not_covered', status: 409, params: { missing: 2 } });
    // A ring that holds the new key covers the oppositions recorded from then on, not the earlier ones.
    const ring = new PseudonymKeyRing([...t.secrets.pseudonymisationKeys, { ...later, key: Buffer.alloc(32, 9).toString('base64') }], () => undefined);
    const afterRotation = new OptoutService({ db: t.hub.database.db, clock: t.clock, audit: t.hub.services.audit, pseudonyms: ring });
    await afterRotation.record({ nir: '184127512345640', birthDate: '1984-12-03' }, { ip: null });
    await expect(afterRotation.optedOutPseudonyms(system, later)).rejects.toMatchObject({ code: 'optout.key_not_covered', params: { missing: 2 } });

    // The rotation bridge: whoever holds the NIRs and both keys hands over old → new pairs.
    const laterSecret = Buffer.alloc(32, 9);
    const currentSecret = keys().find((k) => k.ref.version === current.version)!.secret;
    const pairs = new Map(PEOPLE.map((p) => [hmacHexBatch(currentSecret, [p.nir13])[0]!, hmacHexBatch(laterSecret, [p.nir13])[0]!]));
    await expect(afterRotation.bridgeKey(member(), current, later, pairs)).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect(await afterRotation.bridgeKey(systemActor('rotation'), current, later, new Map([...pairs].slice(0, 1)))).toEqual({ added: 1, stillMissing: 1 });
    expect(await afterRotation.bridgeKey(systemActor('rotation'), current, later, pairs)).toEqual({ added: 1, stillMissing: 0 });
    expect(await afterRotation.optedOutPseudonyms(system, later)).toEqual(hmacHexBatch(laterSecret, [PEOPLE[0]!.nir13, PEOPLE[2]!.nir13]).sort());
    const [event] = (await t.superuserSql(`select details from audit_events where action = 'optout.key_bridge' order by seq desc limit 1`));
    expect(event).toEqual({ details: { from: `${current.id}@${current.version}`, added: 1, stillMissing: 0 } });
  });

  it('PR-02: the opposition applies to research projects, not to public-service missions', () => {
    expect(oppositionApplies({ publicServiceMission: false })).toBe(true);
    expect(oppositionApplies({ publicServiceMission: true })).toBe(false);
  });

  it('DP-04: the pseudonyms are refused to project members, and to hub staff without a second factor or the charter; given to hub staff', async () => {
    const member = await t.login('chercheur@recherche.example');
    await member.acceptCharter();
    const session = await t.hub.services.sessions.resolve(t.hub.database.db, member.cookies.get('hdh_session')!);
    const memberActor = await t.hub.services.identity.actorForSession(t.hub.database.db, session!.row, '127.0.0.1');
    await expect(optout().optedOutPseudonyms(memberActor!, keys()[0]!.ref)).rejects.toMatchObject({ code: 'auth.forbidden', status: 403 });
    await expect(optout().optedOutPseudonyms(memberActor!, keys()[0]!.ref)).rejects.toBeInstanceOf(HdhError);
    const instructor = { ...memberActor!, roles: ['hub_instructor' as const] };
    expect(await optout().optedOutPseudonyms(instructor, keys()[0]!.ref)).toHaveLength(2);
    await expect(optout().optedOutPseudonyms({ ...instructor, charterAccepted: false }, keys()[0]!.ref)).rejects.toMatchObject({ code: 'auth.charter_required' });
    await expect(optout().optedOutPseudonyms({ ...instructor, mfa: false }, keys()[0]!.ref)).rejects.toMatchObject({ code: 'auth.mfa_required' });
  });

  it('staff see counts — active, recorded and withdrawn per month (Paris time) — and nothing about people', async () => {
    // 23:30 UTC on 30 November is already December in Paris.
    t.clock.set('2026-11-30T23:30:00Z');
    expect((await t.client().post('/api/opposition/records', { nir: PEOPLE[1]!.nir, birthDate: PEOPLE[1]!.birthDate })).statusCode).toBe(201);
    for (const email of ['instructeur@hdh.example', 'securite@hdh.example', 'admin@hdh.example']) {
      const staff = await t.login(email);
      const res = await staff.get('/api/admin/opposition/counts');
      expect(res.statusCode).toBe(200);
      const counts = res.json<{ active: number; months: unknown[]; asOf: string }>();
      expect(counts).toEqual({
        asOf: t.clock.now().toISOString(),
        active: 4,
        months: [
          { month: '2026-10', recorded: 2, withdrawn: 0 },
          { month: '2026-11', recorded: 3, withdrawn: 2 },
          { month: '2026-12', recorded: 1, withdrawn: 0 },
        ],
      });
      expect(res.body).not.toMatch(/[0-9a-f]{64}|OPP-|[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
    const [event] = (await t.superuserSql(`select actor_label, details from audit_events where action = 'optout.counts.read' order by seq desc limit 1`));
    expect(event).toEqual({ actor_label: 'admin@hdh.example', details: { active: 4 } });
  });

  it('anonymous callers cannot read the counts (401), nor a researcher or a producer (403)', async () => {
    expect((await t.client().get('/api/admin/opposition/counts')).statusCode).toBe(401);
    expect((await (await t.login('chercheur@recherche.example')).get('/api/admin/opposition/counts')).statusCode).toBe(403);
    expect((await (await t.login('producteur@cnam.example')).get('/api/admin/opposition/counts')).statusCode).toBe(403);
  });
});

describe.each(stores)('rate limit on the public opposition form on %s', (store) => {
  let t: OptoutTestHub;
  beforeAll(async () => {
    t = await startOptoutTestHub(store, { HDH_OPPOSITION_RATE_LIMIT_PER_HOUR: '3' });
  });
  afterAll(() => t?.close());

  it('a burst from one address gets 429 request.rate_limited on each public route, refused requests counted; another address and other routes are not limited', async () => {
    const c = t.client();
    expect((await c.post('/api/opposition/records', { nir: '184127512345641', birthDate: '1984-12-03' })).statusCode).toBe(400);
    expect((await c.post('/api/opposition/records', { nir: '184127512345640', birthDate: '1984-12-03' })).statusCode).toBe(201);
    expect((await c.post('/api/opposition/records', { nir: '184127512345640', birthDate: '1984-12-03' })).statusCode).toBe(201);
    for (let i = 0; i < 3; i++) expect((await c.post('/api/opposition/withdrawals', { receipt: 'OPP-0000-0000-0000-0000', nir: '184127512345640' })).statusCode).toBe(404);
    expect((await c.post('/api/opposition/withdrawals', { receipt: 'OPP-0000-0000-0000-0000', nir: '184127512345640' })).statusCode).toBe(429);
    const limited = await c.post('/api/opposition/records', { nir: '184127512345640', birthDate: '1984-12-03' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'request.rate_limited' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    const other = await t.hub.app.inject({ method: 'POST', url: '/api/opposition/records', remoteAddress: '10.9.8.7', payload: { nir: '290081305504274', birthDate: '1990-08-15' } });
    expect(other.statusCode).toBe(201);
    for (let i = 0; i < 5; i++) expect((await c.get('/api/session')).statusCode).toBe(200);
  });
});
