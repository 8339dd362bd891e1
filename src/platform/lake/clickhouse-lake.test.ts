/**
 * The lake on the ClickHouse cluster named by HDH_TEST_CLICKHOUSE_URL: a synthetic release loaded
 * person-sharded, its versions kept, the switch to a new version atomic (an interrupted load
 * leaves the previous one current).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUnderTest, dropTestDatabase, testDatabase } from '../../../test/support/clickhouse.js';
import { DCIR_KEYS, syntheticFileLake, syntheticRouting, type SyntheticFileLake } from '../../../test/support/cluster-lake.js';
import { ClickhouseEngine, type ClickhouseConfig } from '../engine/clickhouse/engine.js';
import { quoteClickhouseIdent as id } from '../engine/clickhouse/sql.js';
import { NASTY_STRINGS } from '../engine/contract.js';
import { DuckDbEngine } from '../engine/duckdb.js';
import { quoteLiteral } from '../engine/engine.js';
import { ClickhouseLake, clickhouseShardKey, type ClusterRelease, type TableRouting } from './clickhouse-lake.js';
import type { ReleaseManifest } from './lake.js';

const cluster = clickhouseUnderTest('the lake on ClickHouse');

describe.runIf(cluster)('lake on a ClickHouse cluster', () => {
  const config: ClickhouseConfig = { ...cluster!, database: testDatabase('lake') };
  const engine = new ClickhouseEngine(config);
  let files: SyntheticFileLake;
  let lake: ClickhouseLake;
  let v1: ReleaseManifest;
  let loaded: ClusterRelease;

  beforeAll(async () => {
    files = syntheticFileLake();
    lake = new ClickhouseLake({ engine, files: files.lake, duckdb: new DuckDbEngine(), workDir: path.join(files.dir, 'work') });
    v1 = await files.generate(1500, 1);
    loaded = await lake.load(v1, syntheticRouting(v1));
  }, 240_000);
  afterAll(async () => {
    await dropTestDatabase(config);
    files?.remove();
  });

  const count = async (sql: string) => {
    const s = await engine.open();
    try {
      return Number((await s.query(sql))[0]!.n);
    } finally {
      await s.close();
    }
  };

  it('loads every table of a release; the Distributed tables and the current views hold exactly its rows', async () => {
    expect((await lake.current()).map((r) => `${r.name}@${r.version}`)).toEqual([`${v1.name}@${v1.version}`]);
    expect(loaded.tables.map((t) => t.name)).toEqual(v1.tables.map((t) => t.name).sort());
    for (const t of v1.tables) {
      const table = loaded.tables.find((x) => x.name === t.name)!;
      expect(await count(`SELECT count() AS n FROM ${table.sql}`), t.name).toBe(t.rows);
      expect(await count(`SELECT count() AS n FROM ${id(lake.viewsDatabase)}.${id(t.name)}`), `view ${t.name}`).toBe(t.rows);
    }
    // Values survive: NULLs, dates as ISO text, booleans as 0/1.
    const s = await engine.open();
    try {
      const ben = loaded.tables.find((t) => t.name === 'IR_BEN_R')!;
      const [row] = await s.query(`SELECT countIf(BEN_DCD_DTE IS NULL) AS alive, min(BEN_DTE_INS) AS first, max(BEN_IDT_TOP) AS top FROM ${ben.sql}`);
      expect(Number(row!.alive)).toBeGreaterThan(0);
      expect(String(row!.first)).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect([0, 1]).toContain(Number(row!.top));
      expect(ben.columns.find((c) => c.name === 'BEN_IDT_TOP')!.type).toBe('BOOLEAN');
    } finally {
      await s.close();
    }
  });

  it('rows are sharded by person: each person on one shard, the Distributed key agrees with the loader, anchored rows sit with their anchor', async () => {
    const s = await engine.open();
    try {
      const prs = loaded.tables.find((t) => t.name === 'ER_PRS_F')!;
      const pha = loaded.tables.find((t) => t.name === 'ER_PHA_F')!;
      const mcoB = loaded.tables.find((t) => t.name === 'T_MCO19B')!;
      const mcoC = loaded.tables.find((t) => t.name === 'T_MCO19C')!;
      const ref = loaded.tables.find((t) => t.name === 'IR_PHA_R')!;
      const perShard: number[] = [];
      for (let node = 0; node < s.shards; node++) {
        perShard.push(Number((await s.queryOnNode(node, `SELECT count() AS n FROM ${prs.local}`))[0]!.n));
        // The ClickHouse expression of the Distributed table's key gives every local row this shard.
        expect(Number((await s.queryOnNode(node, `SELECT countIf(${clickhouseShardKey('BEN_NIR_PSA')} % ${s.shards} != ${node}) AS n FROM ${prs.local}`))[0]!.n)).toBe(0);
        // Every drug line whose claim exists has it on the same shard; stays likewise.
        const keys = DCIR_KEYS.map((k) => id(k)).join(', ');
        const orphans = Number((await s.queryOnNode(node, `SELECT count() AS n FROM ${pha.local} WHERE (${keys}) NOT IN (SELECT ${keys} FROM ${prs.local})`))[0]!.n);
        const everywhere = Number((await s.query(`SELECT count() AS n FROM ${pha.sql} WHERE (${keys}) NOT IN (SELECT ${keys} FROM ${prs.local})`))[0]!.n);
        expect(orphans, `node ${node}`).toBe(0);
        expect(everywhere).toBe(0);
        expect(Number((await s.queryOnNode(node, `SELECT count() AS n FROM ${mcoB.local} WHERE (ETA_NUM, RSA_NUM) NOT IN (SELECT ETA_NUM, RSA_NUM FROM ${mcoC.local})`))[0]!.n)).toBe(0);
        // Referentials are whole on every shard.
        expect(Number((await s.queryOnNode(node, `SELECT count() AS n FROM ${ref.local}`))[0]!.n)).toBe(v1.tables.find((t) => t.name === 'IR_PHA_R')!.rows);
      }
      if (s.shards > 1) for (const n of perShard) expect(n).toBeGreaterThan(0);
      // A person's claims are on one shard only.
      const split = await s.query(`SELECT BEN_NIR_PSA FROM ${prs.sql} GROUP BY BEN_NIR_PSA HAVING uniqExact(hostName(), ${clickhouseShardKey('BEN_NIR_PSA')} % ${s.shards}) > 1 LIMIT 1`);
      expect(split).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('every value survives the load: text with tabs, line breaks, backslashes, "\\N", NUL, quotes; NULL vs empty; numbers, dates, booleans', async () => {
    const draft = files.lake.beginRelease('nasty');
    const duck = await new DuckDbEngine().open();
    const values = [...NASTY_STRINGS, '\\N', 'x\x01y', ' lead and trail ', null];
    try {
      await duck.run('CREATE TABLE t (PERSON VARCHAR, S VARCHAR, N BIGINT, F DOUBLE, D DATE, TS TIMESTAMP, B BOOLEAN, DEC DECIMAL(12,3))');
      await duck.append(
        't',
        values.map((v, i) => [`p${i}`, v, i % 3 === 0 ? null : String(2 ** 40 + i), i % 4 === 0 ? null : String(i / 7), i % 5 === 0 ? null : `2019-0${(i % 9) + 1}-1${i % 10}`, `2020-01-02 03:04:0${i % 10}`, i % 2 ? 'true' : 'false', `${i}.125`]),
      );
      await duck.run(`COPY t TO ${quoteLiteral(path.join(draft.tableDir('T'), 'part-0.parquet'))} (FORMAT parquet)`);
    } finally {
      await duck.close();
    }
    const manifest = draft.publish({ synthetic: true, createdAt: new Date(), tables: [{ name: 'T', rowsByFile: { 'T/part-0.parquet': values.length } }] });
    for (const routing of [{ kind: 'person', column: 'PERSON' }, { kind: 'copy' }] as TableRouting[]) {
      const release = await lake.load(manifest, { T: routing }, { switchTo: false });
      const s = await engine.open();
      try {
        const rows = await s.query(`SELECT PERSON, S, N, F, D, TS, B, DEC FROM ${release.tables[0]!.sql} ORDER BY toUInt32(substring(PERSON, 2))`);
        expect(rows.map((r) => r.S)).toEqual(values);
        expect(rows.map((r) => (r.N === null ? null : Number(r.N) - 2 ** 40))).toEqual(values.map((_, i) => (i % 3 === 0 ? null : i)));
        expect(rows.map((r) => r.F)).toEqual(values.map((_, i) => (i % 4 === 0 ? null : i / 7)));
        expect(rows.map((r) => r.D)).toEqual(values.map((_, i) => (i % 5 === 0 ? null : `2019-0${(i % 9) + 1}-1${i % 10}`)));
        expect(rows.map((r) => r.TS)).toEqual(values.map((_, i) => `2020-01-02 03:04:0${i % 10}`));
        expect(rows.map((r) => r.B)).toEqual(values.map((_, i) => i % 2));
        expect(rows.map((r) => Number(r.DEC))).toEqual(values.map((_, i) => i + 0.125));
      } finally {
        await s.close();
      }
      // Not current (switchTo: false): it can be dropped, and loaded again with the other routing.
      await lake.drop(manifest.name, manifest.version);
    }
  });

  it('an interrupted load leaves the previous release current and visible; a full load then switches; versions are kept', async () => {
    const v2 = await files.generate(800, 2);
    const prsRows = (m: ReleaseManifest) => m.tables.find((t) => t.name === 'ER_PRS_F')!.rows;
    let loadedTables = 0;
    await expect(
      lake.load(v2, syntheticRouting(v2), {
        onTable: () => {
          if (++loadedTables === 3) throw new Error('crash in the middle of the load');
        },
      }),
    ).rejects.toThrow(/crash in the middle/);
    expect((await lake.current()).map((r) => r.version)).toEqual([v1.version]);
    expect(await count(`SELECT count() AS n FROM ${id(lake.viewsDatabase)}.ER_PRS_F`)).toBe(prsRows(v1));
    expect((await lake.releases()).some((r) => r.version === v2.version)).toBe(false);

    const second = await lake.load(v2, syntheticRouting(v2));
    expect((await lake.current()).map((r) => r.version)).toEqual([v2.version]);
    expect(await count(`SELECT count() AS n FROM ${id(lake.viewsDatabase)}.ER_PRS_F`)).toBe(prsRows(v2));
    expect(await count(`SELECT count() AS n FROM ${second.tables.find((t) => t.name === 'ER_PRS_F')!.sql}`)).toBe(prsRows(v2));
    // The previous version is kept, readable, and may be switched back to.
    const kept = (await lake.releases()).find((r) => r.version === v1.version)!;
    expect(kept.state).toBe('ready');
    expect(await count(`SELECT count() AS n FROM ${kept.tables.find((t) => t.name === 'ER_PRS_F')!.sql}`)).toBe(prsRows(v1));
    // Loading a loaded version again is a no-op that switches back.
    await lake.load(v1, syntheticRouting(v1));
    expect((await lake.current()).map((r) => r.version)).toEqual([v1.version]);
    expect(await count(`SELECT count() AS n FROM ${id(lake.viewsDatabase)}.ER_PRS_F`)).toBe(prsRows(v1));
    await expect(lake.drop(v1.name, v1.version)).rejects.toThrow(/is current/);
    await lake.drop(v2.name, v2.version);
    expect((await lake.releases()).find((r) => r.version === v2.version)?.state).toBe('dropped');
    await expect(count(`SELECT count() AS n FROM ${second.tables.find((t) => t.name === 'ER_PRS_F')!.sql}`)).rejects.toThrow(/doesn't exist/);
  }, 240_000);
});
