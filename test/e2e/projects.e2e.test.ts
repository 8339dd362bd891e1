/**
 * The access procedure in a real browser: the lead opens a project, picks its perimeter in the
 * catalogue (one table, two columns), adds both declarations of interest (PR-10) and submits;
 * the hub instructor finds the file complete and records a favourable CESREES opinion; the lead
 * files with the CNIL; the instructor records the authorisation; both parties accept the
 * convention; the instructor provisions it (active); the lead publishes its results (PR-06); a
 * visitor then reads it in the public registry (PR-07) with its decisions and results, and finds
 * its data controller on the citizens' page (PR-05).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/catalog/demo-catalogue.js';
import { repoRoot } from '../../src/main.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const LEAD = 'porteur@recherche.example';
const INSTRUCTOR = 'instructeur@hdh.example';
const TITLE = 'Anticoagulants et hémorragies chez l’adulte';

describe.runIf(browserAvailability().run)('projects journey (browser)', () => {
  let t: BrowserHub;
  beforeAll(async () => {
    t = await startBrowserHub();
    const loaded = await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'));
    expect(loaded.loaded).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
  });

  const today = () => t.clock.now().toISOString().slice(0, 10);
  const accepted = new Set<string>();

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

  /** Takes one step of the procedure through its form on the project page. */
  async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void> = async () => undefined): Promise<void> {
    const form = page.locator(`form[data-action=${action}]`);
    await form.waitFor();
    await fill(form);
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached' });
  }

  const status = (page: Page) => page.locator('#project-status').textContent();

  it('PR-01, PR-10, LC-01..LC-06, PR-07: from a draft with a catalogue perimeter to an active project in the public registry', async () => {
    const page = await t.newPage();

    // The lead opens a project from the menu.
    await signIn(page, LEAD);
    await page.getByRole('link', { name: 'Projets', exact: true }).first().click();
    await page.waitForURL(`${t.baseUrl}/projets`);
    await page.getByRole('link', { name: 'Nouveau projet' }).click();
    await page.waitForURL(`${t.baseUrl}/projets/nouveau`);
    await page.locator('#file-title').fill(TITLE);
    await page.locator('#file-summary').fill('Étude de cohorte sur les hémorragies sous anticoagulants oraux.');
    await page.locator('#file-purpose').fill('Mesurer le risque hémorragique des anticoagulants oraux directs.');
    await page.locator('#file-objectives').fill('Comparer les taux d’hospitalisation pour hémorragie entre molécules.');
    await page.locator('#file-publicInterest').fill('Améliorer la sécurité des prescriptions.');
    await page.locator('#file-methodology').fill('Cohorte rétrospective, modèles de Cox.');
    await page.locator('#file-expectedResults').fill('Rapports de risques publiés en accès ouvert.');
    await page.locator('#file-controller').fill('Université de Synthèse');
    await page.locator('#file-medicalDomains').fill('Cardiologie, Pharmacologie');
    await page.locator('#file-requestedEndDate').fill('2029-12-31');
    await page.getByRole('button', { name: 'Créer le projet' }).click();
    await page.waitForURL(/\/projets\/[0-9a-f-]{36}\/modifier$/);
    const id = /\/projets\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

    // Perimeter picked in the catalogue: search, tick one table, tick two of its columns.
    await page.locator('#perimeter-search').fill('IR_BEN');
    await page.locator('label[for="pick-IR_BEN_R"]').click();
    const columns = page.locator('fieldset[data-table=IR_BEN_R]');
    await columns.locator('label[for="col-IR_BEN_R-BEN_NIR_PSA"]').waitFor();
    // Saved too early (a table without columns, no period): the server's errors, located.
    await page.getByRole('button', { name: 'Enregistrer le périmètre' }).click();
    const refusal = page.locator('.hdh-perimeter .fr-alert--error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/tables\/0\/columns|tables\[0\]\.columns|tables\.0\.columns/);
    await page.screenshot({ path: screenshotPath('projects-perimeter-error.png'), fullPage: true });
    await columns.locator('label[for="col-IR_BEN_R-BEN_NIR_PSA"]').click();
    await columns.locator('label[for="col-IR_BEN_R-BEN_SEX_COD"]').click();
    await page.locator('#perimeter-from').fill('2019-01-01');
    await page.locator('#perimeter-to').fill('2023-12-31');
    await page.locator('#perimeter-population').fill('Adultes ayant eu au moins une délivrance d’anticoagulant');
    await page.locator('#perimeter-inclusion').fill('âge ≥ 18 ans');
    await page.getByRole('button', { name: 'Enregistrer le périmètre' }).click();
    await page.locator('#perimeter-saved').waitFor();
    expect(await refusal.count()).toBe(0);
    expect(await page.locator('#perimeter-saved').textContent()).toContain('version 1');
    // What the server stored, read with the lead's session.
    const stored = (await (await page.request.get(`${t.baseUrl}/api/projects/${id}/perimeter`)).json()) as { perimeter: { datasets: string[]; tables: unknown[] } }[];
    expect(stored.at(-1)!.perimeter.tables).toEqual([{ name: 'IR_BEN_R', columns: ['BEN_NIR_PSA', 'BEN_SEX_COD'] }]);
    expect(stored.at(-1)!.perimeter.datasets).toEqual(['BENEFICIAIRE']);

    // Both declarations of interest (PR-10).
    for (const [person, capacity] of [['Pr Jean Synthèse', 'data_controller'], ['Laura Porteuse', 'research_lead']] as const) {
      await page.locator('#interest-person').fill(person);
      await page.locator('#interest-capacity').selectOption(capacity);
      await page.locator('#interest-statement').fill('Aucun lien d’intérêt avec l’industrie pharmaceutique.');
      await page.locator('#interest-signedOn').fill(today());
      await page.getByRole('button', { name: 'Ajouter la déclaration' }).click();
      await page.locator('.hdh-interests li', { hasText: person }).waitFor();
    }
    await page.screenshot({ path: screenshotPath('projects-edit.png'), fullPage: true });

    // Submit from the project page.
    await page.getByRole('link', { name: 'Retour au projet' }).click();
    await page.waitForURL(`${t.baseUrl}/projets/${id}`);
    await act(page, 'submit');
    await expect.poll(() => status(page)).toBe('Déposé (complétude)');
    await page.locator('.hdh-timeline li', { hasText: 'Déposé' }).waitFor();
    await page.screenshot({ path: screenshotPath('projects-submitted.png'), fullPage: true });
    await signOut(page);

    // The instructor: the dashboard, then completeness and the CESREES opinion.
    await signIn(page, INSTRUCTOR);
    await page.getByRole('link', { name: 'Projets', exact: true }).first().click();
    await page.locator('.hdh-per-step li', { hasText: 'Déposé (complétude) : 1' }).waitFor();
    await page.screenshot({ path: screenshotPath('projects-dashboard.png'), fullPage: true });
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`${t.baseUrl}/projets/${id}`);
    await act(page, 'forward', (f) => f.locator('input[name=reference]').fill('COMPLET-2026-001'));
    await expect.poll(() => status(page)).toBe('Examen par le CESREES');
    await act(page, 'record_opinion', async (f) => {
      await f.locator('select[name=outcome]').selectOption('favourable');
      await f.locator('input[name=reference]').fill('CESREES-2026-042');
      await f.locator('input[name=decidedOn]').fill(today());
    });
    await expect.poll(() => status(page)).toBe('Avis du CESREES rendu');
    await signOut(page);

    // The lead files with the CNIL.
    await signIn(page, LEAD);
    await page.goto(`${t.baseUrl}/projets/${id}`);
    await act(page, 'file_cnil');
    await expect.poll(() => status(page)).toBe('Instruction CNIL');
    await signOut(page);

    // The instructor records the CNIL authorisation and accepts the convention for the hub.
    await signIn(page, INSTRUCTOR);
    await page.goto(`${t.baseUrl}/projets/${id}`);
    await act(page, 'record_cnil_decision', async (f) => {
      await f.locator('select[name=cnilOutcome]').selectOption('authorised');
      await f.locator('input[name=number]').fill('DR-2026-777');
      await f.locator('input[name=decidedOn]').fill(today());
    });
    await expect.poll(() => status(page)).toBe('Convention');
    await act(page, 'accept_convention');
    await signOut(page);

    // The lead accepts the convention for the applicant: provisioning.
    await signIn(page, LEAD);
    await page.goto(`${t.baseUrl}/projets/${id}`);
    await act(page, 'accept_convention');
    await expect.poll(() => status(page)).toBe('Mise à disposition');
    await signOut(page);

    // The instructor provisions: active.
    await signIn(page, INSTRUCTOR);
    await page.goto(`${t.baseUrl}/projets/${id}`);
    await act(page, 'provision', (f) => f.locator('input[name=reference]').fill('PROV-2026-9'));
    await expect.poll(() => status(page)).toBe('Actif');
    await page.screenshot({ path: screenshotPath('projects-active.png'), fullPage: true });
    await signOut(page);

    // The lead publishes the results to the registry (PR-06).
    await signIn(page, LEAD);
    await page.goto(`${t.baseUrl}/projets/${id}`);
    await page.locator('#results-summary').fill('Risque hémorragique plus faible sous apixaban que sous AVK.');
    await page.locator('#results-url').fill('https://example.org/article-anticoagulants');
    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    await page.locator('#results-saved').waitFor();
    await page.locator('.hdh-results-published', { hasText: 'plus faible sous apixaban' }).waitFor();
    await signOut(page);

    // A visitor: the public registry, searched, with the decisions.
    await page.getByRole('link', { name: 'Registre des projets' }).first().click();
    await page.waitForURL(`${t.baseUrl}/registre`);
    await page.locator('#registry-q').fill('Anticoagulants');
    const entry = page.locator('.hdh-registry-entry', { hasText: TITLE });
    await entry.waitFor();
    const text = (await entry.textContent()) ?? '';
    for (const expected of ['Actif', 'Université de Synthèse', 'Mesurer le risque hémorragique', 'Favorable', 'DR-2026-777', 'Cardiologie', 'Autorisation CNIL', 'plus faible sous apixaban']) expect(text).toContain(expected);
    expect(await entry.getByRole('link', { name: 'https://example.org/article-anticoagulants' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href')).toBe('/api/registry/export.csv?q=Anticoagulants');
    const csv = await page.request.get(`${t.baseUrl}/api/registry/export.csv?q=Anticoagulants`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('DR-2026-777');
    await page.screenshot({ path: screenshotPath('projects-registry.png'), fullPage: true });

    // PR-05: the page of data controllers lists the project's controller, from the registry.
    await page.getByRole('link', { name: 'Vos données', exact: true }).first().click();
    await page.locator('.fr-sidemenu').getByRole('link', { name: 'Responsables de traitement' }).click();
    const controller = page.locator('.hdh-controllers tr[data-controller="Université de Synthèse"]');
    await controller.waitFor();
    expect(await controller.textContent()).toContain('Responsable de traitement');
    expect(await controller.textContent()).toContain(TITLE);

    expect(t.problems).toEqual([]);
    await page.close();
    // A long journey (seven sign-ins) on a shared two-core machine: more than the default minute.
  }, 300_000);
});

