/**
 * Working on a file together, in a real browser: the lead opens a project with its RMO and a
 * subcontractor, adds a team member by e-mail (charter not yet accepted), uploads a protocol
 * and a new version of it (size and SHA-256 shown, download verified), and asks the hub a
 * question; the instructor replies in the thread; the member signs in and accepts the charter;
 * the lead sees the notification in the header, opens it, finds the member's charter accepted
 * and confirms the team in the annual review. Then a visitor, signed out, reads the pages for
 * citizens: the hub, the data controllers, the source databases and the rights, with the way to
 * the opposition form.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/catalog/demo-catalogue.js';
import { repoRoot } from '../../src/main.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const LEAD = 'porteur@recherche.example';
const MEMBER = 'chercheur@recherche.example';
const INSTRUCTOR = 'instructeur@hdh.example';
const TITLE = 'Parcours de soins après un AVC';

describe.runIf(browserAvailability().run)('collaboration on a project and citizen pages (browser)', () => {
  let t: BrowserHub;
  beforeAll(async () => {
    t = await startBrowserHub();
    const loaded = await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'));
    expect(loaded.loaded).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
  });

  const accepted = new Set<string>();
  const dayIn = (days: number) => new Date(t.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

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

  async function upload(page: Page, name: string, content: string): Promise<void> {
    await page.locator('#document-file').setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(content) });
    await page.getByRole('button', { name: 'Déposer', exact: true }).click();
  }

  const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

  it('AUTH-03, AUTH-05, AUTH-08, LOG-02, LC-06, PR-05: team, documents, exchanges and notifications on a file; the citizen pages', async () => {
    const page = await t.newPage();

    // The lead opens a file with its parties.
    await signIn(page, LEAD);
    await page.goto(`${t.baseUrl}/projets/nouveau`);
    await page.locator('#file-title').fill(TITLE);
    await page.locator('#file-controller').fill('Université de Synthèse');
    await page.locator('#file-controllerType').selectOption('public');
    await page.locator('#file-rmoName').fill('Dr Laura Porteuse');
    await page.locator('#file-rmoRole').fill('investigatrice principale');
    await page.getByRole('button', { name: 'Ajouter un sous-traitant' }).click();
    await page.locator('#file-sub-0-name').fill('Biostat Conseil (fictif)');
    await page.locator('#file-sub-0-role').fill('analyses statistiques');
    await page.locator('#file-requestedEndDate').fill('2029-12-31');
    await page.getByRole('button', { name: 'Créer le projet' }).click();
    await page.waitForURL(/\/projets\/[0-9a-f-]{36}\/modifier$/);
    const id = /\/projets\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
    const projectUrl = `${t.baseUrl}/projets/${id}`;
    await page.goto(projectUrl);
    const facts = page.locator('.hdh-facts').first();
    await facts.getByText('Dr Laura Porteuse (investigatrice principale)').waitFor();
    expect(await facts.textContent()).toContain('Biostat Conseil (fictif) (analyses statistiques)');
    expect(await facts.textContent()).toContain('Université de Synthèse (RT, Public)');

    // A team member by e-mail: an end date after the project is refused, then a good one.
    await page.locator('#member-email').fill(MEMBER);
    await page.locator('#member-role').selectOption('member');
    await page.locator('#member-endDate').evaluate((el) => el.removeAttribute('max'));
    await page.locator('#member-endDate').fill('2030-01-31');
    await page.getByRole('button', { name: 'Ajouter à l’équipe' }).click();
    await page.locator('.hdh-member-form .fr-alert--error', { hasText: 'body.endDate' }).waitFor();
    await page.locator('#member-endDate').fill(dayIn(180));
    await page.getByRole('button', { name: 'Ajouter à l’équipe' }).click();
    const memberRow = page.locator(`.hdh-team tr[data-member="${MEMBER}"]`);
    await memberRow.waitFor();
    expect(await memberRow.textContent()).toContain('Marc Chercheur');
    expect(await memberRow.textContent()).toContain('Membre de l’équipe');
    expect(await memberRow.textContent()).toContain('Pas encore acceptée');
    expect(await page.locator('.hdh-member-form .fr-alert--error').count()).toBe(0);

    // A protocol, then a new version of it: size and checksum as the server computed them.
    const v1 = '%PDF-1.4 protocole AVC v1';
    const v2 = '%PDF-1.4 protocole AVC v2, amendé après échange';
    await page.locator('#document-kind').selectOption('protocol');
    await upload(page, 'protocole.pdf', v1);
    const row1 = page.locator('.hdh-documents tr[data-document="protocole.pdf"][data-version="1"]');
    await row1.waitFor();
    expect(await row1.locator('.hdh-sha256').textContent()).toBe(sha256(v1));
    expect(await row1.textContent()).toContain(`${Buffer.byteLength(v1)} octets`);
    expect(await row1.textContent()).toContain('Protocole');
    await row1.getByRole('button', { name: 'Nouvelle version' }).click();
    await page.getByText('Nouvelle version de « protocole.pdf »').waitFor();
    await upload(page, 'protocole-amende.pdf', v2);
    const row2 = page.locator('.hdh-documents tr[data-document="protocole.pdf"][data-version="2"]');
    await row2.waitFor();
    expect(await row2.locator('.hdh-sha256').textContent()).toBe(sha256(v2));
    // The download link serves the stored bytes, checked against their checksum.
    const href = await row1.getByRole('link', { name: 'protocole.pdf' }).getAttribute('href');
    const download = await page.request.get(`${t.baseUrl}${href!}`);
    expect(download.status()).toBe(200);
    expect(await download.text()).toBe(v1);
    expect(download.headers()['x-content-sha256']).toBe(sha256(v1));

    // A question to the hub.
    await page.locator('#message-body').fill('Faut-il joindre l’avis du comité scientifique interne ?');
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.locator('.hdh-message[data-message-side=applicant]', { hasText: 'comité scientifique interne' }).waitFor();
    expect(await page.locator('#message-body').inputValue()).toBe('');
    await page.screenshot({ path: screenshotPath('collaboration-lead.png'), fullPage: true });
    await signOut(page);

    // The instructor replies in the thread.
    await signIn(page, INSTRUCTOR);
    await page.getByRole('link', { name: 'Projets', exact: true }).first().click();
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(projectUrl);
    const question = page.locator('.hdh-message', { hasText: 'comité scientifique interne' });
    await question.getByRole('button', { name: 'Répondre' }).click();
    await page.locator('.hdh-message-form[data-reply-to] textarea').fill('Oui, en PDF, comme pièce « Autre ».');
    await page.locator('.hdh-message-form[data-reply-to]').getByRole('button', { name: 'Envoyer' }).click();
    const reply = page.locator('.hdh-thread--replies .hdh-message[data-message-side=hub]', { hasText: 'comme pièce « Autre »' });
    await reply.waitFor();
    expect(await reply.textContent()).toContain('Inès Instructrice');
    // Hub staff read the file but do not manage the team or the documents.
    expect(await page.locator('#member-email').count()).toBe(0);
    expect(await page.locator('#document-file').count()).toBe(0);
    await signOut(page);

    // The member signs in (accepting the charter) and reads the exchange on the file.
    await signIn(page, MEMBER);
    await page.goto(projectUrl);
    await page.locator('.hdh-message[data-message-side=hub]', { hasText: 'comme pièce « Autre »' }).waitFor();
    await signOut(page);

    // The lead: the header counts the unread notification; opening it leads to the file and marks it read.
    await signIn(page, LEAD);
    const bell = page.getByRole('link', { name: 'Notifications (1)' }).first();
    await bell.waitFor();
    await page.screenshot({ path: screenshotPath('collaboration-bell.png') });
    await bell.click();
    await page.waitForURL(`${t.baseUrl}/notifications`);
    const note = page.locator('.hdh-notification[data-kind="project.message"]');
    await note.waitFor();
    expect(await note.getAttribute('data-read')).toBe('false');
    expect(await note.textContent()).toMatch(/Le hub a écrit sur le projet HDH-\d{4}-\d{4}/);
    await page.screenshot({ path: screenshotPath('collaboration-notifications.png'), fullPage: true });
    await note.getByRole('link').click();
    await page.waitForURL(projectUrl);
    await page.getByRole('link', { name: 'Notifications (0)' }).first().waitFor();
    // The member accepted the charter in the meantime.
    expect(await memberRow.textContent()).toContain('Acceptée');
    expect(await memberRow.textContent()).not.toContain('Pas encore');

    // The annual review: the member is confirmed, with a note.
    await page.getByRole('link', { name: 'Revue annuelle de l’équipe' }).click();
    await page.waitForURL(`${projectUrl}/revue-equipe`);
    await page.locator('#review-status').getByText('Revue à faire').waitFor();
    const reviewRow = page.locator(`.hdh-member-review tr[data-member="${MEMBER}"]`);
    expect(await reviewRow.locator('input[value=keep]').isChecked()).toBe(true);
    await page.locator('#review-note').fill('Revue annuelle : accès toujours nécessaire pour les analyses.');
    await page.getByRole('button', { name: 'Enregistrer la revue' }).click();
    await page.locator('#review-saved').waitFor();
    await expect.poll(async () => page.locator('#review-status').textContent()).toMatch(/Dernière revue/);
    expect(await page.locator('#review-status').textContent()).not.toContain('Revue à faire');
    await signOut(page);

    // A visitor, signed out: the pages for citizens, from the menu and the footer.
    await page.getByRole('link', { name: 'Vos données', exact: true }).first().click();
    await page.waitForURL(`${t.baseUrl}/vos-donnees`);
    await page.getByRole('heading', { level: 1, name: 'Le hub et vos données de santé' }).waitFor();
    const side = page.locator('.fr-sidemenu');
    await side.getByRole('link', { name: 'Responsables de traitement' }).click();
    await page.waitForURL(`${t.baseUrl}/vos-donnees/responsables`);
    // The lead's file is a draft: not public, so its controller is not listed yet.
    await page.getByText('Aucun projet n’a encore été déposé.').waitFor();
    await side.getByRole('link', { name: 'Bases de données sources' }).click();
    await page.waitForURL(`${t.baseUrl}/vos-donnees/sources`);
    const source = page.locator('.hdh-source[data-dataset=snds-beneficiaires]');
    await source.waitFor();
    expect(await source.textContent()).toContain('SNDS – Référentiel des bénéficiaires');
    expect(await source.getByRole('link').getAttribute('href')).toBe('/catalogue/datasets/snds-beneficiaires');
    expect(await page.locator('.hdh-source').count()).toBeGreaterThanOrEqual(4);
    await page.locator('footer').getByRole('link', { name: 'Exercer vos droits' }).click();
    await page.waitForURL(`${t.baseUrl}/vos-donnees/droits`);
    for (const heading of ['Droit d’accès', 'Droit de rectification', 'Droit d’opposition', 'Délai de réponse']) await page.getByText(heading, { exact: true }).first().waitFor();
    expect(await page.getByRole('link', { name: 'Faire une demande d’opposition' }).getAttribute('href')).toBe('/opposition');
    expect(await page.locator('footer').getByRole('link', { name: 'S’opposer à la réutilisation de ses données' }).getAttribute('href')).toBe('/opposition');
    await page.screenshot({ path: screenshotPath('citizens-rights.png'), fullPage: true });
    // The same pages in English.
    await page.getByRole('button', { name: /English/ }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Exercising your rights' }).waitFor();

    expect(t.problems).toEqual([]);
    await page.close();
    // Four sign-ins on a shared two-core machine: more than the default minute.
  }, 300_000);
});
