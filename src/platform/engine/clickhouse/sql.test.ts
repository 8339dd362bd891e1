/**
 * The one escaping function (every value the hub writes into ClickHouse SQL goes through it), the
 * TSV rows of `append`, the JSONCompact reader and the error texts: pure tests, then the same
 * values through a live server when HDH_TEST_CLICKHOUSE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUnderTest, dropTestDatabase, testDatabase } from '../../../../test/support/clickhouse.js';
import { NASTY_STRINGS } from '../contract.js';
import { ClickhouseEngine, parseByteSize, type ClickhouseConfig } from './engine.js';
import { addressesIn, parseServerError } from './errors.js';
import { readJsonCompact, TruncatedResultError } from './json-compact.js';
import { quoteClickhouseIdent, quoteClickhouseLiteral, quoteClickhouseTable, tsvRow } from './sql.js';

// eslint-disable-next-line no-control-regex -- control bytes are what the escaping must remove
const CONTROL = /[\x00-\x1f\x7f]/;

describe('quoteClickhouseLiteral', () => {
  it('escapes quotes, backslashes and control bytes; keeps Unicode as is', () => {
    expect(quoteClickhouseLiteral("it's")).toBe("'it\\'s'");
    expect(quoteClickhouseLiteral('a\\b')).toBe("'a\\\\b'");
    expect(quoteClickhouseLiteral("\\'")).toBe("'\\\\\\''");
    expect(quoteClickhouseLiteral('x\0y\n\t\r\b\f')).toBe("'x\\0y\\n\\t\\r\\b\\f'");
    expect(quoteClickhouseLiteral('\x07\x1f\x7f')).toBe("'\\x07\\x1f\\x7f'");
    expect(quoteClickhouseLiteral('é 日本 😀')).toBe("'é 日本 😀'");
    expect(quoteClickhouseLiteral('')).toBe("''");
  });

  it('writes numbers, booleans and NULL; refuses what has no literal', () => {
    expect(quoteClickhouseLiteral(42)).toBe('42');
    expect(quoteClickhouseLiteral(-1.5)).toBe('-1.5');
    expect(quoteClickhouseLiteral(2n ** 64n - 1n)).toBe('18446744073709551615');
    expect(quoteClickhouseLiteral(true)).toBe('1');
    expect(quoteClickhouseLiteral(null)).toBe('NULL');
    expect(quoteClickhouseLiteral(undefined)).toBe('NULL');
    expect(() => quoteClickhouseLiteral(Number.NaN)).toThrow(/NaN/);
    expect(() => quoteClickhouseLiteral(Infinity)).toThrow();
    expect(() => quoteClickhouseLiteral('lone \uD800 surrogate')).toThrow(/well-formed/);
  });

  it('never lets a value end the literal: no unescaped quote survives', () => {
    for (const v of NASTY_STRINGS) {
      const inner = quoteClickhouseLiteral(v).slice(1, -1);
      // Every quote inside is preceded by an odd number of backslashes.
      for (const m of inner.matchAll(/(\\*)'/g)) expect(m[1]!.length % 2, JSON.stringify(v)).toBe(1);
      expect(inner).not.toMatch(CONTROL);
    }
  });
});

describe('quoteClickhouseIdent', () => {
  it('back-quotes names and escapes back quotes and backslashes', () => {
    expect(quoteClickhouseIdent('ER_PRS_F')).toBe('`ER_PRS_F`');
    expect(quoteClickhouseIdent('a`b')).toBe('`a\\`b`');
    expect(quoteClickhouseIdent('a\\b')).toBe('`a\\\\b`');
    expect(quoteClickhouseTable('T', 'db')).toBe('`db`.`T`');
  });
  it('refuses empty names and control characters', () => {
    expect(() => quoteClickhouseIdent('')).toThrow(/empty/);
    expect(() => quoteClickhouseIdent('a\0b')).toThrow(/control/);
    expect(() => quoteClickhouseIdent('a\nb')).toThrow(/control/);
  });
});

describe('tsvRow', () => {
  it('writes \\N for NULL and escapes tabs, newlines, backslashes, NUL', () => {
    expect(tsvRow(['a', null, ''])).toBe('a\t\\N\t\n');
    expect(tsvRow(['t\tn\nb\\z\0'])).toBe('t\\tn\\nb\\\\z\\0\n');
    expect(tsvRow(["quote ' stays"])).toBe("quote ' stays\n");
  });
});

describe('parseByteSize', () => {
  it('reads the memory sizes of session options', () => {
    expect(parseByteSize('2GB')).toBe(2e9);
    expect(parseByteSize('512 MiB')).toBe(512 * 2 ** 20);
    expect(() => parseByteSize('lots')).toThrow();
  });
});

describe('ClickHouse error texts', () => {
  it('finds the code, the message and the address of an unreachable shard', () => {
    const text =
      'Code: 279, e.displayText() = DB::NetException: All connection tries failed. Log: \n\nCode: 210, e.displayText() = DB::NetException: Connection refused (127.0.0.1:18134), e.what() = DB::NetException\n\n, e.what() = DB::NetException\n';
    const parsed = parseServerError(text);
    expect(parsed.code).toBe(279);
    expect(parsed.message).toMatch(/^DB::NetException: All connection tries failed/);
    expect(addressesIn(text)).toEqual(['127.0.0.1:18134']);
    expect(addressesIn('There is no table t on server: 10.0.0.2:9000')).toEqual(['10.0.0.2:9000']);
  });
});

async function collect(parts: string[]) {
  const rows: unknown[] = [];
  const gen = readJsonCompact(
    (async function* () {
      for (const p of parts) yield new TextEncoder().encode(p);
    })(),
    2,
  );
  for await (const batch of gen) rows.push(...batch);
  return rows;
}

const DOC = '{\n\t"meta":\n\t[\n\t\t{\n\t\t\t"name": "a",\n\t\t\t"type": "UInt8"\n\t\t},\n\t\t{\n\t\t\t"name": "s",\n\t\t\t"type": "Nullable(String)"\n\t\t}\n\t],\n\n\t"data":\n\t[\n\t\t[1, "x\\ty"],\n\t\t[2, null],\n\t\t[3, "é"]\n\t],\n\n\t"rows": 3,\n\n\t"statistics":\n\t{\n\t\t"elapsed": 0.0001,\n\t\t"rows_read": 3,\n\t\t"bytes_read": 3\n\t}\n}\n';

describe('readJsonCompact', () => {
  it('reads rows as objects, whatever the chunking', async () => {
    const expected = [{ a: 1, s: 'x\ty' }, { a: 2, s: null }, { a: 3, s: 'é' }];
    expect(await collect([DOC])).toEqual(expected);
    // Split inside a line and inside the two bytes of "é".
    const bytes = new TextEncoder().encode(DOC);
    const at = bytes.indexOf(0xc3) + 1;
    const gen = readJsonCompact(
      (async function* () {
        yield bytes.subarray(0, 37);
        yield bytes.subarray(37, at);
        yield bytes.subarray(at);
      })(),
    );
    const rows: unknown[] = [];
    for await (const b of gen) rows.push(...b);
    expect(rows).toEqual(expected);
  });

  it('fails when the server appended an error after the first rows (HTTP 200 already sent)', async () => {
    const cut = DOC.indexOf('\t\t[3');
    const broken = `${DOC.slice(0, cut)}Code: 394, e.displayText() = DB::Exception: Query was cancelled., e.what() = DB::Exception\n`;
    await expect(collect([broken])).rejects.toThrow(TruncatedResultError);
    await expect(collect([broken])).rejects.toThrow(/Query was cancelled/);
    // Appended right after the last row line, before the closing bracket.
    const late = DOC.replace('\t],\n\n\t"rows"', 'Code: 210, e.displayText() = DB::NetException: Connection refused (127.0.0.1:9000), e.what() = DB::NetException\n');
    await expect(collect([late])).rejects.toThrow(/Connection refused/);
  });

  it('fails on a body cut short, and on a row count that does not match the trailer', async () => {
    await expect(collect([DOC.slice(0, DOC.indexOf('"rows"'))])).rejects.toThrow(TruncatedResultError);
    await expect(collect([DOC.replace('"rows": 3', '"rows": 4')])).rejects.toThrow(TruncatedResultError);
  });

  it('reads an empty body (DDL, INSERT … SELECT) as no rows', async () => {
    expect(await collect([])).toEqual([]);
  });
});

const cluster = clickhouseUnderTest('ClickHouse escaping against a live server');
describe.runIf(cluster)('against a live server', () => {
  const config: ClickhouseConfig = { ...cluster!, database: testDatabase('sql') };
  beforeAll(() => dropTestDatabase(config));
  afterAll(() => dropTestDatabase(config));

  it('every nasty string comes back unchanged from a literal and as a column name', async () => {
    const s = await new ClickhouseEngine(config).open();
    try {
      for (const v of NASTY_STRINGS) {
        const [row] = await s.query(`SELECT ${quoteClickhouseLiteral(v)} AS v, length(${quoteClickhouseLiteral(v)}) AS n`);
        expect(row!.v, JSON.stringify(v)).toBe(v);
        expect(Number(row!.n)).toBe(Buffer.byteLength(v));
        if (v && !CONTROL.test(v)) {
          const [named] = await s.query(`SELECT 1 AS ${quoteClickhouseIdent(v)}`);
          expect(Object.keys(named!)).toEqual([v]);
        }
      }
    } finally {
      await s.close();
    }
  });

  it('DDL reaches every node of the cluster', async () => {
    const s = await new ClickhouseEngine(config).open();
    try {
      await s.ddl((on) => `CREATE TABLE IF NOT EXISTS ${quoteClickhouseTable('everywhere', config.database)}${on} (x UInt8) ENGINE = Memory`);
      for (let node = 0; node < s.shards; node++) {
        const rows = await s.queryOnNode(node, `SELECT count() AS n FROM system.tables WHERE database = ${quoteClickhouseLiteral(config.database)} AND name = 'everywhere'`);
        expect(Number(rows[0]!.n), `node ${node}`).toBe(1);
      }
    } finally {
      await s.close();
    }
  });
});
