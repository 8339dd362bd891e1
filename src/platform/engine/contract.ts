/**
 * The engine contract: what every `AnalyticsEngine` must do, as one test suite run against each
 * implementation (DuckDB always, ClickHouse when a cluster is given). Only the SQL that the two
 * dialects spell differently comes from the `ContractDialect`; the assertions are shared.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyticsEngine, EngineRow, EngineSession } from './engine.js';

export interface ContractDialect {
  /** Creates `name` with a nullable text column `s` and a nullable 32-bit integer column `n`. */
  createTable(name: string): string;
  /** How a table created by `createTable` is named in SQL and in `append()`. */
  table(name: string): string;
  dropTable(name: string): string;
  /** A string literal. */
  literal(value: string): string;
  /** A query returning column `i` = 0 … n-1, ordered by i. */
  numbers(n: number): string;
  /** A query that would run for minutes: only an interrupt stops it. */
  endless: string;
}

export interface ContractTarget {
  name: string;
  engine: () => AnalyticsEngine;
  dialect: ContractDialect;
}

/** Strings that break naive quoting: quotes, backslashes, control bytes, NUL, non-Latin text. */
export const NASTY_STRINGS = [
  "it's",
  "''",
  'back\\slash',
  '\\',
  "\\'",
  'tab\there',
  'line\nbreak\r\n',
  'nul\0byte',
  'bell\x07 del\x7f',
  'é è ç — ǅ',
  '日本語テキスト',
  '😀 emoji 👩‍⚕️',
  '%_* ? ` " ; --',
  '',
];

const jsonSafe = (rows: EngineRow[]) => expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);

export function engineContract(target: ContractTarget): void {
  describe(`engine contract: ${target.name}`, () => {
    const d = target.dialect;
    const withSession = async (fn: (s: EngineSession) => Promise<void>) => {
      const s = await target.engine().open({ memoryLimit: '1GB', threads: 1 });
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    };

    it('query returns plain JSON-safe values (numbers, text, null; counts exact)', () =>
      withSession(async (s) => {
        const rows = await s.query("SELECT 1 AS a, 'x' AS b, NULL AS c");
        expect(rows).toEqual([{ a: 1, b: 'x', c: null }]);
        const counted = await s.query(`SELECT count(*) AS n FROM (${d.numbers(1000)}) t`);
        jsonSafe(counted);
        expect(Number(counted[0]!.n)).toBe(1000);
      }));

    it('every string survives a literal in SQL text, byte for byte', () =>
      withSession(async (s) => {
        for (const value of NASTY_STRINGS) {
          const rows = await s.query(`SELECT ${d.literal(value)} AS v`);
          expect(rows[0]!.v, JSON.stringify(value)).toBe(value);
        }
      }));

    it('run creates and drops tables; append adds text rows (and nulls) without SQL text, in order', () =>
      withSession(async (s) => {
        const t = `contract_append_${Date.now()}`;
        await s.run(d.createTable(t));
        try {
          const rows: (string | null)[][] = NASTY_STRINGS.map((v, i) => [v, String(i)]);
          rows.push([null, null], ['42', '-7']);
          await s.append(d.table(t), rows);
          await s.append(d.table(t), []);
          const back = await s.query(`SELECT s, n FROM ${d.table(t)}`);
          jsonSafe(back);
          const sorted = [...back].sort((a, b) => (a.n === null ? 1 : b.n === null ? -1 : Number(a.n) - Number(b.n)));
          expect(sorted).toEqual([{ s: '42', n: -7 }, ...NASTY_STRINGS.map((v, i) => ({ s: v, n: i })), { s: null, n: null }]);
        } finally {
          await s.run(d.dropTable(t));
        }
      }));

    it('stream yields every row in order, in bounded batches', () =>
      withSession(async (s) => {
        let next = 0;
        let batches = 0;
        for await (const batch of s.stream(d.numbers(50_000))) {
          batches++;
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(20_000);
          for (const row of batch) expect(Number(row.i)).toBe(next++);
        }
        expect(next).toBe(50_000);
        expect(batches).toBeGreaterThan(1);
      }));

    it('a failed statement rejects with the engine message and leaves the session usable', () =>
      withSession(async (s) => {
        await expect(s.query('SELEKT 1')).rejects.toThrow(/syntax|SELEKT/i);
        await expect(s.query('SELECT * FROM contract_no_such_table')).rejects.toThrow(/contract_no_such_table/);
        expect(await s.query('SELECT 2 AS x')).toEqual([{ x: 2 }]);
      }));

    it('interrupt stops a running query with an interrupt error; the session then answers again', () =>
      withSession(async (s) => {
        const started = performance.now();
        const running = s.query(d.endless);
        setTimeout(() => s.interrupt(), 300);
        await expect(running).rejects.toThrow(/interrupt/i);
        // Generous: the point is "stopped", not "how fast" (speed belongs to benchmarks).
        expect(performance.now() - started).toBeLessThan(30_000);
        expect(await s.query('SELECT 3 AS x')).toEqual([{ x: 3 }]);
      }));

    it('interrupt with nothing running is harmless', () =>
      withSession(async (s) => {
        s.interrupt();
        expect(await s.query('SELECT 4 AS x')).toEqual([{ x: 4 }]);
      }));

    it('close is idempotent and a closed session refuses work', async () => {
      const s = await target.engine().open();
      await s.close();
      await s.close();
      await expect(s.query('SELECT 1 AS x')).rejects.toThrow();
    });
  });
}
