/**
 * Issue 7's "done when", in a real browser: a member of an active project logs in with TOTP,
 * opens the project’s workspace, cancels a query too long to wait for, runs one of the
 * benchmark queries unchanged (read from ../shared/bench/queries and pasted into the editor),
 * draws a chart from the result and saves the program; a member of another project cannot see it (AUTH-12), neither in the browser nor
 * through the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/catalog/demo-catalogue.js';
import { totpCode } from '../../src/identity/totp.js';
import { repoRoot } from '../../src/main.js';
import { systemActor } from '../../src/platform/actor.js';
import { utcDay } from '../../src/platform/clock.js';
import { Cast, people } from '../support/projects.js';
import { activeProject, syntheticLake } from '../support/workspaces.js';
import { browserAvailability, castHub, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const QUERY_FILE = path.resolve(repoRoot, '..', 'shared', 'bench', 'queries', 'gp_consultations.sql');
const PROGRAM = 'Consultations de médecine générale 2019';
const OUTSIDER = 'autre.chercheuse@recherche.example';

// The benchmark queries live outside the repository: skipped with a message when absent, except in CI.
const queryAvailable = fs.existsSync(QUERY_FILE) || process.env.CI === 'true';
if (!fs.existsSync(QUERY_FILE)) console.warn(`workspace journey: ${QUERY_FILE} not found${queryAvailable ? '' : ', skipped'}`);

const day = (from: Date, days: number) => utcDay(new Date(from.getTime() + days * 86_400_000));

describe.runIf(browserAvailability().run && queryAvailable)('workspace journey (browser)', () => {
  let t: BrowserHub;
  let cast: Cast;
  const outsider = { id: '', secret: '' };
  const projects = { ours: '', theirs: '' };

  /** Provisioning delivered the extract; the workspace is open for the member. */
  async function expectOpen(id: string): Promise<void> {
    const member = await cast.as('member');
    expect((await member.get(`/api/projects/${id}/workspace`)).json<{ status: string }>().status).toBe('open');
  }

  /** Signs in with password and TOTP; `charter`: a first sign-in, the user charter comes first (AUTH-05). */
  async function signIn(page: Page, email: string, totp: string, charter: boolean): Promise<void> {
    await login(page, t.baseUrl, email, t.demo.password, totp);
    if (charter) {
      await page.waitForURL(`${t.baseUrl}/charter`);
      await page.getByRole('button', { name: 'J’accepte' }).click();
    }
    await page.waitForURL(`${t.baseUrl}/`);
  }

  beforeAll(async () => {
    t = await startBrowserHub();
    expect((await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'))).loaded).toBe(true);
    // A small population over the query's years: quick to generate and to extract.
    const hub = castHub(t);
    await syntheticLake(hub, 400);
    // A researcher of another team, member of the other project only.
    await t.hub.database.db.transaction().execute(async (tx) => {
      const user = await t.hub.services.identity.createUser(systemActor('e2e'), { email: OUTSIDER, displayName: 'Nora Autre', roles: ['project_member'], endOfRights: day(t.clock.now(), 365), password: t.demo.password }, tx);
      outsider.id = user.id;
      outsider.secret = (await t.hub.services.auth.provisionTotp(tx, user.id)).secret;
    });
    cast = new Cast(hub);
    // The SNDS core perimeter holds every column of the benchmark query (ER_PRS_F).
    projects.ours = (await activeProject(hub, cast)).id;
    projects.theirs = (await activeProject(hub, cast)).id;
    const added = await (await cast.as('lead')).post(`/api/projects/${projects.theirs}/members`, { userId: outsider.id, roleInProject: 'statisticienne', endDate: '2027-06-30' });
    expect(added.statusCode, added.body).toBe(201);
    await expectOpen(projects.ours);
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it('AUTH-03..05, AUTH-12, LOG-01: a member runs a benchmark query unchanged, draws a chart and saves the program; another project’s member cannot see it', async () => {
    const sql = fs.readFileSync(QUERY_FILE, 'utf8');
    const page = await t.newPage();
    // The member accepted the charter through the API (Cast).
    await signIn(page, people.member, await t.nextTotp(people.member), false);

    // From the project page to its workspace.
    await page.goto(`${t.baseUrl}/projets/${projects.ours}`);
    await page.locator('#open-workspace').click();
    await page.waitForURL(`${t.baseUrl}/projets/${projects.ours}/espace`);
    await expect.poll(() => page.locator('#workspace-status').textContent()).toBe('Ouvert');
    expect(await page.locator('#extract-tables').textContent()).toContain('ER_PRS_F');
    await page.locator('.hdh-dictionary details[data-table=ER_PRS_F]').waitFor();

    // A query too long to wait for shows its progress and is cancelled.
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.insertText('SELECT count(*) FROM ER_PRS_F a, ER_PRS_F b, ER_PRS_F c, ER_PRS_F d');
    await page.locator('#run-query').click();
    await page.locator('#query-progress').waitFor();
    await page.locator('#cancel-query').click();
    await page.locator('#query-cancelled').waitFor({ timeout: 30_000 });

    // The benchmark query, pasted as is into the editor (replacing its text), run with Ctrl+Enter.
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(sql);
    await page.keyboard.press('Control+Enter');
    // The engine may still be stopping the cancelled query on a loaded machine: wait for an outcome.
    await page.locator('#result-summary, #query-error, #query-refused').first().waitFor({ timeout: 120_000 });
    expect(await page.locator('#query-error, #query-refused').allTextContents()).toEqual([]);
    expect(await page.locator('#result-summary').textContent()).toMatch(/ligne\(s\) en \d+ ms/);
    const rows = await page.locator('.hdh-result-table tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(await page.locator('.hdh-result-table thead').textContent()).toContain('n_consultations');
    // No way out for the data: no download link, no export button on the page.
    expect(await page.locator('a[download], a[href*="/rows"]').count()).toBe(0);

    // A histogram of the consultations per patient.
    await page.locator('#chart-kind').selectOption('histogram');
    await page.locator('#chart-x').selectOption('n_consultations');
    await page.getByRole('button', { name: 'Tracer' }).click();
    await page.locator('[data-testid=result-chart] canvas').waitFor();
    expect(await page.locator('#chart-summary').textContent()).toMatch(/point\(s\) tracé\(s\)/);
    await page.screenshot({ path: screenshotPath('workspace-result.png'), fullPage: true });

    // Saved as a program of the project.
    await page.locator('#program-name').fill(PROGRAM);
    await page.locator('#save-program-form button[type=submit]').click();
    await page.locator('#program-saved').waitFor();
    await page.getByRole('tab', { name: 'Programmes du projet' }).click();
    await page.locator('#program-list li', { hasText: PROGRAM }).waitFor();
    await page.getByRole('tab', { name: 'Historique' }).click();
    await page.locator('#query-history li').first().waitFor();

    // What the server kept: the query and the program, word for word.
    const api = `${t.baseUrl}/api/projects/${projects.ours}/workspace`;
    const history = (await (await page.request.get(`${api}/history`)).json()) as { sql: string; status: string }[];
    expect(history.find((q) => q.sql === sql)).toMatchObject({ status: 'done' });
    expect(history.find((q) => q.sql.includes('ER_PRS_F d'))).toMatchObject({ status: 'cancelled' });
    const programs = (await (await page.request.get(`${api}/programs`)).json()) as { id: string; name: string; latestVersion: number }[];
    const saved = programs.find((p) => p.name === PROGRAM)!;
    expect(saved.latestVersion).toBe(1);
    const program = (await (await page.request.get(`${api}/programs/${saved.id}`)).json()) as { versions: { sql: string }[] };
    expect(program.versions.map((v) => v.sql)).toEqual([sql]);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();

    // A member of the other project: refused in the browser and through the API.
    t.clock.advance(30_000);
    await signIn(page, OUTSIDER, await totpCode(outsider.secret, t.clock.now()), true);
    await page.goto(`${t.baseUrl}/projets/${projects.ours}/espace`);
    await page.locator('.fr-alert--error').waitFor();
    expect(await page.locator('.cm-content').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(PROGRAM);
    await page.screenshot({ path: screenshotPath('workspace-refused.png'), fullPage: true });
    for (const url of [`${api}`, `${api}/programs`, `${api}/programs/${saved.id}`, `${api}/history`]) {
      expect([403, 404], url).toContain((await page.request.get(url)).status());
    }
    // Their own workspace does not list it either.
    const theirs = await page.request.get(`${t.baseUrl}/api/projects/${projects.theirs}/workspace/programs`);
    if (theirs.status() === 200) expect(JSON.stringify(await theirs.json())).not.toContain(PROGRAM);
    expect(t.problems).toEqual([]);
  }, 240_000);
  it('programs, versions and jobs shared within the project; a catalogue program copied in; a personal API token created once and revoked', async () => {
    // A program shared in the catalogue, to copy into the workspace.
    const code = 'SELECT PRS_NAT_REF, count(*) AS n FROM ER_PRS_F GROUP BY 1 ORDER BY 1';
    const shared = await (await cast.as('lead')).post('/api/catalog/programs', { slug: 'prestations-par-nature', title: 'Prestations par nature', description: 'Compte les prestations par nature.', tables: ['ER_PRS_F'], code });
    expect(shared.statusCode, shared.body).toBe(201);
    const page = await t.newPage();
    await signIn(page, people.member, await t.nextTotp(people.member), false);
    await page.goto(`${t.baseUrl}/projets/${projects.ours}/espace`);

    // The saved program opens in the editor; an edit is saved as version 2 with a comment.
    await page.getByRole('tab', { name: 'Programmes du projet' }).click();
    await page.locator('#program-list li', { hasText: PROGRAM }).getByRole('button', { name: 'Ouvrir dans l’éditeur' }).click();
    await page.locator('#loaded-program', { hasText: 'version 1' }).waitFor();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n-- relu');
    await page.locator('#version-comment').fill('Relecture');
    await page.locator('#save-version-form button[type=submit]').click();
    await page.locator('#program-saved', { hasText: 'version 2' }).waitFor();
    await page.getByRole('link', { name: 'Voir ses versions' }).click();
    await page.getByRole('link', { name: 'Différences avec la version 1' }).click();
    expect((await page.locator('.hdh-diff-add').allTextContents()).map((line) => line.trim())).toContain('+-- relu');
    expect(await page.locator('.hdh-versions').textContent()).toContain('Relecture');
    await page.screenshot({ path: screenshotPath('workspace-program.png'), fullPage: true });

    // Copy of the catalogue's program, then run as a job.
    await page.getByRole('link', { name: 'Espace de travail' }).click();
    await page.getByRole('tab', { name: 'Programmes du projet' }).click();
    await page.locator('#import-search').fill('nature');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.getByRole('button', { name: 'Copier dans l’espace' }).click();
    await page.locator('#loaded-program', { hasText: 'Prestations par nature' }).waitFor();
    await page.locator('#program-list li', { hasText: 'copié du catalogue (prestations-par-nature, v1)' }).waitFor();
    await page.locator('#program-list li', { hasText: 'Prestations par nature' }).getByRole('button', { name: 'Lancer en traitement' }).click();
    await page.getByRole('button', { name: 'Lancer le traitement' }).click();
    await page.locator('#job-list li', { hasText: 'Terminé' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('workspace-jobs.png'), fullPage: true });

    // A personal token: shown once, listed without its value, revoked.
    await page.getByRole('link', { name: 'Jetons d’accès personnels' }).first().click();
    await page.waitForURL(`${t.baseUrl}/jetons`);
    await page.locator('#token-label').fill('Script de nuit');
    await page.getByRole('button', { name: 'Créer le jeton' }).click();
    const token = await page.locator('#token-value').inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.locator('#token-list tr', { hasText: 'Script de nuit' }).waitFor();
    expect(await page.locator('#token-list').textContent()).not.toContain(token);
    // The token works for the jobs API, and only there.
    const jobs = await page.request.get(`${t.baseUrl}/api/projects/${projects.ours}/workspace/jobs`, { headers: { Authorization: `Bearer ${token}` } });
    expect(jobs.status()).toBe(200);
    page.once('dialog', (d) => void d.accept());
    await page.locator('#token-list tr', { hasText: 'Script de nuit' }).getByRole('button', { name: 'Révoquer' }).click();
    await expect.poll(async () => (await page.request.get(`${t.baseUrl}/api/projects/${projects.ours}/workspace/jobs`, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
    await page.screenshot({ path: screenshotPath('workspace-tokens.png'), fullPage: true });
    expect(t.problems).toEqual([]);
  }, 240_000);
  it('DP-13, AUTH-03: past the project’s end date the workspace is closed to all and its lead reads the deletion certificate', async () => {
    t.clock.set(new Date('2027-07-02T08:00:00Z'));
    const { closed } = await t.hub.services.workspaces.hourly();
    expect(closed).toContain(projects.ours);
    const page = await t.newPage();
    await signIn(page, people.lead, await t.nextTotp(people.lead), false);
    await page.goto(`${t.baseUrl}/projets/${projects.ours}/espace`);
    await page.locator('.fr-alert--error').waitFor();
    await page.locator('#deletion-certificate').waitFor();
    expect(await page.locator('#deletion-certificate').textContent()).toMatch(/v1 : \d+ table\(s\)/);
    // Closed: no editor, nothing to run.
    expect(await page.locator('.cm-content').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('workspace-closed.png'), fullPage: true });
    expect(t.problems).toEqual([]);
  }, 120_000);
});
