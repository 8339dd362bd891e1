import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/actor.js';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { schemaSndsDir } from '../../test/support/snds-dictionary.js';

// The real dictionary is read in place from ../shared (never copied in): absent on a fresh clone
// elsewhere, these tests skip with schemaSndsDir()'s message; under CI=true its absence fails.
const snds = schemaSndsDir();

describe.skipIf(!snds).each(stores)('import of the real SNDS dictionary on %s', (store) => {
  let t: TestHub;
  let firstImport: Awaited<ReturnType<TestHub['hub']['services']['catalog']['importFolder']>>;
  beforeAll(async () => {
    t = await startTestHub(store);
    const started = performance.now();
    firstImport = await t.hub.services.catalog.importFolder(systemActor('test'), snds!, { source: 'schema-snds' });
    console.log(`[measure] schema-snds import on ${store}: ${Math.round(performance.now() - started)} ms, ${firstImport.diff.codes} codes`);
  }, 600_000);
  afterAll(() => t?.close());

  it('yields 188 tables, 4,815 variables, 505 nomenclatures and 197 joins', async () => {
    expect(firstImport.diff.tables.added).toBe(188);
    expect(firstImport.diff.variables.added).toBe(4815);
    expect(firstImport.diff.nomenclatures.added).toBe(505);
    expect(firstImport.diff.joins.added).toBe(197);
    const stats = (await t.client().get('/api/catalog/stats')).json<Record<string, number>>();
    expect(stats).toMatchObject({ tables: 188, variables: 4815, nomenclatures: 505, joins: 197 });
    expect(stats.codes).toBeGreaterThan(400_000);
    expect(firstImport.version).toBe(1);
  });

  it('knows ER_PRS_F: its primary key, and ER_PHA_F joins it on the nine-column key', async () => {
    const prs = (await t.client().get('/api/catalog/tables/ER_PRS_F')).json<{ product: string; primaryKey: string[]; joins: { fromTable: string; toTable: string; fromFields: string[]; toFields: string[] }[] }>();
    expect(prs.product).toBe('DCIR');
    const key = ['DCT_ORD_NUM', 'FLX_DIS_DTD', 'FLX_EMT_NUM', 'FLX_EMT_ORD', 'FLX_EMT_TYP', 'FLX_TRT_DTD', 'ORG_CLE_NUM', 'PRS_ORD_NUM', 'REM_TYP_AFF'];
    expect(prs.primaryKey).toEqual(key);
    const pha = prs.joins.find((j) => j.fromTable === 'ER_PHA_F' && j.toTable === 'ER_PRS_F');
    expect(pha).toMatchObject({ fromFields: key, toFields: key });
    // A foreign key given as plain strings in the file (PFS_EXE_NUM → DA_PRA_R.PFS_PFS_NUM) becomes lists.
    expect(prs.joins).toContainEqual(expect.objectContaining({ fromTable: 'ER_PRS_F', toTable: 'DA_PRA_R', fromFields: ['PFS_EXE_NUM'], toFields: ['PFS_PFS_NUM'] }));
  });

  it('keeps nomenclature references NAME:COLUMN, year templates, accents in folder names and absent CSVs', async () => {
    const c = t.client();
    const ben = await c.get('/api/catalog/tables/IR_BEN_R/variables/BEN_SEX_COD');
    expect(ben.json()).toMatchObject({ variable: { nomenclature: 'IR_SEX_V', nomenclatureColumn: 'SEX_COD' } });
    const mco = (await c.get('/api/catalog/tables/T_MCO19B')).json<{ name: string; product: string; namePattern: string }>();
    expect(mco).toMatchObject({ name: 'T_MCOaaB', product: 'PMSI MCO' });
    const cepidc = (await c.get('/api/catalog/tables/KI_CCI_R')).json<{ product: string }>();
    expect(cepidc.product).toBe('Causes de décès');
    const pha = (await c.get('/api/catalog/nomenclatures/IR_PHA_R')).json<{ hasData: boolean; codeCount: number; codeColumn: string }>();
    expect(pha).toMatchObject({ hasData: false, codeCount: 0, codeColumn: 'PHA_CIP_C13' });
    const sex = (await c.get('/api/catalog/nomenclatures/IR_SEX_V')).json<{ codes: { items: { code: string; label: string }[] }; usedBy: { table: string }[] }>();
    expect(sex.codes.items).toEqual(expect.arrayContaining([expect.objectContaining({ code: '1', label: 'MASCULIN' }), expect.objectContaining({ code: '2', label: 'FEMININ' })]));
    expect(sex.usedBy.map((u) => u.table)).toContain('IR_BEN_R');
  });

  it('pages through thousands of codes and filters them', async () => {
    const c = t.client();
    const page = (await c.get('/api/catalog/nomenclatures/IR_DTE_V?limit=100&offset=1000')).json<{ codeCount: number; codes: { total: number; items: unknown[] } }>();
    expect(page.codeCount).toBeGreaterThan(50_000);
    expect(page.codes.total).toBe(page.codeCount);
    expect(page.codes.items).toHaveLength(100);
    const geo = (await c.get('/api/catalog/nomenclatures/IR_SEX_V?q=fem')).json<{ codes: { total: number; items: { label: string }[] } }>();
    expect(geo.codes.items.map((i) => i.label)).toEqual(['FEMININ']);
  });

  it('re-import is idempotent: nothing changes and no version is added', async () => {
    const again = await t.hub.services.catalog.importFolder(systemActor('test'), snds!, { source: 'schema-snds' });
    expect(again.version).toBeNull();
    expect(again.diff.tables).toEqual({ added: 0, changed: 0, removed: 0, unchanged: 188 });
    expect(again.diff.variables.unchanged).toBe(4815);
    expect(again.diff.nomenclatures.unchanged).toBe(505);
    const versions = (await t.client().get('/api/catalog/versions')).json<unknown[]>();
    expect(versions).toHaveLength(1);
  }, 600_000);

  it('search: "deces", "déces" and "décès" find the same, CépiDc tables among them, names first', async () => {
    const c = t.client();
    const refs = async (q: string) => (await c.get(`/api/catalog/search?q=${encodeURIComponent(q)}&kind=table`)).json<{ hits: { ref: string }[] }>().hits.map((h) => h.ref);
    const plain = await refs('deces');
    expect(plain).toContain('KI_CCI_R');
    expect(await refs('déces')).toEqual(plain);
    expect(await refs('DÉCÈS')).toEqual(plain);
    const byName = (await c.get('/api/catalog/search?q=BEN_NIR_PSA')).json<{ hits: { kind: string; title: string }[] }>();
    expect(byName.hits[0]?.kind).toBe('variable');
    expect(byName.hits[0]?.title.toUpperCase()).toBe('BEN_NIR_PSA');
    const words = ['hospitalisation', 'cancer', 'pharma', 'ben_nir', 'date', 'infarctus', 'sexe', 'regime', 'etablissement', 'medicament'];
    const timed = async () => {
      const started = performance.now();
      for (const w of words) expect((await c.get(`/api/catalog/search?q=${w}`)).statusCode).toBe(200);
      return ((performance.now() - started) / words.length).toFixed(1);
    };
    const cold = await timed();
    const cached = await timed();
    console.log(`[measure] search over the SNDS dictionary on ${store}: ${cold} ms mean uncached, ${cached} ms cached (${words.length} queries, sequential, via app.inject)`);
  });
});
