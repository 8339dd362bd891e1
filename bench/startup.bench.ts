/**
 * Server start-up: `hdh start` as a user runs it, from process spawn to the first 200 on
 * /api/health — on a fresh data directory (first run: PGlite init, migrations, secrets, demo
 * accounts) and again on the same directory (warm). Baseline: a bare Fastify server in a fresh
 * Node process, spawned and polled the same way.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { median, type Benchmark } from './harness.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Spawns a command and returns ms until GET url answers 200; then stops it. */
async function timeToHealthy(args: string[], env: Record<string, string>, url: (port: number) => string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, HDH_PORT: String(port), PORT: String(port) }, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      try {
        const res = await fetch(url(port));
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) throw new Error('no answer in 120 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const bareServer = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
`;

export const startupBenchmark: Benchmark = {
  name: 'startup',
  title: 'Server start-up',
  description:
    'Time from spawning `hdh start` to the first 200 on `/api/health`, embedded store (PGlite). *First run*: empty data directory (PGlite init, migrations, secrets, demo accounts). *Warm*: the same directory again. Baseline: a bare Fastify server spawned and polled the same way. Median of 3 runs.',
  async run() {
    const bin = path.resolve('bin/hdh.mjs');
    const bareFile = path.resolve('.tmp/bench-bare-server.mjs');
    fs.mkdirSync(path.dirname(bareFile), { recursive: true });
    fs.writeFileSync(bareFile, bareServer);
    const baseline: number[] = [];
    const first: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      baseline.push(await timeToHealthy([bareFile], {}, (p) => `http://127.0.0.1:${p}/health`));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-start-'));
      const env = { HDH_DATA_DIR: dir, HDH_LOG_LEVEL: 'warn' };
      first.push(await timeToHealthy([bin, 'start'], env, (p) => `http://127.0.0.1:${p}/api/health`));
      warm.push(await timeToHealthy([bin, 'start'], env, (p) => `http://127.0.0.1:${p}/api/health`));
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const base = { label: 'bare Fastify', value: median(baseline) };
    return [
      { metric: 'first run (fresh data dir)', value: median(first), unit: 'ms', baseline: base },
      { metric: 'warm start (existing data dir)', value: median(warm), unit: 'ms', baseline: base },
    ];
  },
};
