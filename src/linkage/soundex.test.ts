/** Soundex (blocking key): the textbook codes, and the DuckDB macro agrees with the TypeScript one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import type { EngineSession } from '../platform/engine/engine.js';
import { quoteLiteral } from '../platform/engine/engine.js';
import { soundex, SOUNDEX_MACRO_SQL } from './soundex.js';
import { femaleFirstNames, maleFirstNames, surnameEndings, surnameMiddles, surnameStarts } from './synthetic-names.js';

const textbook: [string, string][] = [
  ['ROBERT', 'R163'],
  ['RUPERT', 'R163'],
  ['RUBIN', 'R150'],
  ['ASHCRAFT', 'A261'],
  ['ASHCROFT', 'A261'],
  ['TYMCZAK', 'T522'],
  ['PFISTER', 'P236'],
  ['HONEYMAN', 'H555'],
  ['LEE', 'L000'],
  ['MARTIN', 'M635'],
  ['MARTAIN', 'M635'],
];

describe('soundex', () => {
  let session: EngineSession;
  beforeAll(async () => {
    session = await new DuckDbEngine().open({ threads: 1 });
    await session.run(SOUNDEX_MACRO_SQL);
  });
  afterAll(async () => session?.close());

  it('gives the textbook codes (H and W do not separate, the first letter’s digit is skipped)', () => {
    for (const [name, code] of textbook) expect(soundex(name), name).toBe(code);
    expect(soundex(null)).toBeNull();
    expect(soundex('---')).toBeNull();
  });

  it('the DuckDB macro gives the same codes as the TypeScript function on every synthetic name', async () => {
    const names = new Set(textbook.map(([n]) => n));
    const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '');
    for (const a of surnameStarts) for (const b of surnameMiddles) for (const c of surnameEndings) names.add(plain(a + b + c));
    for (const n of [...maleFirstNames, ...femaleFirstNames]) names.add(plain(n));
    const list = [...names];
    const rows = await session.query(`SELECT n, soundex(n) AS code FROM (VALUES ${list.map((n) => `(${quoteLiteral(n)})`).join(', ')}) t(n)`);
    expect(rows).toHaveLength(list.length);
    const mismatches = rows.filter((r) => r.code !== soundex(String(r.n)));
    expect(mismatches).toEqual([]);
    expect(list.length).toBeGreaterThan(5000);
  });
});
