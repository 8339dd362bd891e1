/**
 * Browser journeys: a real hub (createHub, PGlite from the suite's template) listening on a
 * local port and serving the built web UI, driven by Debian's Chromium through playwright-core.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seedDemoAccounts, type DemoCredentials } from '../../src/demo/seed.js';
import { totpCode } from '../../src/identity/totp.js';
import { createHub, repoRoot, type Hub } from '../../src/main.js';
import { ManualClock } from '../../src/platform/clock.js';
import { TestClient, type TestHub } from '../support/hub.js';

export const CHROMIUM = '/usr/bin/chromium';
export const resultsDir = path.join(repoRoot, 'test-results');

/**
 * Whether the journeys can run. Without Chromium they are skipped with a message, unless the
 * run demands a browser (CI=true or HDH_REQUIRE_BROWSER=1): then they fail, saying why.
 */
export function browserAvailability(): { run: boolean; missing: string | null } {
  const required = process.env.CI === 'true' || process.env.HDH_REQUIRE_BROWSER === '1';
  const missing = fs.existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  if (missing && !required) console.warn(`browser journeys skipped: ${missing}`);
  return { run: !missing || required, missing };
}

export interface BrowserHub {
  hub: Hub;
  clock: ManualClock;
  demo: DemoCredentials;
  baseUrl: string;
  context: BrowserContext;
  /** Console errors and failed requests seen by any page, CSP violations included. */
  problems: string[];
  newPage(): Promise<Page>;
  /** The current TOTP code of a demo account, on a fresh time step (a code works once). */
  nextTotp(email: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A free local port, chosen before the hub starts so that its public URL (the WebAuthn relying
 * party, the OIDC redirect URI) can name it.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The hub listens on 127.0.0.1 but the browser opens it as `http://localhost:<port>`: browsers
 * refuse WebAuthn on an IP address, and localhost counts as a secure context over plain http.
 */
export async function startBrowserHub(env: Record<string, string> = {}, port?: number): Promise<BrowserHub> {
  const { missing } = browserAvailability();
  if (missing) throw new Error(`${missing}; browser journeys are required here (CI=true or HDH_REQUIRE_BROWSER=1).`);
  buildWebIfStale();

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-e2e-'));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-e2e-chromium-'));
  const clock = new ManualClock(new Date());
  const listenPort = port ?? (await freePort());
  const baseUrl = `http://localhost:${listenPort}`;
  const config = loadConfig({}, { HDH_DATA_DIR: dataDir, HDH_PORT: String(listenPort), HDH_PUBLIC_URL: baseUrl, HDH_LOG_LEVEL: 'silent', HDH_DEMO: 'true', ...env });
  const template = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  const hub = await createHub(config, { clock, pgliteDir: 'memory://', pgliteTemplate: template });
  const demo = (await seedDemoAccounts(hub))!;
  await hub.app.listen({ host: '127.0.0.1', port: listenPort });

  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
  });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' && !isExpectedApiError(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);

  return {
    hub,
    clock,
    demo,
    baseUrl,
    context,
    problems,
    async newPage() {
      // Each journey starts signed out, with its own list of problems.
      problems.length = 0;
      await context.clearCookies();
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async nextTotp(email) {
      const account = demo.accounts.find((a) => a.email === email);
      if (!account) throw new Error(`no demo account ${email}`);
      clock.advance(30_000);
      return totpCode(account.totpSecret, clock.now());
    },
    async close() {
      await context.close().catch(() => undefined);
      await hub.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** A refused API call (wrong password…) is logged by Chromium as a failed resource: expected. */
function isExpectedApiError(text: string): boolean {
  return /Failed to load resource: the server responded with a status of 4\d\d/.test(text);
}

/** Same script as `npm start`: builds dist/web with vite when web/ changed. */
function buildWebIfStale(): void {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-web-if-stale.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Fills the login form and submits it. */
export async function login(page: Page, baseUrl: string, email: string, password: string, totp?: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  if (totp) await page.locator('input[name=totp]').fill(totp);
  await page.locator('main form button[type=submit]').click();
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  return path.join(resultsDir, name);
}

/** The browser hub seen as a test hub, so `Cast` logs in on the same app, accounts and clock. */
export function castHub(b: BrowserHub): TestHub {
  return {
    hub: b.hub,
    clock: b.clock,
    demo: b.demo,
    dataDir: b.hub.config.dataDir,
    client: () => new TestClient(b.hub),
    async login(email) {
      const client = new TestClient(b.hub);
      const res = await client.post('/api/auth/login', { email, password: b.demo.password, totp: await b.nextTotp(email) });
      if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.body}`);
      return client;
    },
    superuserSql: () => Promise.reject(new Error('not on the browser hub')),
    close: () => b.close(),
  };
}
