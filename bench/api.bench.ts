/**
 * Requests per second of an authenticated API call (`GET /api/session`: cookie → session lookup
 * → account, roles, second factors, charter status), 10 connections, three 5 s rounds alternating
 * with the baseline, autocannon in its own process, on the embedded store and — when HDH_BENCH_DATABASE_URL (or
 * HDH_TEST_DATABASE_URL) names a PostgreSQL server whose role may create databases — on a scratch
 * PostgreSQL database. Baseline: the public `/api/health` of the same server (same stack, one
 * store round trip, no session).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createHub } from '../src/main.js';
import { seedDemoAccounts } from '../src/demo/seed.js';
import { totpCode } from '../src/identity/totp.js';
import { median, type Benchmark, type BenchRow } from './harness.js';
import { benchPostgresUrl, withScratchDatabase } from './scratch-postgres.js';

const run = promisify(execFile);

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

const ROUNDS = 3;

/** autocannon in a child process: the server under test keeps its event loop to itself. */
async function load(url: string, headers: Record<string, string>): Promise<AutocannonResult & { serverCpuMs: number }> {
  const args = [path.resolve('node_modules/autocannon/autocannon.js'), '-j', '-c', '10', '-d', '5', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const cpu = process.cpuUsage();
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 2 ** 20 });
  const used = process.cpuUsage(cpu);
  const result = JSON.parse(stdout) as AutocannonResult;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { ...result, serverCpuMs: (used.user + used.system) / 1000 / result.requests.total };
}

async function measure(label: string, env: Record<string, string>): Promise<BenchRow[]> {
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
    // Rounds alternate baseline and subject, so a burst of load on the shared machine hits both.
    type Load = Awaited<ReturnType<typeof load>>;
    const health: Load[] = [];
    const session: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      health.push(await load(`${base}/api/health`, {}));
      session.push(await load(`${base}/api/session`, { cookie }));
    }
    const rate = (rs: Load[]) => median(rs.map((r) => r.requests.average));
    const p50 = (rs: Load[]) => median(rs.map((r) => r.latency.p50));
    const cpu = (rs: Load[]) => median(rs.map((r) => r.serverCpuMs));
    return [{
      metric: `${label}: authenticated GET /api/session`,
      value: rate(session),
      unit: 'req/s',
      baseline: { label: 'GET /api/health', value: rate(health) },
      note: `rounds ${session.map((r) => Math.round(r.requests.average)).join(' / ')} req/s (health ${health.map((r) => Math.round(r.requests.average)).join(' / ')}); p50 ${p50(session)} ms (health ${p50(health)} ms)`,
    }, {
      metric: `${label}: authenticated GET /api/session, server CPU per request`,
      value: cpu(session),
      unit: 'ms',
      baseline: { label: 'GET /api/health', value: cpu(health) },
      note: 'CPU time of the server process (PGlite runs in it; a PostgreSQL server does not): steadier than req/s on a shared machine',
    }];
  } finally {
    await hub.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const apiBenchmark: Benchmark = {
  name: 'api',
  title: 'Authenticated API requests per second',
  description:
    '`GET /api/session` with a logged-in (password + TOTP) session cookie: each request resolves the session with its account, roles, second factors and charter status (one query), then reads the account view (one more). 10 connections, autocannon in its own process, 3 rounds of 5 s alternating with the baseline (median round reported, each round in the note), on the embedded store (PGlite) and, when `HDH_BENCH_DATABASE_URL` (or `HDH_TEST_DATABASE_URL`) is set, on a scratch PostgreSQL database (pool of 10). Baseline: public `GET /api/health` on the same server (one store round trip).',
  async run() {
    const rows = await measure('PGlite', {});
    const server = benchPostgresUrl();
    if (server) rows.push(...(await withScratchDatabase(server, (url) => measure('PostgreSQL', { HDH_DATABASE_URL: url }))));
    return rows;
  },
};
