/** Any Frictionless table gets schema-valid data: types, lengths, codes, unique keys, consistent foreign keys. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { Lake } from '../platform/lake/lake.js';
import { FrictionlessCatalogue } from './frictionless.js';
import { generateGenericRelease } from './generic.js';

const repo = path.resolve(import.meta.dirname, '../..');
const schemaSnds = path.resolve(repo, '../shared/data/schema-snds');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-generic-'));
const engine = new DuckDbEngine();
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A small Frictionless folder written by the test: a parent, a child, a nomenclature. */
function writeRoot(dir: string, child: Record<string, unknown>): string {
  const w = (rel: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  };
  w('schemas/P/PARENT.json', JSON.stringify({ name: 'PARENT', fields: [{ name: 'ID', type: 'string', length: '6' }, { name: 'KIND', type: 'integer', nomenclature: 'KINDS' }], primaryKey: 'ID' }));
  w('schemas/P/CHILD.json', JSON.stringify(child));
  w('nomenclatures/X/KINDS.json', JSON.stringify({ name: 'KINDS', fields: [{ name: 'K', type: 'integer', role: 'code' }, { name: 'L', type: 'string', role: 'label' }] }));
  w('nomenclatures/X/KINDS.csv', 'K;L\n1;un\n2;deux\n7;sept\n');
  return dir;
}

describe('generic synthetic tables', () => {
  it('unique primary keys, codes from the nomenclature, foreign keys that exist', async () => {
    const root = writeRoot(path.join(tmp, 'ok'), { name: 'CHILD', fields: [{ name: 'CID', type: 'integer', length: '5' }, { name: 'PID', type: 'string', length: '6' }, { name: 'AMOUNT', type: 'number' }, { name: 'DAY', type: 'date' }, { name: 'LABEL', type: 'string', length: '3' }], primaryKey: ['CID'], foreignKeys: [{ fields: 'PID', reference: { resource: 'PARENT', fields: 'ID' } }] });
    const lake = new Lake(path.join(tmp, 'lake'));
    const r = await generateGenericRelease({ lake, engine, catalogue: new FrictionlessCatalogue([root]) }, { tables: ['CHILD'], rows: 500, seed: 5 });
    expect(r.rows).toEqual({ PARENT: 500, CHILD: 500 });
    const s = await engine.open();
    try {
      for (const t of r.manifest.tables) await s.run(`CREATE VIEW ${t.name} AS SELECT * FROM read_parquet('${lake.tableFiles(r.manifest, t.name)![0]}')`);
      const [c] = await s.query(`SELECT count(DISTINCT CID) AS d, count(*) FILTER (WHERE PID NOT IN (SELECT ID FROM PARENT)) AS orphans, max(length(LABEL)) AS len, min(DAY) AS lo FROM CHILD`);
      expect(Number(c!.d)).toBe(500);
      expect(Number(c!.orphans)).toBe(0);
      expect(Number(c!.len)).toBe(3);
      expect(String(c!.lo) >= '2019-01-01').toBe(true);
      const kinds = (await s.query('SELECT DISTINCT KIND AS k FROM PARENT ORDER BY 1')).map((x) => Number(x.k));
      expect(kinds).toEqual([1, 2, 7]);
      const [u] = await s.query('SELECT count(DISTINCT ID) AS d FROM PARENT');
      expect(Number(u!.d)).toBe(500);
    } finally {
      await s.close();
    }
  });

  it('bad input: unknown table, foreign key to a missing table, impossible unique key — named, nothing published', async () => {
    const lake = new Lake(path.join(tmp, 'bad'));
    const missing = writeRoot(path.join(tmp, 'missing'), { name: 'CHILD', fields: [{ name: 'PID', type: 'string', length: '6' }], foreignKeys: [{ fields: 'PID', reference: { resource: 'GHOST', fields: 'ID' } }] });
    await expect(generateGenericRelease({ lake, engine, catalogue: new FrictionlessCatalogue([missing]) }, { tables: ['NOPE'], rows: 5, seed: 1 })).rejects.toMatchObject({ code: 'synthetic.unknown_table', params: { table: 'NOPE' } });
    await expect(generateGenericRelease({ lake, engine, catalogue: new FrictionlessCatalogue([missing]) }, { tables: ['CHILD'], rows: 5, seed: 1 })).rejects.toMatchObject({ code: 'synthetic.unsatisfiable', params: { table: 'CHILD', field: 'PID' } });
    const tiny = writeRoot(path.join(tmp, 'tiny'), { name: 'CHILD', fields: [{ name: 'CODE', type: 'string', length: '2' }], primaryKey: 'CODE' });
    await expect(generateGenericRelease({ lake, engine, catalogue: new FrictionlessCatalogue([tiny]) }, { tables: ['CHILD'], rows: 1000, seed: 1 })).rejects.toMatchObject({ code: 'synthetic.unsatisfiable', params: { table: 'CHILD', field: 'CODE' } });
    await expect(generateGenericRelease({ lake, engine, catalogue: new FrictionlessCatalogue([tiny]) }, { tables: ['CHILD'], rows: 0, seed: 1 })).rejects.toMatchObject({ code: 'synthetic.invalid_parameter', params: { parameter: 'rows' } });
    expect(lake.listReleases()).toEqual([]);
  });

  it('real SNDS tables outside the core (DCIR detail, PMSI, DCIRS referential) get consistent data', async () => {
    if (!fs.existsSync(schemaSnds)) {
      if (process.env.CI === 'true') throw new Error(`schema-snds missing at ${schemaSnds}`);
      console.warn('skipped: schema-snds not found');
      return;
    }
    const lake = new Lake(path.join(tmp, 'snds'));
    const catalogue = new FrictionlessCatalogue([path.join(repo, 'data', 'demo-catalogue'), schemaSnds]);
    const r = await generateGenericRelease({ lake, engine, catalogue }, { tables: ['ER_BIO_F', 'IR_IBA_R', 'T_MCOaaFA'], rows: 300, seed: 2 });
    expect(Object.keys(r.rows)).toEqual(expect.arrayContaining(['ER_PRS_F', 'ER_BIO_F', 'IR_BEN_R', 'IR_IBA_R', 'T_MCOaaB', 'T_MCOaaFA']));
    const s = await engine.open();
    try {
      for (const t of r.manifest.tables) await s.run(`CREATE VIEW ${t.name} AS SELECT * FROM read_parquet('${lake.tableFiles(r.manifest, t.name)![0]}')`);
      const keys = 'DCT_ORD_NUM, FLX_DIS_DTD, FLX_EMT_NUM, FLX_EMT_ORD, FLX_EMT_TYP, FLX_TRT_DTD, ORG_CLE_NUM, PRS_ORD_NUM, REM_TYP_AFF';
      const [j] = await s.query(`SELECT count(*) AS n, count(p.DCT_ORD_NUM) AS joined FROM ER_BIO_F b LEFT JOIN (SELECT DISTINCT ${keys} FROM ER_PRS_F) p USING (${keys})`);
      expect(Number(j!.joined)).toBe(Number(j!.n));
      const [k] = await s.query('SELECT count(*) AS n, count(DISTINCT (ETA_NUM, RSA_NUM)) AS d FROM T_MCOaaB');
      expect(Number(k!.d)).toBe(Number(k!.n));
    } finally {
      await s.close();
    }
  });
});
