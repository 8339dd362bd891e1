/**
 * Issue 8's "done when", in a real browser: a member of an active project runs a query in the
 * workspace returning a table with a cell of 4, asks for its release, sees the request
 * quarantined with the cell highlighted, applies the proposed suppression and submits again; two
 * output reviewers approve it, each from the queue, blind to the other's vote; the member
 * downloads the released file; the lead publishes it to the registry, whose public entry then
 * lists it. The security officer sees the alert raised by a download of an unreleased file (LOG-08).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/catalog/demo-catalogue.js';
import { repoRoot } from '../../src/main.js';
import { Cast, people } from '../support/projects.js';
import { activeProject, syntheticLake } from '../support/workspaces.js';
import { browserAvailability, castHub, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const REVIEWERS = ['relecteur1@hdh.example', 'relecteur2@hdh.example'] as const;
// A fixed table with its total: the synthetic population gives no guaranteed small count, and the
// journey is about the airlock. Suppressing the 4 alone would let it be recomputed from the total:
// the proposed fix hides a second cell (secondary suppression, SDC-03 / EXP-06).
const SQL = `WITH t(region, effectif) AS (VALUES ('Bretagne', 120), ('Corse', 4), ('Normandie', 85), ('Occitanie', 230))
SELECT region, effectif FROM (
  SELECT region, effectif, 0 AS marge FROM t
  UNION ALL SELECT 'Total', CAST(sum(effectif) AS INTEGER), 1 FROM t
) ORDER BY marge, region`;
const CONTEXT = 'Nombre de bénéficiaires ayant eu au moins une délivrance d’anticoagulant en 2019, par région de résidence ; population : adultes du SNDS synthétique ; comptage de personnes distinctes.';
const FILE = 'effectifs-par-region.csv';
const TITLE = 'Tableaux de l’article — version soumise';

describe.runIf(browserAvailability().run)('output airlock journey (browser)', () => {
  let t: BrowserHub;
  let cast: Cast;
  let project = { id: '', reference: '' };
  const accepted = new Set<string>([people.member, people.lead]);

  /** Password and TOTP; the charter on a first sign-in (AUTH-05). */
  async function signIn(page: Page, email: string): Promise<void> {
    await login(page, t.baseUrl, email, t.demo.password, await t.nextTotp(email));
    if (!accepted.has(email)) {
      await page.waitForURL(`${t.baseUrl}/charter`);
      await page.getByRole('button', { name: 'J’accepte' }).click();
      accepted.add(email);
    }
    await page.waitForURL(`${t.baseUrl}/`);
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();
  }

  const status = (page: Page) => page.locator('#request-status').textContent();

  beforeAll(async () => {
    t = await startBrowserHub();
    expect((await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'))).loaded).toBe(true);
    const hub = castHub(t);
    await syntheticLake(hub, 300);
    cast = new Cast(hub);
    project = await activeProject(hub, cast);
    const member = await cast.as('member');
    expect((await member.get(`/api/projects/${project.id}/workspace`)).json<{ status: string }>().status).toBe('open');
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it('EXP-05, EXP-06, EXP-08, SDC-01, SDC-03, SDC-10, PR-06: a cell of 4 is quarantined, suppressed, approved by two reviewers, downloaded and published', async () => {
    const page = await t.newPage();
    await signIn(page, people.member);

    // The workspace: a query whose result holds a count of 4.
    await page.goto(`${t.baseUrl}/projets/${project.id}/espace`);
    await expect.poll(() => page.locator('#workspace-status').textContent()).toBe('Ouvert');
    await page.locator('.cm-content').click();
    await page.keyboard.insertText(SQL);
    await page.locator('#run-query').click();
    await page.locator('#result-summary, #query-error, #query-refused').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('#query-error, #query-refused').allTextContents()).toEqual([]);
    expect(await page.locator('.hdh-result-table tbody').textContent()).toContain('Corse');
    // A bar chart of it, to leave with the table.
    await page.locator('#chart-x').selectOption('region');
    await page.getByRole('button', { name: 'Tracer' }).click();
    await page.locator('[data-testid=result-chart] canvas').waitFor();

    // "Demander la sortie de ce résultat": a new request, the file's name and its context.
    await page.getByRole('button', { name: 'Demander la sortie de ce résultat' }).click();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('release-title');
    await page.getByLabel('Nouvelle demande').check();
    await page.locator('#release-title-input').fill(TITLE);
    await page.locator('#release-file-name').fill(FILE);
    // The context is required, with a minimum length: a short one keeps the button disabled.
    await page.locator('#release-context').fill('Trop court');
    expect(await page.locator('#release-submit').isDisabled()).toBe(true);
    await page.locator('#release-context').fill(CONTEXT);
    await page.locator('#release-form label', { hasText: 'SVG' }).click();
    await page.locator('#release-submit').click();

    // Step 2: the roles the server inferred; the count column is a count.
    await page.locator('#release-created').waitFor();
    const role = page.locator('#release-roles tr[data-column=effectif] select');
    if ((await role.inputValue()) !== 'count') {
      await role.selectOption('count');
      await page.locator('#release-save-roles').click();
      await page.locator('#release-roles-saved').waitFor();
    }
    expect(await page.locator('#release-roles tr[data-column=region] select').inputValue()).toBe('dimension');
    await page.screenshot({ path: screenshotPath('airlock-release-form.png'), fullPage: true });
    await page.locator('#release-open-request').click();
    await page.waitForURL(/\/projets\/[^/]+\/sorties\/[^/]+$/);
    const requestUrl = page.url();
    const requestId = requestUrl.split('/').at(-1)!;

    // The cell of 4 is flagged by a class and a text marker (not colour alone), with its finding listed.
    const flagged = page.locator('#file-0 .hdh-sdc-grid td[data-flag=fail]');
    await flagged.first().waitFor();
    expect(await flagged.count()).toBe(1);
    expect(await flagged.textContent()).toMatch(/^4✖\d/);
    expect(await flagged.getAttribute('class')).toContain('hdh-sdc-cell--fail');
    expect(await flagged.locator('a').getAttribute('aria-label')).toContain('SDC-01');
    expect(await page.locator('#file-0-findings tr[data-rule=SDC-01][data-verdict=fail]').count()).toBe(1);
    expect(await page.locator('.hdh-sdc-legend').textContent()).toContain('case non conforme');
    expect(await page.locator('#file-0-readable').textContent()).toContain('SDC-01');
    // The marker is a link: from the keyboard it leads to its finding.
    await flagged.locator('a').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe('#file-0-finding-1');
    // The chart went with it, shown only once released.
    expect(await page.locator('#file-0').textContent()).toContain('effectifs-par-region.svg');

    // Submitted as it is: quarantined, the cell still highlighted.
    await page.locator('#submit-request').click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe('En quarantaine');
    await page.locator('#override-form').waitFor();
    await page.screenshot({ path: screenshotPath('airlock-quarantined.png'), fullPage: true });

    // The proposed suppression: a new version where the 4 reads as suppressed, checked again.
    await page.locator('#file-0-suppress').click();
    await page.locator('#file-0-fixed').waitFor();
    await expect.poll(() => page.locator('#file-0 .hdh-sdc-grid td.hdh-sdc-cell--suppressed').count()).toBe(2);
    expect(await page.locator('#file-0 .hdh-sdc-grid td[data-flag=fail]').count()).toBe(0);
    expect(await page.locator('#file-0 .hdh-sdc-grid tbody').textContent()).not.toMatch(/Corse4/);
    expect(await page.locator('#file-0-version option').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('airlock-suppressed.png'), fullPage: true });
    await page.locator('#submit-request').click();
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe('En relecture');
    // Nothing to download before release.
    expect(await page.locator('#file-0-download').count()).toBe(0);
    await signOut(page);

    // Two reviewers, each from the queue; the first one's vote is hidden from the second.
    for (const [i, reviewer] of REVIEWERS.entries()) {
      await signIn(page, reviewer);
      await page.getByRole('link', { name: 'Relecture des sorties' }).click();
      await page.waitForURL(`${t.baseUrl}/relecture`);
      const row = page.locator(`#review-queue tr[data-request="${requestId}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain(project.reference);
      await row.getByRole('link').click();
      await page.locator('#vote-form').waitFor();
      // Side by side: the grid with the suppressed cell beside the report.
      await page.locator('#file-0 .hdh-sdc-side-by-side .hdh-sdc-grid').waitFor();
      await page.locator('#earlier-title').waitFor();
      if (i === 1) expect(await page.locator('#votes li[data-decision=hidden]').count()).toBe(1);
      await page.locator('#vote-form label', { hasText: 'Approuver' }).click();
      await page.locator('#vote-comment').fill('Tableau agrégé, case en dessous du seuil supprimée.');
      if (i === 0) await page.screenshot({ path: screenshotPath('airlock-review.png'), fullPage: true });
      await page.locator('#vote-submit').click();
      await page.locator('#vote-form').waitFor({ state: 'detached' });
      await signOut(page);
    }

    // The member downloads the released file: the suppressed cell, never the 4.
    await signIn(page, people.member);
    await page.goto(requestUrl);
    await expect.poll(() => status(page)).toBe('Sortie autorisée');
    expect(await page.locator('#votes li[data-decision=approve]').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#file-0-download').click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv).toMatch(/Bretagne,120/);
    expect(csv).toMatch(/Corse,s\b/);
    expect(csv).toMatch(/Total,439/);
    expect(csv).not.toMatch(/Corse,4\b/);
    expect(await page.locator('[data-testid=file-sha256] code').textContent()).toMatch(/^[0-9a-f]{64}$/);
    const chart = page.locator('#file-0 img.hdh-sdc-chart-preview');
    await chart.waitFor();
    await expect.poll(() => chart.evaluate((img) => ('naturalWidth' in img ? Number(img.naturalWidth) : 0))).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('airlock-released.png'), fullPage: true });
    await signOut(page);

    // The lead publishes it to the project's registry entry.
    await signIn(page, people.lead);
    await page.goto(requestUrl);
    await page.locator('#publish-form').waitFor();
    await page.locator('#publish-submit').click();
    await page.locator('#publish-done').waitFor();
    await signOut(page);

    // Anyone reads the entry and downloads the published result.
    await page.goto(`${t.baseUrl}/registre?q=${encodeURIComponent(project.reference)}`);
    const entry = page.locator(`[data-reference="${project.reference}"]`);
    await entry.waitFor();
    const link = entry.locator('.hdh-registry-released a', { hasText: FILE });
    await link.waitFor();
    expect(await entry.textContent()).toContain(CONTEXT);
    const published = await page.request.get(`${t.baseUrl}${await link.getAttribute('href')}`);
    expect(published.status()).toBe(200);
    expect(await published.text()).toBe(csv);
    await page.screenshot({ path: screenshotPath('airlock-registry.png'), fullPage: true });
    expect(t.problems).toEqual([]);
  }, 300_000);

  it('LOG-08: a download of an unreleased file is refused and the security officer sees the alert', async () => {
    const member = await cast.as('member');
    const created = await member.post(`/api/projects/${project.id}/outputs`, { title: 'Brouillon non relu' });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json<{ id: string }>();
    const file = await member.post(`/api/projects/${project.id}/outputs/${draft.id}/files`, {
      name: 'brouillon.csv',
      context: 'Effectifs par sexe, pour vérification interne avant soumission.',
      source: { kind: 'csv', content: 'sexe,effectif\nF,150\nM,140\n' },
    });
    expect(file.statusCode, file.body).toBe(201);
    const refused = await member.get(`/api/projects/${project.id}/outputs/${draft.id}/files/${file.json<{ id: string }>().id}/download`);
    expect(refused.statusCode).toBe(403);

    const page = await t.newPage();
    await signIn(page, people.security);
    await page.getByRole('link', { name: 'Alertes' }).click();
    await page.waitForURL(`${t.baseUrl}/alertes`);
    const alert = page.locator('#alerts tr[data-rule=unreleased_download]');
    await alert.first().waitFor();
    expect(await alert.first().textContent()).toContain('Téléchargement d’un fichier non sorti');
    await page.screenshot({ path: screenshotPath('airlock-alerts.png'), fullPage: true });
    expect(t.problems).toEqual([]);
  }, 120_000);

  it('SDC-01, SDC-08: an administrator raises the hub threshold and sets a rounding base for one dataset', async () => {
    const page = await t.newPage();
    await signIn(page, people.admin);
    await page.getByRole('link', { name: 'Sas de sortie', exact: true }).click();
    await page.waitForURL(`${t.baseUrl}/admin/sas`);
    await page.locator('#hub-settings-threshold').fill('11');
    await page.locator('#hub-settings-save').click();
    await page.locator('#hub-settings-saved').waitFor();
    // A dataset of the catalogue gets its own rounding base; empty fields keep the hub's values.
    const slug = (await page.locator('#add-dataset option').nth(1).getAttribute('value'))!;
    await page.locator('#add-dataset').selectOption(slug);
    await page.locator('#new-override-roundingBase').fill('5');
    await page.locator('#new-override-save').click();
    await page.locator(`[data-dataset="${slug}"]`).waitFor();
    expect(await page.locator(`#ds-${slug}-roundingBase`).inputValue()).toBe('5');
    // A bad dominance line is located before anything is sent.
    await page.locator('#hub-settings-dominance').fill('1, 85\n3, 95');
    await page.locator('#hub-settings-save').click();
    expect(await page.locator('#hub-settings').textContent()).toContain('Ligne(s) invalide(s) : 2.');
    await page.screenshot({ path: screenshotPath('airlock-settings.png'), fullPage: true });

    const settings = (await (await page.request.get(`${t.baseUrl}/api/airlock/settings`)).json()) as { hub: { threshold: number; dominance: unknown[] }; datasets: { dataset: string; overrides: object }[] };
    expect(settings.hub.threshold).toBe(11);
    expect(settings.hub.dominance).toHaveLength(2);
    expect(settings.datasets).toEqual([{ dataset: slug, overrides: { roundingBase: 5 } }]);
    expect(t.problems).toEqual([]);
  }, 120_000);
});
