/**
 * Test hubs: the real composition root on a real store — PGlite always, PostgreSQL too when
 * HDH_TEST_DATABASE_URL is set — driven through the real HTTP app (`app.inject`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createHub, type Hub, type HubOptions } from '../../src/main.js';
import { ManualClock } from '../../src/platform/clock.js';
import { seedDemoAccounts, type DemoCredentials } from '../../src/demo/seed.js';
import { totpCode } from '../../src/identity/totp.js';
import { testDatabaseNames } from '../global-setup.js';

export type StoreKind = 'pglite' | 'postgres';

/** The stores every integration test runs on. */
export const stores: StoreKind[] = process.env.HDH_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestHub {
  hub: Hub;
  clock: ManualClock;
  demo: DemoCredentials;
  dataDir: string;
  client(): TestClient;
  /** Logs a demo account in with password + current TOTP and returns its client. */
  login(email: string): Promise<TestClient>;
  /** Superuser SQL on the store, for tampering tests (bypasses the app's protections). */
  superuserSql(text: string): Promise<unknown[]>;
  close(): Promise<void>;
}

let pgliteTemplate: Blob | null = null;

export async function startTestHub(store: StoreKind, env: Record<string, string> = {}, options: Pick<HubOptions, 'optOuts' | 'logStream'> = {}): Promise<TestHub> {
  const clock = new ManualClock(new Date());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (store === 'postgres') {
    const base = process.env.HDH_TEST_DATABASE_URL!;
    const template = inject('postgresTemplate');
    if (!template) throw new Error('postgres template missing: global setup did not run with HDH_TEST_DATABASE_URL');
    const names = testDatabaseNames(base);
    const name = `${names.prefix}${crypto.randomBytes(5).toString('hex')}`;
    await adminQuery(base, `create database ${name} template ${names.template}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDatabase = () => adminQuery(base, `drop database if exists ${name} with (force)`).then(() => undefined);
  } else {
    pgliteTemplate ??= new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  }
  // Tests log in many times from one address: the auth rate limit is off unless a test sets it.
  const config = loadConfig({}, { HDH_DATA_DIR: dataDir, HDH_LOG_LEVEL: 'silent', HDH_DEMO: 'true', HDH_AUTH_RATE_LIMIT_PER_MINUTE: '0', ...(databaseUrl ? { HDH_DATABASE_URL: databaseUrl } : {}), ...env });
  const hub = await createHub(config, { clock, webDist: null, ...options, ...(store === 'pglite' ? { pgliteDir: 'memory://', pgliteTemplate: pgliteTemplate! } : {}) });
  const demo = (await seedDemoAccounts(hub))!;
  const t: TestHub = {
    hub,
    clock,
    demo,
    dataDir,
    client: () => new TestClient(hub),
    async login(email) {
      const c = new TestClient(hub);
      const account = demo.accounts.find((a) => a.email === email);
      if (!account) throw new Error(`no demo account ${email}`);
      // Each login uses a fresh time step: a TOTP code is accepted once.
      clock.advance(30_000);
      const res = await c.post('/api/auth/login', { email, password: demo.password, totp: await totpCode(account.totpSecret, clock.now()) });
      if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.body}`);
      return c;
    },
    async superuserSql(text) {
      if (store === 'pglite') {
        // PGlite has one connection: a query sent beside the pool while a background task (extraction,
        // workspace closure) uses it interleaves the protocol. One statement goes through the pool.
        if (!text.trim().replace(/;\s*$/, '').includes(';')) return (await sql.raw(text).execute(hub.database.db)).rows;
        return (await hub.database.pglite!.exec(text)).at(-1)?.rows ?? [];
      }
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const result = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
        return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
      } finally {
        await client.end();
      }
    },
    async close() {
      await hub.close();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export interface Response {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
  json<T = Record<string, unknown>>(): T;
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on mutations. */
export class TestClient {
  cookies = new Map<string, string>();
  csrfToken: string | null = null;
  constructor(private readonly hub: Hub) {}

  get(url: string, headers: Record<string, string> = {}) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', url, body, headers);
  }
  patch(url: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('PATCH', url, body, headers);
  }
  delete(url: string, headers: Record<string, string> = {}) {
    return this.request('DELETE', url, undefined, headers);
  }

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrfToken && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrfToken;
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (payload !== undefined && !h['content-type']) h['content-type'] = 'application/json';
    const res = await this.hub.app.inject({ method: method as 'GET', url, headers: h, ...(payload !== undefined ? { payload } : {}) });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (res.statusCode === 200 && res.headers['content-type']?.toString().includes('json')) {
      const parsed = JSON.parse(res.body) as { csrfToken?: unknown };
      if (typeof parsed.csrfToken === 'string') this.csrfToken = parsed.csrfToken;
    }
    return { statusCode: res.statusCode, body: res.body, headers: res.headers, json: <T>() => JSON.parse(res.body) as T };
  }

  /** Accepts the current user charter (AUTH-05), as the web UI does after login. */
  async acceptCharter(): Promise<void> {
    const charter = (await this.get('/api/charters/user/current')).json<{ id: string }>();
    const res = await this.post(`/api/charters/${charter.id}/accept`);
    if (res.statusCode !== 204) throw new Error(`charter acceptance failed: ${res.body}`);
  }
}
