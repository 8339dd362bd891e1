/**
 * Record linkage from the admin UI: a hub instructor uploads a reference file (NIR + traits) and
 * a registry file (no NIR), starts a probabilistic run, and reads its quality report with the
 * ECharts weight histogram (loaded on demand, drawn under the CSP).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTruthSet, writeTruthSetCsv } from '../../src/linkage/truth-set.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const INSTRUCTOR = 'instructeur@hdh.example';

describe.runIf(browserAvailability().run)('record linkage from the admin UI (browser)', () => {
  let t: BrowserHub;
  let files: { reference: string; source: string };
  beforeAll(async () => {
    t = await startBrowserHub();
    files = writeTruthSetCsv(generateTruthSet({ referencePeople: 500, sourceRecords: 400, seed: 8 }), fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-e2e-linkage-')));
  });
  afterAll(async () => {
    await t?.close();
    if (files) fs.rmSync(path.dirname(files.reference), { recursive: true, force: true });
  });

  it('LOG-01: an instructor uploads both files, runs a probabilistic linkage and reads the report with its histogram', async () => {
    const page = await t.newPage();
    await login(page, t.baseUrl, INSTRUCTOR, t.demo.password, await t.nextTotp(INSTRUCTOR));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.getByRole('link', { name: 'Appariements' }).first().click();
    await page.waitForURL(`${t.baseUrl}/admin/linkage`);
    await page.getByText('Aucun appariement pour l’instant.').waitFor();

    await page.locator('input[name=reference]').setInputFiles(files.reference);
    await page.locator('input[name=source]').setInputFiles(files.source);
    await page.locator('input[name=output]').fill('linkage-registre-e2e');
    await page.getByRole('button', { name: 'Lancer l’appariement' }).first().click();
    await page.waitForURL(/\/admin\/linkage\/[0-9a-f-]{36}$/);
    await page.locator('h1 .fr-badge', { hasText: 'Terminé' }).waitFor({ timeout: 60_000 });
    await page.getByText('Table d’appariement publiée : linkage-registre-e2e v1 (LINKAGE)').waitFor();
    await page.locator('.linkage-histogram[data-ready=true] canvas').waitFor();
    const links = await page.locator('main table tr', { hasText: 'Liens' }).first().locator('td').last().textContent();
    expect(Number(links?.replace(/\s/g, ''))).toBeGreaterThan(250);
    await page.getByText('Modèle (probabilités m et u par niveau de comparaison)').waitFor();
    await page.screenshot({ path: screenshotPath('linkage-report.png'), fullPage: true });

    await page.getByRole('link', { name: 'Tous les appariements' }).click();
    await page.locator('main table tbody tr', { hasText: 'linkage-registre-e2e' }).waitFor();
    expect(t.problems).toEqual([]);
  });
});
