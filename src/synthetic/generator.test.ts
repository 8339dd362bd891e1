/**
 * The synthetic SNDS on a small population: the real analyst programs of ../shared/bench/queries
 * and ours (bench/queries) run unchanged and give plausible answers; the same seed gives
 * byte-identical Parquet; keys, dates and codes are coherent; bad input fails cleanly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import type { EngineSession } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import { Lake, type ReleaseManifest } from '../platform/lake/lake.js';
import { FrictionlessCatalogue } from './frictionless.js';
import { generateSndsRelease, type SyntheticParams } from './generator.js';

const repo = path.resolve(import.meta.dirname, '../..');
const demoRoot = path.join(repo, 'data', 'demo-catalogue');
const sharedQueries = path.resolve(repo, '../shared/bench/queries');
const schemaSnds = path.resolve(repo, '../shared/data/schema-snds');
const params: SyntheticParams = { persons: 4000, fromYear: 2019, toYear: 2021, seed: 11, chunkSize: 2000, workers: 2 };
const KEYS = 'DCT_ORD_NUM, FLX_DIS_DTD, FLX_EMT_NUM, FLX_EMT_ORD, FLX_EMT_TYP, FLX_TRT_DTD, ORG_CLE_NUM, PRS_ORD_NUM, REM_TYP_AFF';

let tmp: string;
let lake: Lake;
let manifest: ReleaseManifest;
let session: EngineSession;
const engine = new DuckDbEngine();
const catalogue = new FrictionlessCatalogue([demoRoot]);

async function viewsOver(s: EngineSession, l: Lake, m: ReleaseManifest): Promise<void> {
  for (const t of m.tables) await s.run(`CREATE OR REPLACE VIEW ${t.name} AS SELECT * FROM read_parquet([${l.tableFiles(m, t.name)!.map((f) => `'${f}'`).join(', ')}])`);
}
const num = (v: unknown) => Number(v);

function sharedPresent(what: string, dir: string): boolean {
  if (fs.existsSync(dir)) return true;
  if (process.env.CI === 'true') throw new Error(`${what} missing at ${dir} (required in CI)`);
  console.warn(`skipped: ${what} not found at ${dir}`);
  return false;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-synth-'));
  lake = new Lake(path.join(tmp, 'lake'));
  manifest = (await generateSndsRelease({ lake, engine, catalogue }, params)).manifest;
  session = await engine.open({ threads: 2 });
  await viewsOver(session, lake, manifest);
});

afterAll(async () => {
  await session?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('synthetic SNDS: real analyst programs run unchanged', () => {
  it('the shared programs return plausible results (monthly I21 stays in 2019, GP visits per patient)', async () => {
    if (!sharedPresent('shared bench queries', sharedQueries)) return;
    const mi = await session.query(fs.readFileSync(path.join(sharedQueries, 'mco_stays_by_diagnosis.sql'), 'utf8'));
    expect(mi.length).toBeGreaterThanOrEqual(3);
    expect(mi.every((r) => r.SOR_ANN === '2019' && num(r.n_stays) >= 1 && num(r.n_patients) <= num(r.n_stays))).toBe(true);
    const gp = await session.query(fs.readFileSync(path.join(sharedQueries, 'gp_consultations.sql'), 'utf8'));
    expect(gp.length).toBeGreaterThan(params.persons * 0.7);
    const mean = gp.reduce((s, r) => s + num(r.n_consultations), 0) / gp.length;
    expect(mean).toBeGreaterThan(3);
    expect(mean).toBeLessThan(6);
    for (const file of fs.readdirSync(sharedQueries).filter((f) => f.endsWith('.sql'))) {
      expect((await session.query(fs.readFileSync(path.join(sharedQueries, file), 'utf8'))).length, file).toBeGreaterThan(0);
    }
  });

  it('our programs (bench/queries) give plausible answers', async () => {
    const q = (f: string) => session.query(fs.readFileSync(path.join(repo, 'bench', 'queries', f), 'utf8'));
    const drugs = await q('drug_users_by_atc.sql');
    const statins2019 = drugs.find((r) => r.year === '2019' && r.atc_class === 'C10');
    expect(num(statins2019?.n_users)).toBeGreaterThan(params.persons * 0.02);
    expect(new Set(drugs.map((r) => r.year))).toEqual(new Set(['2019', '2020', '2021']));
    const ald = await q('ald_prevalence.sql');
    const diabetes = ald.find((r) => r.IMB_ALD_NUM === 8);
    expect(num(diabetes?.per_1000)).toBeGreaterThan(10);
    expect(num(diabetes?.per_1000)).toBeLessThan(80);
    const deaths = await q('deaths_by_cause.sql');
    expect(new Set(deaths.map((r) => r.year))).toEqual(new Set(['2019', '2020', '2021']));
    const deathCount = deaths.reduce((s, r) => s + num(r.n_deaths), 0);
    const meanAge = deaths.reduce((s, r) => s + num(r.n_deaths) * num(r.mean_age), 0) / deathCount;
    expect(meanAge).toBeGreaterThan(60);
    expect(meanAge).toBeLessThan(90);
    const [cohort] = await q('dcir_pmsi_cohort.sql');
    expect(num(cohort?.n_patients)).toBeGreaterThan(0);
    expect(num(cohort?.pct_with_statin)).toBeGreaterThanOrEqual(50);
  });
});

describe('synthetic SNDS: coherence', () => {
  it('DCIR: the 9 keys are unique and shared exactly with ER_PHA_F and ER_ETE_F; flux after care', async () => {
    const [k] = await session.query(`SELECT count(*) AS n, count(DISTINCT (${KEYS})) AS d, count(*) FILTER (WHERE FLX_TRT_DTD <= EXE_SOI_DTD OR FLX_DIS_DTD <= FLX_TRT_DTD) AS bad FROM ER_PRS_F`);
    expect(num(k!.n)).toBe(num(k!.d));
    expect(num(k!.bad)).toBe(0);
    for (const detail of ['ER_PHA_F', 'ER_ETE_F']) {
      const [j] = await session.query(`SELECT count(*) AS n, count(p.BEN_NIR_PSA) AS joined FROM ${detail} d LEFT JOIN ER_PRS_F p USING (${KEYS})`);
      expect(num(j!.n)).toBeGreaterThan(0);
      expect(num(j!.joined)).toBe(num(j!.n));
    }
    const [pha] = await session.query(`SELECT count(*) AS n FROM ER_PHA_F d LEFT JOIN IR_PHA_R r ON r.PHA_CIP_C13 = d.PHA_PRS_C13 WHERE r.PHA_ATC_C07 IS NULL`);
    expect(num(pha!.n)).toBe(0);
  });

  it('care happens after birth and before death; PMSI chains to IR_BEN_R; twins share BEN_NIR_PSA', async () => {
    const [c] = await session.query(`SELECT count(*) AS bad FROM ER_PRS_F p JOIN IR_BEN_R b USING (BEN_NIR_PSA, BEN_RNG_GEM)
      WHERE p.EXE_SOI_DTD < make_date(CAST(b.BEN_NAI_ANN AS INTEGER), CAST(b.BEN_NAI_MOI AS INTEGER), 1) OR p.EXE_SOI_DTD > b.BEN_DCD_DTE`);
    expect(num(c!.bad)).toBe(0);
    const [s] = await session.query(`SELECT count(*) AS n, count(b.BEN_NIR_PSA) AS linked, avg(CASE WHEN c.NIR_RET = '0' THEN 1 ELSE 0 END) AS ok_share,
      count(*) FILTER (WHERE CAST(c.EXE_SOI_DTF AS DATE) > b.BEN_DCD_DTE) AS after_death
      FROM T_MCO19C c LEFT JOIN (SELECT DISTINCT BEN_NIR_PSA, BEN_DCD_DTE FROM IR_BEN_R) b ON b.BEN_NIR_PSA = c.NIR_ANO_17`);
    expect(num(s!.linked)).toBe(num(s!.n));
    expect(num(s!.ok_share)).toBeGreaterThan(0.95);
    expect(num(s!.after_death)).toBe(0);
    const [t] = await session.query(`SELECT count(*) AS twins FROM IR_BEN_R a JOIN IR_BEN_R b ON a.BEN_NIR_PSA = b.BEN_NIR_PSA AND a.BEN_RNG_GEM = 1 AND b.BEN_RNG_GEM = 2 AND a.BEN_NAI_ANN = b.BEN_NAI_ANN`);
    expect(num(t!.twins)).toBeGreaterThan(0);
    const [k] = await session.query(`SELECT count(*) AS n, count(DISTINCT (BEN_NIR_PSA, BEN_RNG_GEM)) AS d, count(DISTINCT BEN_IDT_ANO) AS i FROM IR_BEN_R`);
    expect(num(k!.d)).toBe(params.persons);
    expect(num(k!.i)).toBe(params.persons);
  });

  it('deaths (about 1 % a year) all have an ICD-10 cause', async () => {
    const [d] = await session.query(`SELECT count(*) AS n, count(*) FILTER (WHERE DCD_CIM_COD IS NULL) AS no_cause FROM KI_CCI_R`);
    expect(num(d!.n)).toBeGreaterThan(params.persons * 0.01);
    expect(num(d!.no_cause)).toBe(0);
  });

  it('every coded value comes from its nomenclature and fits the schema length', async () => {
    for (const t of manifest.tables) {
      const schema = catalogue.table(t.schema!.split('/').pop()!.replace('.json', ''));
      for (const f of schema.fields) {
        const len = Number(String(f.length ?? '').split(',')[0]);
        if (f.type === 'string' && len) {
          const [r] = await session.query(`SELECT max(length("${f.name}")) AS m FROM ${t.name}`);
          expect(num(r!.m ?? 0), `${t.name}.${f.name}`).toBeLessThanOrEqual(len);
        }
        // Dates point at the calendar referential (IR_DTE_V): not a code list.
        if (!f.nomenclature || f.nomenclature === '-' || ['date', 'datetime', 'year', 'yearmonth'].includes(f.type)) continue;
        const allowed = new Set(catalogue.codesFor(schema.name, f.name));
        const values = (await session.query(`SELECT DISTINCT CAST("${f.name}" AS VARCHAR) AS v FROM ${t.name} WHERE "${f.name}" IS NOT NULL`)).map((r) => String(r.v));
        expect(values.filter((v) => !allowed.has(v)), `${t.name}.${f.name}`).toEqual([]);
      }
    }
  });

  it('demo nomenclature subsets agree with the real SNDS dictionary', () => {
    if (!sharedPresent('schema-snds', schemaSnds)) return;
    const real = new FrictionlessCatalogue([schemaSnds]);
    const demo = new FrictionlessCatalogue([demoRoot]);
    for (const [table, field] of [['ER_PRS_F', 'PRS_NAT_REF'], ['ER_PRS_F', 'PSE_SPE_COD'], ['IR_BEN_R', 'BEN_RES_DPT'], ['IR_IMB_R', 'IMB_ALD_NUM'], ['T_MCOaaB', 'DGN_PAL'], ['KI_CCI_R', 'DCD_CIM_COD']] as const) {
      const realCodes = new Set(real.codesFor(table, field));
      expect(demo.codesFor(table, field).filter((c) => !realCodes.has(c)), `${table}.${field}`).toEqual([]);
    }
  });
});

describe('synthetic SNDS: reproducible, versioned, atomic', () => {
  it('the same seed and parameters give byte-identical Parquet, in a new version', async () => {
    const again = await generateSndsRelease({ lake, engine, catalogue }, params);
    expect(again.manifest.version).toBe(manifest.version + 1);
    const sums = (m: ReleaseManifest) => m.tables.flatMap((t) => t.files.map((f) => `${f.path}:${f.sha256}`));
    expect(sums(again.manifest)).toEqual(sums(manifest));
    const other = await generateSndsRelease({ lake, engine, catalogue }, { ...params, persons: 200, seed: 12 });
    expect(sums(other.manifest)).not.toEqual(sums(manifest));
  });

  it('bad input names the table and field, and leaves no partial release', async () => {
    const l = new Lake(path.join(tmp, 'bad-lake'));
    await expect(generateSndsRelease({ lake: l, engine, catalogue }, { ...params, fromYear: 2021, toYear: 2019 })).rejects.toMatchObject({ code: 'synthetic.invalid_parameter', params: { parameter: 'years' } });
    await expect(generateSndsRelease({ lake: l, engine, catalogue }, { ...params, persons: 0 })).rejects.toMatchObject({ code: 'synthetic.invalid_parameter', params: { parameter: 'persons' } });
    expect(() => catalogue.table('ER_XYZ_F')).toThrow(HdhError);
    // A catalogue whose nature-of-service nomenclature is missing.
    const broken = path.join(tmp, 'broken');
    fs.cpSync(demoRoot, broken, { recursive: true });
    fs.rmSync(path.join(broken, 'nomenclatures', 'ORAVAL', 'IR_NAT_V.json'));
    await expect(generateSndsRelease({ lake: l, engine, catalogue: new FrictionlessCatalogue([broken]) }, params)).rejects.toMatchObject({ code: 'synthetic.nomenclature_missing', params: { table: 'ER_PRS_F', field: 'PRS_NAT_REF' } });
    // A schema column the generator has no rule for fails before any file is published.
    const schemaFile = path.join(broken, 'schemas', 'DCIR', 'ER_PRS_F.json');
    fs.cpSync(path.join(demoRoot, 'nomenclatures', 'ORAVAL', 'IR_NAT_V.json'), path.join(broken, 'nomenclatures', 'ORAVAL', 'IR_NAT_V.json'));
    const s = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as { fields: unknown[] };
    s.fields.push({ name: 'PRS_XYZ', type: 'string', length: '2', nomenclature: '-' });
    fs.writeFileSync(schemaFile, JSON.stringify(s));
    await expect(generateSndsRelease({ lake: l, engine, catalogue: new FrictionlessCatalogue([broken]) }, params)).rejects.toMatchObject({ code: 'synthetic.field_unsupported', params: { table: 'ER_PRS_F', field: 'PRS_XYZ' } });
    expect(l.listReleases()).toEqual([]);
    expect(fs.existsSync(path.join(l.root, '.tmp')) ? fs.readdirSync(path.join(l.root, '.tmp')) : []).toEqual([]);
  });

  it('a failure in the middle of a run aborts the draft (no partial release)', async () => {
    const l = new Lake(path.join(tmp, 'fail-lake'));
    let calls = 0;
    const failing = {
      kind: 'duckdb' as const,
      async open(o?: Parameters<DuckDbEngine['open']>[0]) {
        const s = await engine.open(o);
        return { ...s, run: s.run.bind(s), stream: s.stream.bind(s), interrupt: s.interrupt.bind(s), close: s.close.bind(s),
          query: async (sql: string) => { if (sql.startsWith('COPY') && ++calls === 5) throw new Error('disk full'); return s.query(sql); } };
      },
    };
    await expect(generateSndsRelease({ lake: l, engine: failing, catalogue }, { ...params, persons: 300 })).rejects.toThrow('disk full');
    expect(l.listReleases()).toEqual([]);
    expect(fs.readdirSync(path.join(l.root, '.tmp'))).toEqual([]);
  });
});
