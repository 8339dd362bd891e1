/**
 * The engine contract (contract.ts) against DuckDB, always, and against the ClickHouse cluster
 * named by HDH_TEST_CLICKHOUSE_URL (required under CI=true; .ci/run starts it).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { clickhouseUnderTest, dropTestDatabase, testDatabase } from '../../../test/support/clickhouse.js';
import { ClickhouseEngine, type ClickhouseConfig } from './clickhouse/engine.js';
import { quoteClickhouseIdent, quoteClickhouseLiteral } from './clickhouse/sql.js';
import { engineContract } from './contract.js';
import { DuckDbEngine } from './duckdb.js';
import { quoteIdent, quoteLiteral } from './engine.js';

engineContract({
  name: 'DuckDB',
  engine: () => new DuckDbEngine(),
  dialect: {
    createTable: (t) => `CREATE TABLE ${quoteIdent(t)} (s VARCHAR, n INTEGER)`,
    table: (t) => t,
    dropTable: (t) => `DROP TABLE IF EXISTS ${quoteIdent(t)}`,
    literal: quoteLiteral,
    numbers: (n) => `SELECT range AS i FROM range(${n}) ORDER BY i`,
    endless: 'SELECT sum(hash(a.range * b.range)) AS x FROM range(1000000000) a, range(1000000) b',
  },
});

const cluster = clickhouseUnderTest('the ClickHouse engine contract');
if (cluster) {
  const config: ClickhouseConfig = { ...cluster, database: testDatabase('contract') };
  beforeAll(async () => {
    await dropTestDatabase(config);
  });
  afterAll(async () => {
    await dropTestDatabase(config);
  });
  const table = (t: string) => `${config.database}.${t}`;
  engineContract({
    name: `ClickHouse (${cluster.urls.length} node(s))`,
    engine: () => new ClickhouseEngine(config),
    dialect: {
      createTable: (t) => `CREATE TABLE ${quoteClickhouseIdent(config.database)}.${quoteClickhouseIdent(t)} (s Nullable(String), n Nullable(Int32)) ENGINE = MergeTree() ORDER BY tuple()`,
      table,
      dropTable: (t) => `DROP TABLE IF EXISTS ${quoteClickhouseIdent(config.database)}.${quoteClickhouseIdent(t)}`,
      literal: quoteClickhouseLiteral,
      numbers: (n) => `SELECT i FROM (SELECT number AS i FROM system.numbers LIMIT ${n}) ORDER BY i`,
      // Unbounded: only KILL QUERY ends it.
      endless: 'SELECT sum(cityHash64(number)) AS x FROM system.numbers',
    },
  });
} else {
  describe('engine contract: ClickHouse', () => {
    it.skip('needs HDH_TEST_CLICKHOUSE_URL (scripts/clickhouse-cluster.sh start)', () => undefined);
  });
}
