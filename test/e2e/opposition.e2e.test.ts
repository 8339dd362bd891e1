/**
 * The opposition registry in a real browser: a citizen, with no account, records an opposition
 * — first with mistakes, each shown on its field —, is given the receipt once, then withdraws it
 * with the receipt and the NIR; a hub instructor sees the counts and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/actor.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

// Synthetic NIRs with valid keys.
const NIR = '2 90 08 13 055 042 74';
const OTHER_NIR = '184127512345640';
const INSTRUCTOR = 'instructeur@hdh.example';

describe.runIf(browserAvailability().run)('opposition journey (browser)', () => {
  let t: BrowserHub;
  beforeAll(async () => {
    t = await startBrowserHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  const optedOut = () => t.hub.services.optout.optedOutPseudonyms(systemActor('e2e'), t.hub.pseudonyms.current());

  it('PR-01 PR-03 PR-05 DP-01: a citizen records an opposition, sees the receipt once, withdraws it; staff see counts only', async () => {
    const page = await t.newPage();
    await page.goto(`${t.baseUrl}/opposition`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('M’opposer à l’utilisation de mes données de santé pour la recherche');
    // What is kept, why the birth date, and the scope are said before the form.
    await page.getByText(/ni votre NIR, ni votre date de naissance/).waitFor();
    await page.getByText(/mission de service public/).waitFor();
    expect(await page.locator('input[name=lastName], input[name=firstName]').count()).toBe(0);

    // Empty form: a summary linking to each field, focused; each field says why.
    await page.getByRole('button', { name: 'Enregistrer mon opposition' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.getByText('Le formulaire contient 2 erreur(s)').waitFor();
    expect(await page.evaluate('document.activeElement?.dataset?.testid')).toBe('error-summary');
    expect(await summary.getByRole('link').evaluateAll((links) => links.map((l) => l.getAttribute('href')))).toEqual(['#opposition-nir', '#opposition-birthDate']);
    const nirInput = page.locator('#opposition-nir');
    expect(await nirInput.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await nirInput.getAttribute('aria-describedby'))!;
    await expect.poll(() => page.locator(`#${describedBy}`).textContent()).toBe('Saisissez votre NIR.');

    // A wrong key: the server's reason, on the NIR field.
    await nirInput.fill('2 90 08 13 055 042 75');
    await page.locator('#opposition-birthDate').fill('1990-08-15');
    await page.getByRole('button', { name: 'Enregistrer mon opposition' }).click();
    await summary.getByText('Le formulaire contient 1 erreur(s)').waitFor();
    await page.locator(`#${describedBy}`).getByText(/La clé \(2 derniers chiffres\)/).waitFor();

    // A birth date that does not match the NIR: both fields are pointed at.
    await nirInput.fill(NIR);
    await page.locator('#opposition-birthDate').fill('1991-08-15');
    await page.getByRole('button', { name: 'Enregistrer mon opposition' }).click();
    await summary.getByText('Le formulaire contient 2 erreur(s)').waitFor();
    await page.locator('#opposition-birthDate-desc-error').getByText(/L’année ne correspond pas à celle inscrite dans le NIR/).waitFor();
    await page.locator(`#${describedBy}`).getByText(/L’année de naissance inscrite dans le NIR/).waitFor();
    await page.screenshot({ path: screenshotPath('opposition-errors.png'), fullPage: true });

    // Right this time: the receipt, once, with the warning to keep it.
    await page.locator('#opposition-birthDate').fill('1990-08-15');
    await page.getByRole('button', { name: 'Enregistrer mon opposition' }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Votre opposition est enregistrée');
    const receipt = (await page.getByTestId('receipt').textContent())!;
    expect(receipt).toMatch(/^OPP-(?:[0-9A-Z]{4}-){3}[0-9A-Z]{4}$/);
    await page.getByText(/il ne sera plus jamais affiché/).waitFor();
    for (const name of ['Copier le numéro', 'Imprimer']) expect(await page.getByRole('button', { name }).isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('opposition-receipt.png'), fullPage: true });
    expect(await optedOut()).toHaveLength(1);
    // The page holds nothing typed any more; a reload shows the empty form, not the receipt.
    expect(await page.content()).not.toContain('055 042 74');
    await page.reload();
    await page.getByRole('button', { name: 'Enregistrer mon opposition' }).waitFor();
    expect(await page.content()).not.toContain(receipt);

    // Withdrawal: a wrong NIR is refused on both fields; the right one withdraws.
    await page.getByRole('link', { name: 'Retirer une opposition enregistrée' }).click();
    await page.waitForURL(`${t.baseUrl}/opposition/retrait`);
    await page.locator('#withdrawal-receipt').fill(receipt.toLowerCase());
    await page.locator('#withdrawal-nir').fill(OTHER_NIR);
    await page.getByRole('button', { name: 'Retirer mon opposition' }).click();
    await page.getByTestId('error-summary').getByText('Le formulaire contient 2 erreur(s)').waitFor();
    expect(await page.getByText('Aucune opposition active ne correspond à ce récépissé et à ce NIR : vérifiez les deux.').count()).toBeGreaterThanOrEqual(2);
    await page.locator('#withdrawal-nir').fill(NIR);
    await page.getByRole('button', { name: 'Retirer mon opposition' }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Votre opposition est retirée');
    expect(await optedOut()).toEqual([]);

    // English on request.
    await page.goto(`${t.baseUrl}/opposition`);
    await page.getByRole('button', { name: /English/ }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Opt out of the use of my health data for research');
    await page.getByRole('button', { name: /Français/ }).click();

    // Staff: counts, no person.
    await login(page, t.baseUrl, INSTRUCTOR, t.demo.password, await t.nextTotp(INSTRUCTOR));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await page.getByRole('link', { name: 'Oppositions' }).click();
    await page.waitForURL(`${t.baseUrl}/admin/opposition`);
    await expect.poll(() => page.getByTestId('active-count').locator('p').first().textContent()).toBe('0');
    const row = page.locator('table tbody tr').first();
    await expect.poll(() => row.locator('td').allTextContents()).toEqual([expect.stringMatching(/^\p{L}+ \d{4}$/u), '1', '1']);
    expect(await page.content()).not.toContain(receipt);
    await page.screenshot({ path: screenshotPath('opposition-staff.png'), fullPage: true });
    expect(t.problems).toEqual([]);
  });
});
