/**
 * Issue 3's "same from the admin UI": a hub instructor uploads a .zip of a Frictionless folder on
 * the import page and sees the diff; a broken archive is refused with each problem located.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/main.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const INSTRUCTOR = 'instructeur@hdh.example';
const fixture = path.join(repoRoot, 'src', 'catalog', 'fixtures', 'mini-catalogue');

function zipFile(extra: Record<string, Uint8Array> = {}): string {
  const entries: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else entries[path.relative(fixture, full).split(path.sep).join('/')] = fs.readFileSync(full);
    }
  };
  walk(fixture);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-e2e-zip-')), Object.keys(extra).length ? 'broken.zip' : 'mini.zip');
  fs.writeFileSync(file, zipSync({ ...entries, ...extra }));
  return file;
}

describe.runIf(browserAvailability().run)('catalogue import from the admin UI (browser)', () => {
  let t: BrowserHub;
  beforeAll(async () => {
    t = await startBrowserHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('CAT: an instructor imports a .zip and sees the diff; a broken archive is refused with located problems', async () => {
    const page = await t.newPage();
    await login(page, t.baseUrl, INSTRUCTOR, t.demo.password, await t.nextTotp(INSTRUCTOR));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.getByRole('link', { name: 'Import du catalogue' }).first().click();
    await page.waitForURL(`${t.baseUrl}/admin/catalogue-import`);

    await page.locator('input[type=file]').setInputFiles(zipFile({ 'schemas/BENEFICIAIRE/BROKEN_T.json': strToU8(JSON.stringify({ name: 'BROKEN_T', fields: [{ type: 'integer' }] })) }));
    await page.getByRole('button', { name: 'Importer' }).click();
    const refused = page.locator('.fr-alert--error', { hasText: 'Import refusé' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('schemas/BENEFICIAIRE/BROKEN_T.json#/fields/0');

    await page.locator('input[type=file]').setInputFiles(zipFile());
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.getByText('Source « mini » importée', { exact: false }).first().waitFor();
    expect(await page.locator('main table tbody tr').count()).toBe(5);
    await page.screenshot({ path: screenshotPath('catalog-import.png'), fullPage: true });
    expect(t.problems).toEqual([]);
  });
});
