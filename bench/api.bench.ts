/**
 * Requests per second of an authenticated API call (`GET /api/session`: cookie → session lookup
 * → account, roles, charter status), 10 connections for 10 s with autocannon, on the embedded
 * store. Baseline: the public `/api/health` of the same server (same stack, no session work).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createHub } from '../src/main.js';
import { seedDemoAccounts } from '../src/demo/seed.js';
import { totpCode } from '../src/identity/totp.js';
import type { Benchmark } from './harness.js';

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, connections: 10, duration: 10, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

export const apiBenchmark: Benchmark = {
  name: 'api',
  title: 'Authenticated API requests per second',
  description:
    '`GET /api/session` with a logged-in (password + TOTP) session cookie: each request resolves the session, the account, its roles and charter status from the embedded store (PGlite). 10 connections, 10 s, autocannon, in-process server. Baseline: public `GET /api/health` on the same server.',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-api-'));
    const hub = await createHub(loadConfig({}, { HDH_DATA_DIR: dir, HDH_LOG_LEVEL: 'silent' }), { webDist: null });
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
      return [
        { metric: 'authenticated GET /api/session', value: session.requests.average, unit: 'req/s', baseline: { label: 'GET /api/health', value: health.requests.average }, note: `p50 ${session.latency.p50} ms, p99 ${session.latency.p99} ms` },
      ];
    } finally {
      await hub.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
