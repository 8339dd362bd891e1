/**
 * Loading a producer's data in a real browser: the Cnam's producer signs in (TOTP, charter),
 * picks IR_BEN_R, sends a CSV in chunks, reads the validation report (counts, format, the NIR
 * column pseudonymised) and publishes it as release version 1; a second file with a wrong NIR
 * key gets a report locating the error (line, column, rule) and cannot be published. Then a
 * multi-chunk upload is paused, the page reloaded, the same file picked again, and the upload
 * goes on from the bytes the server holds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/catalog/demo-catalogue.js';
import { linkDemoProducers } from '../../src/demo/seed.js';
import { repoRoot } from '../../src/main.js';
import { beneficiariesCsv, withWrongNirKey } from '../support/ingest.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const PRODUCER = 'producteur@cnam.example';
const RELEASE = 'ingest-ir-ben-r';

describe.runIf(browserAvailability().run)('data loading journey (browser)', () => {
  let t: BrowserHub;
  let dir: string;
  beforeAll(async () => {
    t = await startBrowserHub({ HDH_INGEST_CHUNK_BYTES: '4096' }) // small chunks: a test-sized file takes several;
    const loaded = await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'));
    expect(loaded.loaded).toBe(true);
    // The Cnam (catalogue producer) is the producer account's organisation: it may load IR_BEN_R.
    await linkDemoProducers(t.hub);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-e2e-ingest-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let accepted = false;
  async function signIn(page: Page): Promise<void> {
    await login(page, t.baseUrl, PRODUCER, t.demo.password, await t.nextTotp(PRODUCER));
    if (!accepted) {
      await page.waitForURL(`${t.baseUrl}/charter`);
      await page.getByRole('button', { name: 'J’accepte' }).click();
      accepted = true;
    }
    await page.waitForURL(`${t.baseUrl}/`);
  }

  function writeFile(name: string, content: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  /** On the upload page: table IR_BEN_R, the file, then send; resolves on the load's page. */
  async function chooseTableAndFile(page: Page, file: string): Promise<void> {
    await page.locator('#ingest-table-search').fill('IR_BEN');
    await page.locator('label[for="ingest-table-IR_BEN_R"]').click();
    await page.locator('#ingest-file').setInputFiles(file);
  }

  const count = (page: Page, which: string) => page.locator(`#ingest-counts dd[data-count=${which}]`).textContent();

  it('DP-01, LOG-02: a producer uploads a CSV, reads the validation report, publishes release version 1; a wrong NIR key is located and blocks publication', async () => {
    const page = await t.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Charger des données' }).first().click();
    await page.waitForURL(`${t.baseUrl}/chargements`);

    // A valid file: 300 synthetic beneficiaries with raw NIRs.
    const { csv, nirs } = beneficiariesCsv(300, 41);
    await chooseTableAndFile(page, writeFile('IR_BEN_R-2024.csv', csv));
    await page.getByRole('button', { name: 'Envoyer et vérifier' }).click();
    await page.waitForURL(/\/chargements\/[0-9a-f-]{36}$/);
    const loadId = /\/chargements\/([0-9a-f-]{36})$/.exec(page.url())![1]!;

    // The report: counts, the detected format, the NIR column pseudonymised.
    await page.locator('#ingest-counts').waitFor({ timeout: 60_000 });
    expect(await count(page, 'read')).toBe('300');
    expect(await count(page, 'valid')).toBe('300');
    expect(await count(page, 'rejected')).toBe('0');
    expect(await count(page, 'nir')).toBe('300');
    expect(await page.locator('#ingest-format').textContent()).toBe('CSV, encodage UTF-8, séparateur point-virgule (;)');
    expect(await page.locator('#ingest-columns-pseudonymised').textContent()).toContain('BEN_NIR_PSA');
    expect(await page.locator('.hdh-ingest-status').first().textContent()).toBe('Prêt à publier');
    const body = (await page.locator('main').textContent())!;
    for (const nir of nirs.slice(0, 20)) expect(body).not.toContain(nir.slice(0, 13));
    await page.screenshot({ path: screenshotPath('ingest-report-valid.png'), fullPage: true });

    // Publish, through the confirmation that says a new immutable version is made.
    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publier une nouvelle version ?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('immuable');
    await dialog.getByRole('button', { name: 'Publier la version' }).click();
    await page.locator('#ingest-release').waitFor();
    expect(await page.locator('#ingest-release').textContent()).toContain(`Publiée comme ${RELEASE}, version 1 (300 lignes)`);
    expect(await page.locator('.hdh-ingest-status').first().textContent()).toBe('Publié');
    const lake = t.hub.services.ingest['deps'].lake;
    expect(lake.readManifest(RELEASE, 1)).toMatchObject({ load: { id: loadId, table: 'IR_BEN_R' }, tables: [{ name: 'IR_BEN_R', rows: 300 }] });
    await page.screenshot({ path: screenshotPath('ingest-published.png'), fullPage: true });

    // A second file whose line 4 carries a NIR with a wrong control key.
    const bad = beneficiariesCsv(20, 43);
    const lines = bad.csv.trimEnd().split('\n');
    const wrong = withWrongNirKey(bad.nirs[2]!);
    lines[3] = lines[3]!.replace(bad.nirs[2]!, wrong);
    // The hub's clock is manual: a minute later, so that the history's order is the real one.
    t.clock.advance(60_000);
    await page.goto(`${t.baseUrl}/chargements`);
    await chooseTableAndFile(page, writeFile('IR_BEN_R-bad.csv', `${lines.join('\n')}\n`));
    await page.getByRole('button', { name: 'Envoyer et vérifier' }).click();
    await page.waitForURL((url) => /\/chargements\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(loadId));
    await page.locator('#ingest-samples').waitFor({ timeout: 60_000 });
    expect(await page.locator('.hdh-ingest-status').first().textContent()).toBe('Refusé');
    expect(await count(page, 'rejected')).toBe('1');
    const located = page.locator('#ingest-samples tbody tr');
    expect(await located.count()).toBe(1);
    expect(await located.getAttribute('data-line')).toBe('4');
    expect(await located.getAttribute('data-column')).toBe('BEN_NIR_PSA');
    const cells = await located.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['4', 'BEN_NIR_PSA', 'Clé de contrôle du NIR fausse']);
    // The value is shown masked: the NIR never reaches the page.
    expect(cells[3]).toMatch(/^•{15}$/);
    expect(await page.locator('main').textContent()).not.toContain(wrong.slice(0, 13));
    expect(await page.locator('#ingest-rules tr[data-rule=nir_key]').textContent()).toContain('1');
    expect(await page.locator('#ingest-not-publishable').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Publier', exact: true }).count()).toBe(0);
    expect(lake.listReleases(RELEASE)).toHaveLength(1);
    await page.screenshot({ path: screenshotPath('ingest-report-rejected.png'), fullPage: true });
    // The same report in English.
    await page.getByRole('button', { name: /English/ }).click();
    await located.locator('td', { hasText: 'Wrong NIR control key' }).waitFor();
    expect(await page.locator('.hdh-ingest-status').first().textContent()).toBe('Rejected');
    await page.getByRole('button', { name: /Français/ }).click();
    await located.locator('td', { hasText: 'Clé de contrôle du NIR fausse' }).waitFor();

    // The history lists both loads, newest first.
    await page.getByRole('link', { name: 'Historique des chargements' }).click();
    await page.waitForURL(`${t.baseUrl}/chargements/historique`);
    const rows = page.locator('#ingest-history tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('.hdh-ingest-status').textContent()).toBe('Refusé');
    expect(await rows.nth(1).locator('.hdh-ingest-status').textContent()).toBe('Publié');
    expect(await rows.nth(1).textContent()).toContain(`${RELEASE}, version 1`);
    expect(t.problems).toEqual([]);
  });

  it('a paused upload resumes after a page reload from the bytes the server holds; quarantined rows download; a load can be discarded', async () => {
    const page = await t.newPage();
    await signIn(page);
    // Slow each chunk down a little, as a real network would, so that the pause lands mid-file.
    await page.route('**/api/ingest/uploads/*/chunks*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    const offsets: number[] = [];
    page.on('request', (r) => {
      const m = /\/chunks\?offset=(\d+)$/.exec(r.url());
      if (m) offsets.push(Number(m[1]));
    });

    // One row with a NIR that is not one; the bad rows are set aside this time (quarantine).
    const big = beneficiariesCsv(600, 47);
    const csv = big.csv.replace(big.nirs[99]!, 'NIR-INCONNU-99');
    const size = Buffer.byteLength(csv);
    const file = writeFile('IR_BEN_R-big.csv', csv);
    const quarantine = () => page.locator('label', { hasText: 'Mettre les lignes en erreur de côté' }).click();
    await page.goto(`${t.baseUrl}/chargements`);
    await chooseTableAndFile(page, file);
    await quarantine();
    await page.getByRole('button', { name: 'Envoyer et vérifier' }).click();
    await expect.poll(async () => Number((await page.locator('#ingest-progress').getAttribute('value')) ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Mettre en pause' }).click();
    await page.getByRole('button', { name: 'Reprendre l’envoi' }).waitFor();
    const sentBeforeReload = Number(await page.locator('#ingest-progress').getAttribute('value'));
    expect(sentBeforeReload).toBeGreaterThan(0);
    expect(sentBeforeReload).toBeLessThan(size);
    await page.screenshot({ path: screenshotPath('ingest-paused.png'), fullPage: true });

    // A reload forgets everything but the upload's id, kept for this very file.
    await page.reload();
    offsets.length = 0;
    await chooseTableAndFile(page, file);
    await quarantine();
    await page.locator('#ingest-resume').waitFor();
    expect(await page.locator('#ingest-resume').textContent()).toContain(`${Math.floor((sentBeforeReload / size) * 100)} %`);
    await page.getByRole('button', { name: 'Reprendre l’envoi' }).click();
    await page.waitForURL(/\/chargements\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    expect(offsets[0]).toBe(sentBeforeReload);
    await page.locator('#ingest-counts').waitFor({ timeout: 60_000 });
    expect(await count(page, 'read')).toBe('600');
    expect(await count(page, 'valid')).toBe('599');
    expect(await count(page, 'rejected')).toBe('1');
    expect(await page.locator('#ingest-samples tbody tr').getAttribute('data-line')).toBe('101');
    expect(await page.locator('#ingest-samples tbody tr').getAttribute('data-rule')).toBe('nir_length');
    // The quarantined row, NIR masked, downloads as Parquet with the session.
    const download = page.getByRole('link', { name: 'Télécharger les 1 ligne(s) en quarantaine (Parquet)' });
    const href = (await download.getAttribute('href'))!;
    const parquet = await page.request.get(`${t.baseUrl}${href}`);
    expect(parquet.status()).toBe(200);
    expect(parquet.headers()['content-type']).toBe('application/vnd.apache.parquet');
    const bytes = await parquet.body();
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(bytes.includes(Buffer.from('NIR-INCONNU-99'))).toBe(false);
    await page.screenshot({ path: screenshotPath('ingest-report-quarantine.png'), fullPage: true });

    // This one is discarded instead: the lake keeps its one release.
    await page.getByRole('button', { name: 'Abandonner', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Abandonner ce chargement ?' });
    await dialog.getByRole('button', { name: 'Abandonner le chargement' }).click();
    await page.locator('.hdh-ingest-status', { hasText: 'Abandonné' }).waitFor();
    expect(t.hub.services.ingest['deps'].lake.listReleases(RELEASE)).toHaveLength(1);
    expect(t.problems).toEqual([]);
  });
});
