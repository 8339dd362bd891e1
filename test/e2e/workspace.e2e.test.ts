/**
 * Issue 7's "done when", in a real browser: a member of an active project logs in with TOTP,
 * opens the project's workspace, runs one of the benchmark queries unchanged (read from
 * ../shared/bench/queries and pasted into the editor), draws a chart from the result and saves
 * the program; a member of another project cannot see it (AUTH-12), neither in the browser nor
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
import { ensureDemoSyntheticRelease } from '../../src/synthetic/service.js';
import { TestClient, type TestHub } from '../support/hub.js';
import { act, Cast, fileFields, people } from '../support/projects.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const QUERY_FILE = path.resolve(repoRoot, '..', 'shared', 'bench', 'queries', 'gp_consultations.sql');
const PROGRAM = 'Consultations de médecine générale 2019';
const OUTSIDER = 'autre.chercheuse@recherche.example';

/** The columns the benchmark query reads, and a period covering its dates. */
const perimeter = {
  datasets: ['DCIR'],
  tables: [{ name: 'ER_PRS_F', columns: ['BEN_NIR_PSA', 'BEN_RNG_GEM', 'PRS_ACT_QTE', 'FLX_DIS_DTD', 'EXE_SOI_DTD', 'PRS_NAT_REF', 'PSE_SPE_COD', 'DPN_QLF', 'PRS_DPN_QLP', 'CPL_MAJ_TOP', 'CPL_AFF_COD'] }],
  period: { from: '2019-01-01', to: '2020-12-31' },
  population: { description: 'Bénéficiaires ayant consulté un médecin généraliste', inclusion: ['tous âges'], exclusion: [] },
  durationMonths: 24,
};

// The benchmark queries live outside the repository: skipped with a message when absent, except in CI.
const queryAvailable = fs.existsSync(QUERY_FILE) || process.env.CI === 'true';
if (!fs.existsSync(QUERY_FILE)) console.warn(`workspace journey: ${QUERY_FILE} not found${queryAvailable ? '' : ', skipped'}`);

const day = (from: Date, days: number) => utcDay(new Date(from.getTime() + days * 86_400_000));

describe.runIf(browserAvailability().run && queryAvailable)('workspace journey (browser)', () => {
  let t: BrowserHub;
  let cast: Cast;
  const outsider = { id: '', secret: '' };
  const projects = { ours: '', theirs: '' };

  /** Cast's logins, on the browser hub's app: same accounts, same clock. */
  function castHub(b: BrowserHub): TestHub {
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

  /** A project of the lead's, taken to active through the procedure, with one more member. */
  async function activeProject(title: string, memberId: string): Promise<string> {
    const now = t.clock.now();
    const lead = await cast.as('lead');
    const created = await lead.post('/api/projects', fileFields('cnil_authorisation', day(now, 900), { title }));
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect((await lead.request('PUT', `/api/projects/${id}/perimeter`, perimeter)).statusCode).toBe(201);
    for (const capacity of ['data_controller', 'research_lead']) {
      const r = await lead.post(`/api/projects/${id}/interests`, { personName: capacity, capacity, statement: 'Aucun lien d’intérêt.', signedOn: day(now, -1) });
      expect(r.statusCode, r.body).toBe(201);
    }
    const added = await lead.post(`/api/projects/${id}/members`, { userId: memberId, roleInProject: 'statisticien', endDate: day(now, 300) });
    expect(added.statusCode, added.body).toBe(201);
    expect((await act(lead, id, { action: 'submit' })).statusCode).toBe(200);
    const instructor = await cast.as('instructor');
    const today = day(t.clock.now(), 0);
    const steps: [typeof lead, Record<string, unknown>][] = [
      [instructor, { action: 'forward', reference: `CESREES-${title.length}` }],
      [instructor, { action: 'record_opinion', outcome: 'favourable', reference: 'AVIS-1', decidedOn: today }],
      [lead, { action: 'file_cnil' }],
      [instructor, { action: 'record_cnil_decision', outcome: 'authorised', number: 'DR-2026-777', decidedOn: today, authorisedEndDate: day(now, 800) }],
      [lead, { action: 'accept_convention' }],
      [instructor, { action: 'accept_convention' }],
      [instructor, { action: 'provision' }],
    ];
    for (const [who, body] of steps) {
      const r = await act(who, id, body);
      expect(r.statusCode, `${String(body.action)}: ${r.body}`).toBe(200);
    }
    return id;
  }

  /** Provisioning starts the extraction; the workspace opens when it ends. */
  async function waitOpen(id: string): Promise<void> {
    const member = await cast.as('member');
    await expect
      .poll(async () => (await member.get(`/api/projects/${id}/workspace`)).json<{ status: string }>().status, { timeout: 180_000, interval: 1000 })
      .toBe('open');
  }

  async function signIn(page: Page, email: string, totp: string, password = t.demo.password): Promise<void> {
    await login(page, t.baseUrl, email, password, totp);
    await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/charter');
    if (new URL(page.url()).pathname === '/charter') {
      await page.getByRole('button', { name: 'J’accepte' }).click();
      await page.waitForURL(`${t.baseUrl}/`);
    }
  }

  beforeAll(async () => {
    t = await startBrowserHub();
    expect((await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'))).loaded).toBe(true);
    // A small population over the query's years: quick to generate and to extract.
    await ensureDemoSyntheticRelease(t.hub.services.synthetic, { persons: 400, fromYear: 2019, toYear: 2020, seed: 7, chunkSize: 400, workers: 1 });
    // A researcher of another team, member of the other project only.
    await t.hub.database.db.transaction().execute(async (tx) => {
      const user = await t.hub.services.identity.createUser(systemActor('e2e'), { email: OUTSIDER, displayName: 'Nora Autre', roles: ['project_member'], endOfRights: day(t.clock.now(), 365), password: t.demo.password }, tx);
      outsider.id = user.id;
      outsider.secret = (await t.hub.services.auth.provisionTotp(tx, user.id)).secret;
    });
    cast = new Cast(castHub(t));
    projects.ours = await activeProject('Consultations en médecine générale', await cast.userId('member'));
    projects.theirs = await activeProject('Autre projet, autre équipe', outsider.id);
    await waitOpen(projects.ours);
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it('AUTH-03..05, AUTH-12, LOG-01: a member runs a benchmark query unchanged, draws a chart and saves the program; another project’s member cannot see it', async () => {
    const sql = fs.readFileSync(QUERY_FILE, 'utf8');
    const page = await t.newPage();
    await signIn(page, people.member, await t.nextTotp(people.member));

    // From the project page to its workspace.
    await page.goto(`${t.baseUrl}/projets/${projects.ours}`);
    await page.locator('#open-workspace').click();
    await page.waitForURL(`${t.baseUrl}/projets/${projects.ours}/espace`);
    await expect.poll(() => page.locator('#workspace-status').textContent()).toBe('Ouvert');
    expect(await page.locator('#extract-tables').textContent()).toContain('ER_PRS_F');
    await page.locator('.hdh-dictionary details[data-table=ER_PRS_F]').waitFor();

    // The query, pasted as is into the editor, run with Ctrl+Enter.
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.insertText(sql);
    await page.keyboard.press('Control+Enter');
    await page.locator('#result-summary').waitFor({ timeout: 60_000 });
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
    expect(history[0]).toMatchObject({ sql, status: 'done' });
    const programs = (await (await page.request.get(`${api}/programs`)).json()) as { id: string; name: string; latestVersion: number }[];
    const saved = programs.find((p) => p.name === PROGRAM)!;
    expect(saved.latestVersion).toBe(1);
    const program = (await (await page.request.get(`${api}/programs/${saved.id}`)).json()) as { versions: { sql: string }[] };
    expect(program.versions.map((v) => v.sql)).toEqual([sql]);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();

    // A member of the other project: refused in the browser and through the API.
    t.clock.advance(30_000);
    await signIn(page, OUTSIDER, await totpCode(outsider.secret, t.clock.now()));
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
  });
});
