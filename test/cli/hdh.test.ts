/**
 * The `hdh` command as an operator runs it: a real process on a real data directory.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { pgliteExtensions } from '../../src/platform/db/database.js';
import { loadConfig } from '../../src/config.js';
import { createHub } from '../../src/main.js';
import { seedDemoAccounts } from '../../src/demo/seed.js';
import { totpCode } from '../../src/identity/totp.js';

const run = promisify(execFile);
const bin = path.resolve('bin/hdh.mjs');

async function hdh(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, HDH_LOG_LEVEL: 'silent', ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('hdh CLI', { timeout: 180_000 }, () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-cli-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('migrate, then users create and list on the embedded store', async () => {
    const env = { HDH_DATA_DIR: dataDir };
    const migrate = await hdh(['migrate'], env);
    expect(migrate.stdout).toMatch(/Applied \d+ migration/);
    const create = await hdh(['users', 'create', '--email', 'op@hdh.example', '--name', 'Olga Opératrice', '--roles', 'administrator', '--until', '2099-01-01', '--password', 'a-long-enough-password'], env);
    expect(create.code).toBe(0);
    const list = await hdh(['users', 'list'], env);
    expect(list.stdout).toMatch(/op@hdh\.example\s+administrator\s+until 2099-01-01 active \(no 2FA yet\)/);
    const bad = await hdh(['users', 'create', '--email', 'x@hdh.example', '--name', 'X', '--roles', 'emperor', '--until', '2099-01-01'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown role "emperor"');
  });

  it('LOG-05: audit verify passes on a clean log, then names the edited event and exits 1', async () => {
    const env = { HDH_DATA_DIR: dataDir };
    const clean = await hdh(['audit', 'verify'], env);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Audit log intact.');
    // Tamper as someone with direct access to the files would.
    const lite = await PGlite.create({ dataDir: path.join(dataDir, 'pglite'), extensions: pgliteExtensions });
    await lite.exec(`alter table audit_events disable trigger audit_events_no_update;
      update audit_events set actor_label = 'someone-else@hdh.example' where seq = 2;
      alter table audit_events enable trigger audit_events_no_update;`);
    await lite.close();
    const tampered = await hdh(['audit', 'verify'], env);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/PROBLEM altered: event 2 \(.+\) was altered/);
    expect(tampered.stdout).toContain('Audit log TAMPERED');
  });

  it('users totp prints a demo account’s current code while the running hub holds the store', async () => {
    const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-cli-demo-'));
    const hub = await createHub(loadConfig({}, { HDH_DATA_DIR: demoDir, HDH_LOG_LEVEL: 'silent' }), { webDist: null });
    try {
      const demo = (await seedDemoAccounts(hub))!;
      const account = demo.accounts.find((a) => a.email === 'chercheur@recherche.example')!;
      const res = await hdh(['users', 'totp', 'chercheur@recherche.example'], { HDH_DATA_DIR: demoDir });
      expect(res.code).toBe(0);
      const now = new Date();
      const valid = [await totpCode(account.totpSecret, now), await totpCode(account.totpSecret, new Date(now.getTime() - 30_000))];
      expect(valid).toContain(res.stdout.trim());
    } finally {
      await hub.close();
      fs.rmSync(demoDir, { recursive: true, force: true });
    }
  });

  it('a database that cannot be reached stops the start with a message naming HDH_DATABASE_URL', async () => {
    const res = await hdh(['migrate'], { HDH_DATA_DIR: dataDir, HDH_DATABASE_URL: 'postgresql://nobody:secret@127.0.0.1:1/none' });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Cannot connect to PostgreSQL at HDH_DATABASE_URL \(postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none\)/);
  });

  it('an invalid setting is named at start', async () => {
    const res = await hdh(['migrate'], { HDH_DATA_DIR: dataDir, HDH_SESSION_IDLE_MINUTES: 'soon' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('HDH_SESSION_IDLE_MINUTES');
  });
});
