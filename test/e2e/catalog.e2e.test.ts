/**
 * The catalogue in a real browser: a visitor (no sign-in) searches "deces", narrows to tables,
 * opens the CépiDc table KI_CCI_R with its synthetic sample, follows a join in the graph to
 * another table, opens a nomenclature from a variable; then a researcher proposes a
 * documentation change, the hub instructor approves it, and the visitor reads the published text.
 */
import path from 'node:path';
import type { Core, Position } from 'cytoscape';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/catalog/demo-catalogue.js';
import { repoRoot } from '../../src/main.js';
import { systemActor } from '../../src/platform/actor.js';
import { ensureDemoSyntheticRelease } from '../../src/synthetic/service.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const RESEARCHER = 'chercheur@recherche.example';
const INSTRUCTOR = 'instructeur@hdh.example';
const DOC_TEXT = 'Table alimentée par le CépiDc : une ligne par décès certifié.';

describe.runIf(browserAvailability().run)('catalogue journey (browser)', () => {
  let t: BrowserHub;
  beforeAll(async () => {
    t = await startBrowserHub();
    const loaded = await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'));
    expect(loaded.loaded).toBe(true);
    // A small synthetic population: enough rows for the sample, quick to generate.
    await ensureDemoSyntheticRelease(t.hub.services.synthetic, { persons: 300, fromYear: 2020, toYear: 2021, seed: 11, chunkSize: 300, workers: 1 });
    // A shared program on the CépiDc tables, with a second version.
    const programs = t.hub.services.catalog.programs;
    const code = 'SELECT DCD_CIM_COD, count(*) AS n FROM KI_CCI_R GROUP BY 1';
    await programs.create(systemActor('e2e'), { slug: 'deces-par-cause', title: 'Décès par cause initiale', description: 'Compte les décès par **cause initiale** (CIM-10).', language: 'sql', licence: 'MPL-2.0', tables: ['KI_CCI_R'], code });
    await programs.addVersion(systemActor('e2e'), 'deces-par-cause', { code: `${code} ORDER BY n DESC`, note: 'tri par effectif' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('CAT: a visitor searches, opens a CépiDc table and its sample, follows a join in the graph, opens a nomenclature', async () => {
    const page = await t.newPage();
    await page.goto(`${t.baseUrl}/`);
    // The catalogue is in everyone's menu, signed in or not.
    await page.getByRole('link', { name: 'Catalogue', exact: true }).first().click();
    await page.waitForURL(`${t.baseUrl}/catalogue`);

    // As-you-type: the URL follows the box (shareable), results come with marked matches.
    await page.locator('input[name=q]').pressSequentially('deces', { delay: 30 });
    await page.waitForURL(/\/catalogue\?q=deces$/);
    await page.locator('.hdh-hits li').first().waitFor();
    expect(await page.locator('.hdh-hits mark').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#catalog-search-status').textContent()).toMatch(/résultat\(s\) pour « deces »/);

    await page.screenshot({ path: screenshotPath('catalog-search-all.png'), fullPage: true });

    // Facet: only tables; the filter is in the URL too.
    await page.locator('fieldset', { hasText: 'Type' }).getByText(/^Table \(\d+\)$/).click();
    await page.waitForURL(/kind=table/);
    await expect.poll(async () => (await page.locator('.hdh-hits li').allTextContents()).every((x) => x.startsWith('Table'))).toBe(true);
    const cepidc = page.locator('.hdh-hits a[href="/catalogue/tables/KI_CCI_R"]');
    await cepidc.waitFor();
    await page.screenshot({ path: screenshotPath('catalog-search.png'), fullPage: true });
    // A shared link restores the same state.
    const shared = page.url();
    const other = await t.context.newPage();
    await other.goto(shared);
    await other.locator('.hdh-hits a[href="/catalogue/tables/KI_CCI_R"]').waitFor();
    expect(await other.locator('fieldset', { hasText: 'Type' }).locator('input:checked').count()).toBe(1);
    await other.close();

    // Table page: variables with nomenclature links and sensitivity, the synthetic sample, downloads.
    await cepidc.click();
    await page.waitForURL(`${t.baseUrl}/catalogue/tables/KI_CCI_R`);
    await expect.poll(() => page.locator('main h1').textContent()).toContain('KI_CCI_R');
    const cause = page.locator('.hdh-variables tr', { hasText: 'DCD_CIM_COD' });
    await cause.waitFor();
    expect(await cause.locator('a[href="/catalogue/nomenclatures/IR_CIM_V"]').count()).toBe(1);
    expect(await cause.textContent()).toContain('Donnée de santé');
    await page.locator('.hdh-sample tbody tr').first().waitFor();
    expect(await page.locator('.hdh-sample tbody tr').count()).toBeGreaterThan(0);
    const csv = page.getByRole('link', { name: 'Télécharger en CSV' });
    expect(await csv.getAttribute('href')).toMatch(/^\/api\/synthetic\/releases\/[a-z0-9-]+\/\d+\/tables\/KI_CCI_R\/download\?format=csv$/);
    const download = await page.request.get(`${t.baseUrl}${await csv.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect((await download.text()).split('\n')[0]).toContain('DCD_CIM_COD');
    expect(await page.getByRole('link', { name: 'Schéma Frictionless (JSON)' }).getAttribute('href')).toBe('/api/catalog/tables/KI_CCI_R/table-schema.json');
    await page.screenshot({ path: screenshotPath('catalog-table.png'), fullPage: true });

    // Graph (cytoscape, lazy-loaded under the CSP): pick the join to the beneficiaries' table.
    await page.getByRole('link', { name: 'Graphe des jointures' }).first().click();
    await page.waitForURL(/\/catalogue\/graph\?dataset=/);
    await page.locator('.hdh-graph[data-ready=true] canvas').first().waitFor();
    // A real tap on the edge's midpoint in the canvas (cytoscape keeps its instance on the container).
    await tapGraph(page, { edge: ['KI_CCI_R', 'IR_BEN_R'] }, /edge=/);
    const panel = page.getByTestId('edge-panel');
    await expect.poll(() => panel.textContent()).toContain('BEN_IDT_ANO');
    await page.screenshot({ path: screenshotPath('catalog-graph.png'), fullPage: true });
    // The same joins as a list, for keyboard users.
    await page.getByRole('button', { name: /Liste des jointures/ }).click();
    expect(await page.getByRole('button', { name: /^KI_CCI_R → IR_BEN_R/ }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: /^KI_ECD_R → IR_BEN_R/ }).click();
    await expect.poll(() => panel.textContent()).toContain('KI_ECD_R');
    // A tap on a table opens it.
    await tapGraph(page, { node: 'KI_ECD_R' }, `${t.baseUrl}/catalogue/tables/KI_ECD_R`);
    await page.goBack();
    await page.locator('.hdh-graph[data-ready=true] canvas').first().waitFor();
    await panel.getByRole('link', { name: 'IR_BEN_R' }).click();
    await page.waitForURL(`${t.baseUrl}/catalogue/tables/IR_BEN_R`);
    await expect.poll(() => page.locator('main h1').textContent()).toContain('IR_BEN_R');

    // From a variable to its nomenclature, searched and paged by the server.
    await page.locator('.hdh-variables a[href="/catalogue/tables/IR_BEN_R/variables/BEN_SEX_COD"]').click();
    await page.waitForURL(/\/variables\/BEN_SEX_COD$/);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('BEN_SEX_COD');
    await page.locator('main a[href="/catalogue/nomenclatures/IR_SEX_V"]').first().click();
    await page.waitForURL(`${t.baseUrl}/catalogue/nomenclatures/IR_SEX_V`);
    await page.locator('.hdh-codes tbody tr').first().waitFor();
    await page.locator('input[name=q]').fill('1');
    await page.waitForURL(/q=1/);
    await expect.poll(async () => (await page.locator('.hdh-codes tbody tr').allTextContents()).every((r) => r.startsWith('1'))).toBe(true);
    await page.screenshot({ path: screenshotPath('catalog-nomenclature.png'), fullPage: true });

    // Server-side paging through a longer nomenclature; a new search starts again at page one.
    await page.goto(`${t.baseUrl}/catalogue/nomenclatures/FINESS_DEMO`);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Codes 1 à 50 sur \d{3}$/);
    const firstPage = await page.locator('.hdh-codes tbody tr').first().textContent();
    await page.getByRole('button', { name: /Suivants/ }).click();
    await page.waitForURL(/offset=50/);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Codes 51 à 100 sur/);
    expect(await page.locator('.hdh-codes tbody tr').count()).toBe(50);
    expect(await page.locator('.hdh-codes tbody tr').first().textContent()).not.toBe(firstPage);
    await page.locator('input[name=q]').fill('0');
    await expect.poll(() => new URL(page.url()).searchParams.get('offset')).toBeNull();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Codes 1 à/);

    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('CAT: a researcher proposes a documentation change, the hub instructor approves it, a visitor reads it', async () => {
    const page = await t.newPage();
    // Researcher: signs in (password + TOTP), accepts the charter, proposes.
    await login(page, t.baseUrl, RESEARCHER, t.demo.password, await t.nextTotp(RESEARCHER));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await page.goto(`${t.baseUrl}/catalogue/tables/KI_CCI_R`);
    await page.getByRole('button', { name: 'Proposer une modification' }).click();
    await page.locator('input[name=title]').fill('Présentation de KI_CCI_R');
    await page.locator('textarea[name=body]').fill(`## Origine\n\n${DOC_TEXT}\n\n<script>alert(1)</script>`);
    await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await page.getByText('Proposition envoyée').waitFor();
    // Not published yet: still pending.
    await page.getByText('1 proposition(s) en attente').waitFor();
    expect(await page.locator('.hdh-doc h3').count()).toBe(0);
    // The researcher also shares a program on the table (the table comes from the page's filter).
    await page.goto(`${t.baseUrl}/catalogue/programs?table=KI_CCI_R`);
    await page.getByRole('button', { name: 'Partager un programme' }).click();
    await page.locator('input[name=title]').fill('Décès par département');
    await page.locator('input[name=slug]').fill('deces-par-departement');
    expect(await page.locator('input[name=tables]').inputValue()).toBe('KI_CCI_R');
    await page.locator('textarea[name=description]').fill('Compte les décès par département de décès.');
    await page.locator('textarea[name=code]').fill('SELECT DCD_DPT_COD, count(*) FROM KI_CCI_R GROUP BY 1');
    await page.getByRole('button', { name: 'Partager', exact: true }).click();
    await page.waitForURL(`${t.baseUrl}/catalogue/programs/deces-par-departement`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Décès par département');
    expect(await page.locator('main').textContent()).toContain(RESEARCHER);

    // A researcher is no approver: no proposals menu.
    expect(await page.getByRole('link', { name: 'Propositions de documentation' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();

    // Hub instructor: the proposals list, the diff, approve.
    await login(page, t.baseUrl, INSTRUCTOR, t.demo.password, await t.nextTotp(INSTRUCTOR));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await page.getByRole('link', { name: 'Propositions de documentation' }).click();
    await page.waitForURL(`${t.baseUrl}/catalogue/proposals`);
    const proposal = page.locator('.hdh-panel', { hasText: 'Présentation de KI_CCI_R' });
    await proposal.waitFor();
    expect(await proposal.locator('.hdh-diff-add').filter({ hasText: DOC_TEXT }).count()).toBe(1);
    expect(await proposal.textContent()).toContain(RESEARCHER);
    await page.screenshot({ path: screenshotPath('catalog-proposals.png'), fullPage: true });
    await proposal.getByRole('button', { name: 'Approuver et publier' }).click();
    await page.getByText('Aucune proposition en attente.').waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();

    // Visitor: the published text, rendered as markdown with HTML left inert.
    await page.goto(`${t.baseUrl}/catalogue/tables/KI_CCI_R`);
    const doc = page.locator('.hdh-doc');
    await doc.locator('h3', { hasText: 'Présentation de KI_CCI_R' }).waitFor();
    await expect.poll(() => doc.locator('.hdh-markdown p').first().textContent()).toBe(DOC_TEXT);
    expect(await doc.locator('.hdh-markdown h2').textContent()).toBe('Origine');
    expect(await doc.locator('script').count()).toBe(0);
    expect(await doc.textContent()).toContain('<script>alert(1)</script>');
    expect(await page.getByText('Connectez-vous pour proposer').count()).toBe(1);
    await doc.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('catalog-doc-published.png'), fullPage: true });

    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('CAT: dataset page with HealthDCAT exports and tables, variable usage, English UI; an administrator generates a synthetic release', async () => {
    const page = await t.newPage();
    await page.goto(`${t.baseUrl}/catalogue`);
    // With no query, the datasets are the way in.
    await page.getByRole('link', { name: 'Causes médicales de décès' }).click();
    await page.waitForURL(`${t.baseUrl}/catalogue/datasets/cepidc-causes-deces`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Causes médicales de décès');
    const jsonld = await page.getByRole('link', { name: 'JSON-LD (DCAT-AP)' }).getAttribute('href');
    expect(jsonld).toBe('/api/catalog/datasets/cepidc-causes-deces.jsonld');
    const rdf = await page.request.get(`${t.baseUrl}${jsonld}`);
    expect(rdf.headers()['content-type']).toContain('application/ld+json');
    expect(await page.getByRole('link', { name: 'Turtle (DCAT-AP)' }).getAttribute('href')).toBe('/api/catalog/datasets/cepidc-causes-deces.ttl');
    expect(await page.locator('main table a[href="/catalogue/tables/KI_ECD_R"]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('catalog-dataset.png'), fullPage: true });

    // A variable shared by several tables lists them and the joins using it.
    await page.goto(`${t.baseUrl}/catalogue/tables/KI_CCI_R/variables/BEN_IDT_ANO`);
    await page.locator('main table a[href="/catalogue/tables/IR_BEN_R/variables/BEN_IDT_ANO"]').waitFor();
    expect(await page.locator('main').textContent()).toContain('KI_CCI_R.(BEN_IDT_ANO)');

    // The whole catalogue's graph: every table of the demo, coloured by product.
    await page.goto(`${t.baseUrl}/catalogue/graph`);
    await page.locator('.hdh-graph[data-ready=true] canvas').first().waitFor();
    expect(await page.locator('.hdh-legend li').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: screenshotPath('catalog-graph-all.png'), fullPage: true });

    // Shared programs on a table, from the table page.
    await page.goto(`${t.baseUrl}/catalogue/tables/KI_CCI_R`);
    await page.getByRole('link', { name: 'Programmes utilisant cette table' }).click();
    await page.waitForURL(`${t.baseUrl}/catalogue/programs?table=KI_CCI_R`);
    await page.getByRole('link', { name: 'Décès par cause initiale' }).click();
    await page.waitForURL(`${t.baseUrl}/catalogue/programs/deces-par-cause`);
    await expect.poll(() => page.locator('main h2').first().textContent()).toBe('Code (version 2)');
    expect(await page.locator('main pre').first().textContent()).toContain('ORDER BY n DESC');
    expect(await page.locator('main strong').first().textContent()).toBe('cause initiale');
    expect(await page.locator('main details summary').allTextContents()).toEqual([expect.stringMatching(/^v2 — tri par effectif/), expect.stringMatching(/^v1 /)]);

    // A yearly table's template shows the sample of its newest year, the other years one pick away.
    await page.goto(`${t.baseUrl}/catalogue/tables/T_MCOaaB`);
    const year = page.locator('select[name=sample-table]');
    await expect.poll(() => year.inputValue()).toBe('T_MCO21B');
    await page.locator('.hdh-sample tbody tr').first().waitFor();
    await year.selectOption('T_MCO20B');
    await expect.poll(() => page.getByRole('link', { name: 'Télécharger en CSV' }).getAttribute('href')).toContain('/tables/T_MCO20B/download');

    // English, everywhere on the page.
    await page.goto(`${t.baseUrl}/catalogue/tables/KI_CCI_R/variables/BEN_IDT_ANO`);
    await page.getByRole('button', { name: /English/ }).first().click();
    await expect.poll(() => page.locator('main h2').first().textContent()).toMatch(/^Used in \d+ other table/);
    await page.getByRole('button', { name: /Français/ }).first().click();

    // Administrator: the releases and a new one.
    const ADMIN = 'admin@hdh.example';
    await login(page, t.baseUrl, ADMIN, t.demo.password, await t.nextTotp(ADMIN));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await page.getByRole('link', { name: 'Données synthétiques' }).click();
    await page.waitForURL(`${t.baseUrl}/admin/synthetic`);
    await page.locator('main table tbody tr', { hasText: 'snds-synthetic v1' }).waitFor();
    await page.locator('input[name=persons]').fill('40');
    await page.locator('input[name=fromYear]').fill('2021');
    await page.locator('input[name=toYear]').fill('2021');
    await page.getByRole('button', { name: 'Générer une version' }).click();
    await page.getByText('Version snds-synthetic v2 générée.').waitFor({ timeout: 60_000 });
    await page.locator('main table tbody tr', { hasText: 'snds-synthetic v2' }).waitFor();
    await page.screenshot({ path: screenshotPath('admin-synthetic.png'), fullPage: true });

    expect(t.problems).toEqual([]);
    await page.close();
  });
});

/** Page coordinates of a node or of an edge's midpoint, from cytoscape's rendered (container) coordinates. */
/**
 * Taps a node or an edge in the canvas until the URL shows it: the page may still shift (late
 * content above the graph, a scroll) between measuring the point and the click on a loaded machine.
 */
async function tapGraph(page: Page, target: { node: string } | { edge: [string, string] }, expected: RegExp | string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.locator('.hdh-graph[data-ready=true]').scrollIntoViewIfNeeded();
    await page.mouse.click(...(await graphPoint(page, target)));
    try {
      await page.waitForURL(expected, { timeout: 5000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

async function graphPoint(page: Page, target: { node: string } | { edge: [string, string] }): Promise<[number, number]> {
  const container = page.locator('.hdh-graph[data-ready=true]');
  const box = await container.boundingBox();
  if (!box) throw new Error('graph not drawn');
  // cytoscape registers its instance on the container element.
  const point = await container.evaluate((el, where) => {
    const cy = (el as unknown as { _cyreg: { cy: Core } })._cyreg.cy;
    if ('node' in where) return cy.getElementById(where.node).renderedPosition();
    const edge = cy.edges().filter((e) => e.source().id() === where.edge[0] && e.target().id() === where.edge[1]);
    return (edge as unknown as { renderedMidpoint(): Position }).renderedMidpoint();
  }, target);
  return [box.x + point.x, box.y + point.y];
}
