/** Synthetic data through the real HTTP app: public listing, samples and downloads; generation for administrators only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stores, startTestHub, type TestHub } from '../../test/support/hub.js';
import { ensureDemoSyntheticRelease } from './service.js';
import type { ReleaseView } from './schema.js';

describe.each(stores)('synthetic routes on %s', (store) => {
  let t: TestHub;
  let release: ReleaseView;
  beforeAll(async () => {
    t = await startTestHub(store);
    release = (await ensureDemoSyntheticRelease(t.hub.services.synthetic, { persons: 400, fromYear: 2019, toYear: 2020, seed: 3, chunkSize: 200, workers: 2 }))!;
  });
  afterAll(async () => t?.close());

  it('lists synthetic releases without login, once (a second ensure is a no-op)', async () => {
    expect(await ensureDemoSyntheticRelease(t.hub.services.synthetic)).toBeNull();
    const res = await t.client().get('/api/synthetic/releases');
    expect(res.statusCode).toBe(200);
    const list = res.json<ReleaseView[]>();
    expect(list).toHaveLength(1);
    expect(list[0]!.synthetic).toBe(true);
    expect(list[0]!.tables.find((x) => x.name === 'IR_BEN_R')?.rows).toBe(400);
    expect(list[0]!.tables.map((x) => x.name)).toEqual(expect.arrayContaining(['ER_PRS_F', 'T_MCO19B', 'T_MCO20UM', 'KI_CCI_R', 'IR_IMB_R', 'IR_PHA_R']));
  });

  it('shows the first 50 rows of a table', async () => {
    const res = await t.client().get(`/api/synthetic/releases/${release.name}/${release.version}/tables/ER_PRS_F/sample`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ columns: string[]; rows: Record<string, unknown>[] }>();
    expect(body.rows).toHaveLength(50);
    expect(body.columns).toContain('BEN_NIR_PSA');
    expect(String(body.rows[0]!.BEN_NIR_PSA)).toHaveLength(17);
  });

  it('streams a table as CSV and as Parquet', async () => {
    const csv = await t.client().get(`/api/synthetic/releases/${release.name}/${release.version}/tables/IR_BEN_R/download?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toContain('BEN_NIR_PSA;BEN_RNG_GEM');
    expect(lines).toHaveLength(401);
    const pq = await t.client().get(`/api/synthetic/releases/${release.name}/${release.version}/tables/ER_PRS_F/download?format=parquet`);
    expect(pq.statusCode).toBe(200);
    expect(pq.body.slice(0, 4)).toBe('PAR1');
    expect(pq.headers['content-disposition']).toContain('ER_PRS_F-snds-synthetic');
  });

  it('unknown release or table → 404; generation needs an administrator', async () => {
    expect((await t.client().get(`/api/synthetic/releases/${release.name}/99/tables/IR_BEN_R/sample`)).statusCode).toBe(404);
    expect((await t.client().get(`/api/synthetic/releases/${release.name}/${release.version}/tables/NOPE/sample`)).json<{ error: { code: string } }>().error.code).toBe('synthetic.table_not_found');
    expect((await t.client().post('/api/admin/synthetic/releases', { persons: 10, fromYear: 2019, toYear: 2019, seed: 1 })).statusCode).toBe(401);
    const member = t.demo.accounts.find((a) => a.roles.includes('project_member') && !a.roles.includes('administrator'))!;
    const c = await t.login(member.email);
    await c.acceptCharter();
    expect((await c.post('/api/admin/synthetic/releases', { persons: 10, fromYear: 2019, toYear: 2019, seed: 1 })).statusCode).toBe(403);
  });

  it('LOG-01: an administrator generates a new version; the generation is audited', async () => {
    const admin = t.demo.accounts.find((a) => a.roles.includes('administrator'))!;
    const c = await t.login(admin.email);
    await c.acceptCharter();
    const bad = await c.post('/api/admin/synthetic/releases', { persons: 10, fromYear: 2020, toYear: 2019, seed: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('synthetic.invalid_parameter');
    const res = await c.post('/api/admin/synthetic/releases', { persons: 50, fromYear: 2019, toYear: 2019, seed: 1 });
    expect(res.statusCode).toBe(201);
    expect(res.json<ReleaseView>().version).toBe(release.version + 1);
    const events = await t.superuserSql("select action from audit_events where action = 'synthetic.release_generated'");
    expect(events.length).toBe(2);
  });
});
