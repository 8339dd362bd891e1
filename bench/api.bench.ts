/**
 * Requests per second of an authenticated API call (`GET /api/session`: cookie → session lookup
 * → account, roles, second factors, charter status), 10 connections for 10 s with autocannon run
 * in its own process, on the embedded store and — when HDH_BENCH_DATABASE_URL (or
 * HDH_TEST_DATABASE_URL) names a PostgreSQL server whose role may create databases — on a scratch
 * PostgreSQL database. Baseline: the public `/api/health` of the same server (same stack, one
 * store round trip, no session).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createHub } from '../src/main.js';
import { seedDemoAccounts } from '../src/demo/seed.js';
import { totpCode } from '../src/identity/totp.js';
import type { Benchmark, BenchRow } from './harness.js';

const run = promisify(execFile);

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** autocannon in a child process: the server under test keeps its event loop to itself. */
async function load(url: string, headers: Record<string, string>): Promise<AutocannonResult> {
  const args = [path.resolve('node_modules/autocannon/autocannon.js'), '-j', '-c', '10', '-d', '10', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 2 ** 20 });
  const result = JSON.parse(stdout) as AutocannonResult;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function measure(label: string, env: Record<string, string>): Promise<BenchRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-api-'));
  const hub = await createHub(loadConfig({}, { HDH_DATA_DIR: dir, HDH_LOG_LEVEL: 'silent', ...env }), { webDist: null });
  try {
    const demo = (await seedDemoAccounts(hub))!;
    const account = demo.accounts.find((a) => a.email === 'chercheur@recherche.example')!;
    await hub.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = hub.app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: demo.password, totp: await totpCode(account.totpSecret, new Date()) }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const health = await load(`${base}/api/health`, {});
    const session = await load(`${base}/api/session`, { cookie });
    return {
      metric: `${label}: authenticated GET /api/session`,
      value: session.requests.average,
      unit: 'req/s',
      baseline: { label: 'GET /api/health', value: health.requests.average },
      note: `p50 ${session.latency.p50} ms, p99 ${session.latency.p99} ms (health p50 ${health.latency.p50} ms)`,
    };
  } finally {
    await hub.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const apiBenchmark: Benchmark = {
  name: 'api',
  title: 'Authenticated API requests per second',
  description:
    '`GET /api/session` with a logged-in (password + TOTP) session cookie: each request resolves the session with its account, roles, second factors and charter status (one query), then reads the account view (one more). 10 connections, 10 s, autocannon in its own process, on the embedded store (PGlite) and, when `HDH_BENCH_DATABASE_URL` (or `HDH_TEST_DATABASE_URL`) is set, on a scratch PostgreSQL database (pool of 10). Baseline: public `GET /api/health` on the same server (one store round trip).',
  async run() {
    const rows = [await measure('PGlite', {})];
    const pgUrl = process.env.HDH_BENCH_DATABASE_URL ?? process.env.HDH_TEST_DATABASE_URL;
    if (pgUrl) {
      const name = `hdh_bench_${crypto.randomBytes(4).toString('hex')}`;
      await adminQuery(pgUrl, `create database ${name}`);
      try {
        const u = new URL(pgUrl);
        u.pathname = `/${name}`;
        rows.push(await measure('PostgreSQL', { HDH_DATABASE_URL: u.toString() }));
      } finally {
        await adminQuery(pgUrl, `drop database if exists ${name} with (force)`);
      }
    }
    return rows;
  },
};
