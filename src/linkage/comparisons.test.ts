/**
 * Comparison levels evaluated by DuckDB on hand-made pairs (names, dates, sex, commune), and the
 * blocking rules producing each pair once. The SQL is the pipeline's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import type { EngineSession } from '../platform/engine/engine.js';
import { blockedPairSelects, comparisons, decodePattern, encodePattern, pairProjectionSql, patternSql, rulesMaskSql, touchedBy, type BlockingRuleKey } from './comparisons.js';

interface Side {
  ln: string | null;
  fn: string | null;
  sex: 1 | 2 | null;
  birth: [number, number, number] | null;
  commune: string | null;
  sdx?: string | null;
}

const base: Side = { ln: 'DUPONTEL', fn: 'MARIE', sex: 2, birth: [1980, 5, 17], commune: '75056' };

/** The level keys of one pair, by comparison. */
async function levelsOf(session: EngineSession, s: Side, r: Side): Promise<Record<string, string>> {
  const row = (alias: string, x: Side, extra: string) =>
    `SELECT 0 AS row, ${q(x.ln)} AS ln, ${q(x.fn)} AS fn, ${x.sex ?? 'NULL'}::TINYINT AS sex, ${x.birth?.[0] ?? 'NULL'}::INTEGER AS by, ${x.birth?.[1] ?? 'NULL'}::INTEGER AS bm, ${x.birth?.[2] ?? 'NULL'}::INTEGER AS bd, ${q(x.commune)} AS commune, ${x.commune ? q(x.commune.startsWith('97') ? x.commune.slice(0, 3) : x.commune.slice(0, 2)) : 'NULL'} AS dep${extra} ${alias}`;
  await session.run(`CREATE OR REPLACE TABLE src AS ${row('', s, '')}`);
  await session.run(`CREATE OR REPLACE TABLE ref AS ${row('', r, ', 0.0::FLOAT AS tfa')}`);
  const [result] = await session.query(`SELECT (${patternSql()})::INTEGER AS pattern FROM (SELECT ${pairProjectionSql()} FROM src s CROSS JOIN ref r)`);
  const levels = decodePattern(Number(result!.pattern));
  return Object.fromEntries(comparisons.map((c, i) => [c.key, c.levels[levels[i]!]!.key]));
}

function q(v: string | null): string {
  return v === null ? 'NULL::VARCHAR' : `'${v.replace(/'/g, "''")}'`;
}

describe('comparison levels', () => {
  let session: EngineSession;
  beforeAll(async () => {
    session = await new DuckDbEngine().open({ threads: 1 });
  });
  afterAll(async () => session?.close());

  it('packs and unpacks level patterns', () => {
    const levels = [5, 0, 3, 2, 1];
    expect(decodePattern(encodePattern(levels))).toEqual(levels);
  });

  it('identical records agree exactly everywhere', async () => {
    expect(await levelsOf(session, base, base)).toEqual({ last_name: 'exact', first_name: 'exact', birth_date: 'exact', sex: 'exact', commune: 'exact' });
  });

  it('names: Jaro–Winkler ≥ 0.92, ≥ 0.80, else; null when either side lacks it', async () => {
    expect((await levelsOf(session, { ...base, ln: 'DUPONTELL' }, base)).last_name).toBe('jw_0.92');
    expect((await levelsOf(session, { ...base, ln: 'DUPENTAL' }, base)).last_name).toBe('jw_0.8');
    expect((await levelsOf(session, { ...base, ln: 'GARCIA' }, base)).last_name).toBe('else');
    expect((await levelsOf(session, { ...base, ln: null }, base)).last_name).toBe('null');
    expect((await levelsOf(session, base, { ...base, fn: null })).first_name).toBe('null');
    expect((await levelsOf(session, { ...base, fn: 'MARIEE' }, base)).first_name).toBe('jw_0.92');
  });

  it('first and last names swapped: one "reversed" level on the last name, the first name says nothing', async () => {
    const levels = await levelsOf(session, { ...base, ln: 'MARIE', fn: 'DUPONTEL' }, base);
    expect(levels.last_name).toBe('reversed');
    expect(levels.first_name).toBe('null');
  });

  it('birth date: exact, day/month swapped, one component differs, else; null when missing', async () => {
    expect((await levelsOf(session, { ...base, birth: [1980, 5, 7] }, { ...base, birth: [1980, 7, 5] })).birth_date).toBe('day_month_swapped');
    expect((await levelsOf(session, { ...base, birth: [1981, 5, 17] }, base)).birth_date).toBe('one_component_differs');
    expect((await levelsOf(session, { ...base, birth: [1980, 5, 18] }, base)).birth_date).toBe('one_component_differs');
    expect((await levelsOf(session, { ...base, birth: [1982, 6, 17] }, base)).birth_date).toBe('else');
    expect((await levelsOf(session, { ...base, birth: null }, base)).birth_date).toBe('null');
  });

  it('sex and commune: exact, same département (Corsica and overseas included), else, null', async () => {
    expect((await levelsOf(session, { ...base, sex: 1 }, base)).sex).toBe('else');
    expect((await levelsOf(session, { ...base, sex: null }, base)).sex).toBe('null');
    expect((await levelsOf(session, { ...base, commune: '75112' }, base)).commune).toBe('same_departement');
    expect((await levelsOf(session, { ...base, commune: '2A004' }, { ...base, commune: '2A247' })).commune).toBe('same_departement');
    expect((await levelsOf(session, { ...base, commune: '97411' }, { ...base, commune: '97209' })).commune).toBe('else');
    expect((await levelsOf(session, { ...base, commune: '13055' }, base)).commune).toBe('else');
    expect((await levelsOf(session, { ...base, commune: null }, base)).commune).toBe('null');
  });

  it('blocking: a pair satisfying several rules is produced once, with every rule it satisfies in its mask', async () => {
    const rules: BlockingRuleKey[] = ['birth_date', 'last_name_first_name', 'commune_sex_birth_year'];
    const people = (rows: string[]) => rows.map((r, i) => `SELECT ${i} AS row, ${r}`).join(' UNION ALL ');
    const cols = (ln: string, fn: string, by: number, bm: number, bd: number, commune: string) => `'${ln}' AS ln, '${fn}' AS fn, 1::TINYINT AS sex, ${by} AS by, ${bm} AS bm, ${bd} AS bd, '${commune}' AS commune, '${commune.slice(0, 2)}' AS dep, NULL::VARCHAR AS sdx, 0::FLOAT AS tfa`;
    await session.run(`CREATE OR REPLACE TABLE src AS ${people([cols('MARTIN', 'JEAN', 1950, 1, 2, '75056'), cols('DURAND', 'PAUL', 1960, 3, 4, '13055')])}`);
    await session.run(
      `CREATE OR REPLACE TABLE ref AS ${people([cols('MARTIN', 'JEAN', 1950, 1, 2, '75056'), cols('DURAND', 'PAUL', 1961, 3, 4, '69123'), cols('BERNARD', 'LUC', 1960, 3, 4, '13055'), cols('PETIT', 'ANNE', 1970, 1, 1, '33063')])}`,
    );
    const selects = blockedPairSelects(rules, (_rule, i) => `SELECT s.row AS s_row, r.row AS r_row, (${rulesMaskSql(rules, i)})::INTEGER AS rules`);
    const pairs = await session.query(`SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY s_row, r_row`);
    expect(pairs).toEqual([
      { s_row: 0, r_row: 0, rules: 0b111 },
      { s_row: 1, r_row: 1, rules: 0b010 },
      { s_row: 1, r_row: 2, rules: 0b101 },
    ]);
  });

  it('each rule names the comparisons it blocks on (they sit out of its EM session)', () => {
    const keys = (rule: BlockingRuleKey) => comparisons.filter((_, i) => touchedBy(rule)[i]).map((c) => c.key);
    expect(keys('birth_date')).toEqual(['birth_date']);
    expect(keys('last_name_soundex_birth_year')).toEqual(['last_name', 'birth_date']);
    expect(keys('commune_sex_birth_year')).toEqual(['birth_date', 'sex', 'commune']);
    expect(keys('last_name_first_name')).toEqual(['last_name', 'first_name']);
  });
});
