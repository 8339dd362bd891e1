import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { PseudonymKeyRing } from '../platform/crypto/pseudonym.js';
import { nirKey } from '../platform/identifiers/nir.js';
import type { LoadPlan } from './plan.js';
import { runPipeline, type LoadPolicy } from './pipeline.js';
import { sniffFile } from './sniff.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-pipeline-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const nir = (n13: string) => n13 + nirKey(n13);
const ring = new PseudonymKeyRing([{ id: 'test', version: 1, key: Buffer.alloc(32, 3).toString('base64') }], () => undefined);

const plan: LoadPlan = {
  table: 'T_PEOPLE',
  primaryKey: ['PERSON_NIR', 'RANK'],
  missingValues: ['NA'],
  columns: [
    { name: 'PERSON_NIR', kind: 'nir', type: 'string', format: null, duckType: 'VARCHAR', maxLength: 17, required: true, nomenclature: null },
    { name: 'RANK', kind: 'value', type: 'integer', format: null, duckType: 'INTEGER', maxLength: null, required: true, nomenclature: null },
    { name: 'LAST_NAME', kind: 'drop', type: 'string', format: null, duckType: 'VARCHAR', maxLength: null, required: false, nomenclature: null },
    { name: 'SEX', kind: 'value', type: 'integer', format: null, duckType: 'INTEGER', maxLength: null, required: false, nomenclature: { name: 'SEX_NOM', column: null } },
    { name: 'BIRTH', kind: 'value', type: 'date', format: null, duckType: 'DATE', maxLength: null, required: false, nomenclature: null },
    { name: 'CITY', kind: 'value', type: 'string', format: null, duckType: 'VARCHAR', maxLength: 5, required: false, nomenclature: null },
    { name: 'AMOUNT', kind: 'value', type: 'number', format: null, duckType: 'DOUBLE', maxLength: null, required: false, nomenclature: null },
  ],
};

async function load(name: string, content: string | Buffer, policy: LoadPolicy = 'reject') {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  const work = fs.mkdtempSync(path.join(dir, 'work-'));
  const out = path.join(work, 'out.parquet');
  const result = await runPipeline({
    file, format: sniffFile(file), plan, nomenclatures: new Map([['SEX_NOM', new Set(['1', '2', '9'])]]),
    pseudonymiser: () => ring.open('test', 'tester'), engine: new DuckDbEngine(), workDir: work, outputFile: out,
    quarantineFile: path.join(work, 'quarantine.parquet'), policy, dateRange: { from: '1900-01-01', to: '2030-12-31' },
  });
  return { ...result, out, work };
}

async function readParquet(file: string) {
  const s = await new DuckDbEngine().open();
  try {
    return await s.query(`SELECT * FROM read_parquet('${file}') ORDER BY RANK`);
  } finally {
    await s.close();
  }
}

describe('ingest pipeline', () => {
  const a = nir('1841275123456');
  const b = nir('2950533063001');

  it('DP-01: loads a clean file, pseudonymises the NIR (same NIR → same pseudonym), drops other direct identifiers, types the rest', async () => {
    const csv = `PERSON_NIR;RANK;LAST_NAME;SEX;BIRTH;CITY;AMOUNT\n${a};1;DUPONT;1;1984-12-03;75056;12,50\n${b};1;MARTIN;2;03/05/1995;33063;NA\n${a.replace(/(.{2})/g, '$1 ')};2;DUPONT;1;;75056;1.5\n`;
    const r = await load('clean.csv', csv);
    expect(r.accepted).toBe(true);
    expect(r.report).toMatchObject({ rowsRead: 3, rowsValid: 3, rowsRejected: 0, fileErrors: [], nir: { distinct: 2, invalid: 0 } });
    expect(r.report.format).toMatchObject({ kind: 'csv', delimiter: ';', encoding: 'utf-8' });
    expect(r.report.columns).toMatchObject({ dropped: ['LAST_NAME'], pseudonymised: ['PERSON_NIR'], missing: [], extra: [] });
    const rows = await readParquet(r.out);
    expect(Object.keys(rows[0]!)).toEqual(['PERSON_NIR', 'RANK', 'SEX', 'BIRTH', 'CITY', 'AMOUNT']);
    const [expectedA, expectedB] = (await ring.open('test', 'tester')).pseudonymise(['1841275123456', '2950533063001']);
    expect(rows.map((x) => x.PERSON_NIR)).toEqual(expect.arrayContaining([expectedA, expectedB]));
    expect(rows.filter((x) => x.PERSON_NIR === expectedA)).toHaveLength(2);
    expect(rows.find((x) => x.PERSON_NIR === expectedB)).toMatchObject({ BIRTH: '1995-05-03', AMOUNT: null, SEX: 2 });
    expect(rows.find((x) => x.RANK === 1 && x.PERSON_NIR === expectedA)).toMatchObject({ AMOUNT: 12.5, BIRTH: '1984-12-03' });
    const bytes = fs.readFileSync(r.out);
    for (const raw of [a, b, '1841275123456', 'DUPONT', 'MARTIN']) expect(bytes.includes(Buffer.from(raw))).toBe(false);
  });

  it('reports every broken rule with its row, line and column, masks NIRs, and rejects the file under the reject policy', async () => {
    const badKey = `1841275123456${nirKey('1841275123456') === '01' ? '02' : '01'}`;
    const csv = [
      'PERSON_NIR;RANK;LAST_NAME;SEX;BIRTH;CITY;AMOUNT',
      `${a};1;X;1;1984-12-03;75056;1`,
      `${badKey};1;X;1;1984-12-03;75056;1`,
      `${b};x;X;3;1850-01-01;7505600;abc`,
      `${a};1;X;1;1984-12-03;75056;1`,
      `;2;X;1;1984-12-03;75056;1`,
      `12345;3;X;1;1984-12-03;75056;1`,
    ].join('\n');
    const r = await load('bad.csv', csv);
    expect(r.accepted).toBe(false);
    expect(fs.existsSync(r.out)).toBe(false);
    expect(r.report.rowsRead).toBe(6);
    expect(r.report.rowsValid).toBe(1);
    const rules = Object.fromEntries(r.report.rules.map((x) => [`${x.rule}:${x.column}`, x.count]));
    expect(rules).toMatchObject({
      'nir_key:PERSON_NIR': 1, 'nir_length:PERSON_NIR': 1, 'required:PERSON_NIR': 1, 'type:RANK': 1,
      'nomenclature:SEX': 1, 'date_range:BIRTH': 1, 'length:CITY': 1, 'type:AMOUNT': 1, 'primary_key:PERSON_NIR, RANK': 1,
    });
    const third = r.report.samples.find((s) => s.row === 3)!;
    expect(third.line).toBe(4);
    expect(third.problems).toEqual(expect.arrayContaining([
      { rule: 'type', column: 'RANK', value: 'x' },
      { rule: 'nomenclature', column: 'SEX', value: '3' },
      { rule: 'length', column: 'CITY', value: '7505600' },
    ]));
    const second = r.report.samples.find((s) => s.row === 2)!;
    expect(second.problems).toEqual([{ rule: 'nir_key', column: 'PERSON_NIR', value: '•'.repeat(15) }]);
    expect(JSON.stringify(r.report)).not.toContain('1841275123456');
    expect(r.report.samples.find((s) => s.row === 4)!.problems).toEqual([{ rule: 'primary_key', column: 'PERSON_NIR, RANK', value: null }]);
  });

  it('quarantine policy: publishes the valid rows and writes the rejected ones, NIRs masked, aside', async () => {
    const csv = `PERSON_NIR,RANK,SEX\n${a},1,1\n${b},1,5\n`;
    const r = await load('mixed.csv', csv, 'quarantine');
    expect(r.accepted).toBe(true);
    expect(r.report.format).toMatchObject({ delimiter: ',' });
    expect(r.report.columns.missing).toEqual(['LAST_NAME', 'BIRTH', 'CITY', 'AMOUNT']);
    expect(await readParquet(r.out)).toHaveLength(1);
    const q = fs.readFileSync(path.join(r.work, 'quarantine.parquet'));
    expect(q.includes(Buffer.from(b))).toBe(false);
    const s = await new DuckDbEngine().open();
    const rows = await s.query(`SELECT record, problems FROM read_parquet('${path.join(r.work, 'quarantine.parquet')}')`);
    await s.close();
    expect(rows).toEqual([{ record: '2', problems: ['nomenclature:SEX'] }]);
  });

  it('a required column missing from the header is a file error; nothing is read', async () => {
    const r = await load('nocol.csv', `SEX;CITY\n1;75056\n`);
    expect(r.accepted).toBe(false);
    expect(r.report.fileErrors).toEqual([
      { code: 'missing_column', column: 'PERSON_NIR', message: 'required column PERSON_NIR is not in the file' },
      { code: 'missing_column', column: 'RANK', message: 'required column RANK is not in the file' },
    ]);
  });

  it('reads Latin-1 text and a malformed line is a located structural error', async () => {
    const latin = Buffer.from(`PERSON_NIR;RANK;CITY\n${a};1;Évry\n${b};1;x;extra;fields\n`, 'latin1');
    const r = await load('latin.csv', latin, 'quarantine');
    expect(r.report.format).toMatchObject({ encoding: 'latin-1' });
    expect(r.report.rules).toEqual(expect.arrayContaining([{ rule: 'structure', column: null, count: 1 }]));
    expect(r.report.samples).toEqual(expect.arrayContaining([expect.objectContaining({ line: 3, problems: [expect.objectContaining({ rule: 'structure' })] })]));
    const rows = await readParquet(r.out);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.CITY).toBe('Évry');
  });

  it('reads Parquet input', async () => {
    const file = path.join(dir, 'in.parquet');
    const s = await new DuckDbEngine().open();
    await s.run(`COPY (SELECT '${a}' AS PERSON_NIR, 1 AS RANK, DATE '1984-12-03' AS BIRTH) TO '${file}' (FORMAT parquet)`);
    await s.close();
    const r = await load('in.parquet', fs.readFileSync(file));
    expect(r.report.format).toEqual({ kind: 'parquet' });
    expect(r.accepted).toBe(true);
    expect((await readParquet(r.out))[0]).toMatchObject({ RANK: 1, BIRTH: '1984-12-03' });
  });
});
