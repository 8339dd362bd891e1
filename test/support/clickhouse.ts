/**
 * ClickHouse for tests. HDH_TEST_CLICKHOUSE_URL names the cluster's nodes (comma-separated, one
 * per shard, first = entry; `user:password@` in the URL, else hdh/hdh as scripts/clickhouse-cluster.sh
 * sets up). Unset: the ClickHouse tests skip with a message — except under CI=true, where .ci/run
 * starts the cluster and sets it, so its absence is a failure.
 *
 * Each test file works in its own database, dropped at the end, so files can run in parallel on
 * the shared cluster. Tests that stop a server start their own private cluster (`privateCluster`).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ClickhouseEngine, type ClickhouseConfig } from '../../src/platform/engine/clickhouse/engine.js';
import { quoteClickhouseIdent } from '../../src/platform/engine/clickhouse/sql.js';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = path.join(repoRoot, 'scripts', 'clickhouse-cluster.sh');

/** Node URLs and credentials of `text` (comma-separated URLs, credentials in the first). */
export function parseTestUrls(text: string): { urls: string[]; user: string; password: string } {
  const parsed = text.split(',').map((u) => new URL(u.trim()));
  const first = parsed[0]!;
  const user = decodeURIComponent(first.username) || 'hdh';
  const password = first.username ? decodeURIComponent(first.password) : 'hdh';
  return { urls: parsed.map((u) => `${u.protocol}//${u.host}`), user, password };
}

/** The cluster under test, or null (with a message) when none is configured outside CI. */
export function clickhouseUnderTest(what: string): Omit<ClickhouseConfig, 'database'> | null {
  const text = process.env.HDH_TEST_CLICKHOUSE_URL;
  if (!text) {
    if (process.env.CI === 'true') throw new Error(`HDH_TEST_CLICKHOUSE_URL is required under CI=true (${what}); .ci/run starts the cluster and sets it`);
    console.warn(`Skipping ${what}: HDH_TEST_CLICKHOUSE_URL is not set (scripts/clickhouse-cluster.sh start, then export the URL it prints).`);
    return null;
  }
  return { ...parseTestUrls(text), cluster: process.env.HDH_TEST_CLICKHOUSE_CLUSTER ?? 'hdh', onCluster: false, requestTimeoutMs: 600_000 };
}

/** A fresh database name for one test file. */
export function testDatabase(prefix: string): string {
  return `hdh_t_${prefix}_${crypto.randomBytes(4).toString('hex')}`;
}

/** Drops a test database on every node. */
export async function dropTestDatabase(config: ClickhouseConfig): Promise<void> {
  const engine = new ClickhouseEngine(config);
  const s = await engine.open();
  try {
    await s.ddl((on) => `DROP DATABASE IF EXISTS ${quoteClickhouseIdent(config.database)}${on}`);
  } finally {
    await s.close();
  }
}

export interface PrivateCluster {
  config: Omit<ClickhouseConfig, 'database'>;
  dir: string;
  stopNode(node: number): Promise<void>;
  startNode(node: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A cluster of its own (own folder and ports) for tests that stop a server: stopping a node of
 * the shared cluster would fail the other files running meanwhile.
 */
export async function privateCluster(shards: number, basePort: number): Promise<PrivateCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-ch-private-'));
  fs.chmodSync(dir, 0o755);
  const args = ['--dir', dir, '--base-port', String(basePort)];
  await run(script, ['start', '--shards', String(shards), ...args]);
  const { stdout } = await run(script, ['url', ...args]);
  return {
    dir,
    config: { ...parseTestUrls(stdout.trim()), cluster: 'hdh', onCluster: false, requestTimeoutMs: 120_000 },
    // SIGKILL: a crashed server, and no 10 s graceful shutdown per test.
    stopNode: async (node) => void (await run(script, ['stop', '--node', String(node), '--kill', ...args])),
    startNode: async (node) => void (await run(script, ['start', '--node', String(node), ...args])),
    stop: async () => {
      await run(script, ['stop', ...args]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
