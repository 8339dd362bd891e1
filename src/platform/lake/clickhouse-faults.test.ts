/**
 * Faults of the cluster, on a private 2-shard cluster (its own folder and ports: stopping a server
 * of the shared one would fail the files running meanwhile). A shard down fails the query with an
 * error naming the shard — never partial results; a load that cannot finish leaves the previous
 * release current.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUnderTest, privateCluster, type PrivateCluster } from '../../../test/support/clickhouse.js';
import { syntheticFileLake, syntheticRouting, type SyntheticFileLake } from '../../../test/support/cluster-lake.js';
import { ClickhouseEngine } from '../engine/clickhouse/engine.js';
import { ClickhouseError, ShardUnavailableError } from '../engine/clickhouse/errors.js';
import { quoteClickhouseIdent as id } from '../engine/clickhouse/sql.js';
import { DuckDbEngine } from '../engine/duckdb.js';
import { ClickhouseLake, type ClusterRelease } from './clickhouse-lake.js';

const shared = clickhouseUnderTest('the ClickHouse fault tests');

describe.runIf(shared)('faults of the ClickHouse cluster', () => {
  let cluster: PrivateCluster;
  let engine: ClickhouseEngine;
  let files: SyntheticFileLake;
  let lake: ClickhouseLake;
  let v1: ClusterRelease;

  beforeAll(async () => {
    cluster = await privateCluster(2, 18_300 + (process.pid % 50) * 30);
    engine = new ClickhouseEngine({ ...cluster.config, database: 'hdh_faults' });
    files = syntheticFileLake();
    lake = new ClickhouseLake({ engine, files: files.lake, duckdb: new DuckDbEngine(), workDir: path.join(files.dir, 'work') });
    const m = await files.generate(600, 3);
    v1 = await lake.load(m, syntheticRouting(m));
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
    files?.remove();
  });

  const countOf = async (sql: string) => {
    const s = await engine.open();
    try {
      return Number((await s.query(sql))[0]!.n);
    } finally {
      await s.close();
    }
  };
  const prs = () => v1.tables.find((t) => t.name === 'ER_PRS_F')!;

  it('a shard down: the query fails as a whole with an error naming the shard; back up, the full count returns', async () => {
    const full = await countOf(`SELECT count() AS n FROM ${prs().sql}`);
    expect(full).toBe(prs().rows);
    await cluster.stopNode(1);
    try {
      const failure = await countOf(`SELECT count() AS n FROM ${prs().sql}`).then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(ShardUnavailableError);
      const err = failure as ShardUnavailableError;
      expect(err.shard).toBe(2);
      expect(err.cluster).toBe('hdh');
      expect(err.message).toMatch(/shard 2 of cluster "hdh" \(127\.0\.0\.1:\d+\) is unavailable/);
      expect(err.message).toMatch(/no partial result/);
      // Even when a user profile would allow it, the hub's sessions send skip_unavailable_shards=0.
      const s = await engine.open();
      try {
        await expect(s.query(`SELECT count() AS n FROM ${prs().sql} SETTINGS skip_unavailable_shards = 0`)).rejects.toThrow(/shard 2/);
      } finally {
        await s.close();
      }
    } finally {
      await cluster.startNode(1);
    }
    expect(await countOf(`SELECT count() AS n FROM ${prs().sql}`)).toBe(full);
  });

  it('the entry node down: the error names that node', async () => {
    await cluster.stopNode(0);
    try {
      await expect(countOf('SELECT 1 AS n')).rejects.toThrow(/ClickHouse node of shard 1 \(http:\/\/127\.0\.0\.1:\d+\) is unavailable/);
    } finally {
      await cluster.startNode(0);
    }
  });

  it('a load with a shard down fails and leaves the previous release current; the retry completes it', async () => {
    const m2 = await files.generate(400, 4);
    let stopped = false;
    const failure = await lake
      .load(m2, syntheticRouting(m2), {
        onTable: async () => {
          // Midway through the load, shard 2's server goes away.
          if (!stopped) {
            stopped = true;
            await cluster.stopNode(1);
          }
        },
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    try {
      expect(failure).toBeInstanceOf(ClickhouseError);
      expect(String((failure as Error).message)).toMatch(/shard 2/);
      // The entry node still answers: the current release is the first one, whole in its views.
      const s = await engine.open();
      try {
        const current = await lake.current();
        expect(current.map((r) => r.version)).toEqual([v1.version]);
      } finally {
        await s.close();
      }
    } finally {
      await cluster.startNode(1);
    }
    expect(await countOf(`SELECT count() AS n FROM ${id(lake.viewsDatabase)}.ER_PRS_F`)).toBe(prs().rows);
    const retried = await lake.load(m2, syntheticRouting(m2));
    expect((await lake.current()).map((r) => r.version)).toEqual([m2.version]);
    expect(await countOf(`SELECT count() AS n FROM ${id(lake.viewsDatabase)}.ER_PRS_F`)).toBe(retried.tables.find((t) => t.name === 'ER_PRS_F')!.rows);
  }, 180_000);
});
