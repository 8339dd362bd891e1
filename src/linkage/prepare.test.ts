/**
 * Reading the two files of a probabilistic run: NIRs checked and pseudonymised once per distinct
 * value, invalid ones counted by problem and left out; traits normalised; other column names;
 * Parquet as well as CSV; and a malformed file reported by line without quoting it (DP-01).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import type { EngineSession } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import { nirKey } from '../platform/identifiers/nir.js';
import { DEFAULT_REFERENCE_COLUMNS, DEFAULT_SOURCE_COLUMNS, prepareInputs, type InputFile, type PseudonymiseFn } from './prepare.js';

const engine = new DuckDbEngine();
const nir = (nir13: string) => nir13 + nirKey(nir13);
const valid = [nir('1850575056001'), nir('2900213055002'), nir('1751220004003')];
let dir: string;
let session: EngineSession;
const seen: string[][] = [];
const pseudonymise: PseudonymiseFn = (values) => {
  seen.push([...values]);
  return values.map((v) => `p-${v.split('').reverse().join('')}`);
};

function write(name: string, lines: string[]): InputFile {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { path: file, format: 'csv', label: name };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-prepare-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('preparing the inputs of a probabilistic run', () => {
  beforeAll(async () => {
    session = await engine.open({ threads: 1 });
  });
  afterAll(async () => session?.close());

  it('DP-01: checks each distinct NIR once, pseudonymises the valid ones, counts the others by problem, drops the NIR column', async () => {
    const badKey = valid[0]!.slice(0, 13) + String((Number(valid[0]!.slice(13)) % 97) + 1).padStart(2, '0');
    const reference = write('ref.csv', [
      'NIR_BEN;NOM;PRENOM;SEXE;DATE_NAIS;COMMUNE',
      `${valid[0]};Dupontel;Jean-Pierre;1;1985-05-17;75056`,
      `${valid[0]!.replace(/^(.)(..)/, '$1 $2 ')};DUPONTEL;JEAN PIERRE;H;17/05/1985;75056`,
      `${valid[1]};Lefèvre;Élodie;F;19900213;13055`,
      `${valid[2]};Garçon;Luc;2;1975-13-40;2A004`,
      `${badKey};X;Y;1;1980-01-01;75056`,
      `12345;X;Y;1;1980-01-01;75056`,
      `;X;Y;1;1980-01-01;75056`,
    ]);
    const source = write('src.csv', ['NUM;NOM;PRENOM;SEXE;DATE_NAIS;COMMUNE', 'A1;dupontel;jean pierre;M;17/05/1985;75056']);
    seen.length = 0;
    const prepared = await prepareInputs(session, {
      reference,
      source,
      referenceColumns: { nir: 'NIR_BEN', lastName: 'NOM', firstName: 'PRENOM', sex: 'SEXE', birthDate: 'DATE_NAIS', commune: 'COMMUNE' },
      sourceColumns: { id: 'NUM', lastName: 'NOM', firstName: 'PRENOM', sex: 'SEXE', birthDate: 'DATE_NAIS', commune: 'COMMUNE' },
      pseudonymise,
      termFrequency: true,
    });
    expect(prepared).toMatchObject({ referenceRows: 7, referenceRowsUsed: 4, referencePersons: 3, sourceRecords: 1, nirExcluded: { missing: 1, length: 1, characters: 0, key: 1 } });
    // "1 85 05…" and "18505…" are one NIR: pseudonymised once, one person.
    expect(seen.flat().sort()).toEqual(valid.map((v) => v.slice(0, 13)).sort());
    const ref = await session.query('SELECT p.pseudonym, r.ln, r.fn, r.sex, r.by, r.bm, r.bd, r.commune, r.dep FROM ref r JOIN persons p USING (p_id) ORDER BY r.row');
    expect(ref).toEqual([
      { pseudonym: `p-${valid[0]!.slice(0, 13).split('').reverse().join('')}`, ln: 'DUPONTEL', fn: 'JEAN PIERRE', sex: 1, by: 1985, bm: 5, bd: 17, commune: '75056', dep: '75' },
      { pseudonym: `p-${valid[0]!.slice(0, 13).split('').reverse().join('')}`, ln: 'DUPONTEL', fn: 'JEAN PIERRE', sex: 1, by: 1985, bm: 5, bd: 17, commune: '75056', dep: '75' },
      { pseudonym: `p-${valid[1]!.slice(0, 13).split('').reverse().join('')}`, ln: 'LEFEVRE', fn: 'ELODIE', sex: 2, by: 1990, bm: 2, bd: 13, commune: '13055', dep: '13' },
      // An impossible date is no date; Corsica keeps its letters.
      { pseudonym: `p-${valid[2]!.slice(0, 13).split('').reverse().join('')}`, ln: 'GARCON', fn: 'LUC', sex: 2, by: null, bm: null, bd: null, commune: '2A004', dep: '2A' },
    ]);
    const tables = (await session.query('SELECT table_name FROM duckdb_tables()')).map((r) => String(r.table_name)).sort();
    expect(tables).toEqual(['persons', 'ref', 'src']);
    const columns = (await session.query(`SELECT column_name FROM duckdb_columns() WHERE table_name IN ('ref', 'src', 'persons')`)).map((r) => String(r.column_name));
    expect(columns.some((c) => /nir/i.test(c))).toBe(false);
  });

  it('reads Parquet files too', async () => {
    const s = await engine.open({ threads: 1 });
    try {
      const refCsv = write('r.csv', ['nir,last_name,first_name,sex,birth_date,commune', `${valid[0]},Martin,Paul,1,1950-01-02,75056`]);
      const srcCsv = write('s.csv', ['id,last_name,first_name,sex,birth_date,commune', 'X1,Martin,Paul,M,02/01/1950,75056']);
      await s.run(`COPY (SELECT * FROM read_csv('${refCsv.path}', all_varchar = true)) TO '${path.join(dir, 'r.parquet')}' (FORMAT parquet)`);
      await s.run(`COPY (SELECT * FROM read_csv('${srcCsv.path}', all_varchar = true)) TO '${path.join(dir, 's.parquet')}' (FORMAT parquet)`);
      const prepared = await prepareInputs(s, {
        reference: { path: path.join(dir, 'r.parquet'), format: 'parquet', label: 'r.parquet' },
        source: { path: path.join(dir, 's.parquet'), format: 'parquet', label: 's.parquet' },
        referenceColumns: DEFAULT_REFERENCE_COLUMNS,
        sourceColumns: DEFAULT_SOURCE_COLUMNS,
        pseudonymise,
        termFrequency: false,
      });
      expect(prepared).toMatchObject({ referencePersons: 1, sourceRecords: 1 });
      expect(await s.query('SELECT rid, ln, "by", bm, bd FROM src')).toEqual([{ rid: 'X1', ln: 'MARTIN', by: 1950, bm: 1, bd: 2 }]);
    } finally {
      await s.close();
    }
  });

  it('DP-01: a malformed line far into a file is reported by its line number, without quoting it', async () => {
    const s = await engine.open({ threads: 1 });
    try {
      const lines = ['id;last_name;first_name;sex;birth_date;commune'];
      for (let i = 0; i < 25_000; i++) lines.push(`R${i};Martin;Jean;M;01/02/1990;75056`);
      lines.push('R99999;Zorglubette;Anne;F;03/04/1980;13055;extra');
      const source = write('long.csv', lines);
      const reference = write('ref1.csv', ['nir;last_name;first_name;sex;birth_date;commune', `${valid[0]};Martin;Jean;1;1990-02-01;75056`]);
      const error = await prepareInputs(s, { reference, source, referenceColumns: DEFAULT_REFERENCE_COLUMNS, sourceColumns: DEFAULT_SOURCE_COLUMNS, pseudonymise, termFrequency: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HdhError);
      const e = error as HdhError;
      expect(e.code).toBe('linkage.file_unreadable');
      const said = JSON.stringify({ message: e.message, params: e.params, details: e.details });
      expect(said).toContain('line 25002');
      expect(said).not.toContain('Zorglubette');
      expect(said).not.toContain('03/04/1980');
    } finally {
      await s.close();
    }
  });
});
