/**
 * The foundation issue's journey in a real browser: a researcher signs in with password + TOTP,
 * is held at the charter until accepting it, signs out; the security officer signs in, accepts
 * the charter and finds the researcher's sign-in and acceptance in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const RESEARCHER = 'chercheur@recherche.example';
const OFFICER = 'securite@hdh.example';

describe.runIf(browserAvailability().run)('foundation journey (browser)', () => {
  let t: BrowserHub;
  beforeAll(async () => {
    t = await startBrowserHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('AUTH-01 AUTH-05 LOG-01: researcher signs in with TOTP, must accept the charter; the security officer sees it in the audit log', async () => {
    const page = await t.newPage();
    // The app runs under the server's strict CSP: no inline script, scripts from 'self' only.
    const csp = (await page.goto(`${t.baseUrl}/`))?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');

    // Researcher: password + TOTP in one form, then held at the charter page.
    await login(page, t.baseUrl, RESEARCHER, t.demo.password, await t.nextTotp(RESEARCHER));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await expect.poll(() => page.locator('main h1').textContent()).toMatch(/charte/i);
    // Any other page sends back to the charter until it is accepted (AUTH-05).
    await page.goto(`${t.baseUrl}/`);
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.screenshot({ path: screenshotPath('charter-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Bonjour Marc Chercheur');
    await page.screenshot({ path: screenshotPath('home-researcher.png'), fullPage: true });

    // A researcher has no audit menu and the page refuses them.
    expect(await page.getByRole('link', { name: 'Journal d’audit' }).count()).toBe(0);
    await page.goto(`${t.baseUrl}/audit`);
    await expect.poll(() => page.getByText('Accès refusé').count()).toBe(1);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();

    // Security officer: same path, then the audit page.
    await login(page, t.baseUrl, OFFICER, t.demo.password, await t.nextTotp(OFFICER));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
    await page.getByRole('link', { name: 'Journal d’audit' }).click();
    await page.waitForURL(`${t.baseUrl}/audit`);

    const researcherRows = page.locator('table tbody tr', { hasText: RESEARCHER });
    await researcherRows.filter({ hasText: 'charter.accept' }).first().waitFor();
    expect(await researcherRows.filter({ hasText: 'auth.login' }).count()).toBeGreaterThanOrEqual(1);
    expect(await researcherRows.filter({ hasText: 'charter.accept' }).count()).toBe(1);

    // Filters reach the API: only the researcher's sign-ins.
    await page.locator('input[name=actor]').fill(RESEARCHER);
    await page.locator('input[name=action]').fill('auth.login');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
    await expect.poll(() => page.locator('table tbody tr').first().textContent()).toContain('auth.login');
    expect(await page.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href')).toBe(`/api/audit/events.csv?actor=${encodeURIComponent(RESEARCHER)}&action=auth.login`);
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await researcherRows.filter({ hasText: 'charter.accept' }).first().waitFor();

    // The chain replays clean (LOG-05).
    await page.getByRole('button', { name: 'Vérifier l’intégrité' }).click();
    await page.getByText(/Intégrité vérifiée/).waitFor();

    // DSFR really styled the page: Marianne font loaded, icons drawn from the bundled CSS, JS running.
    // Run in the page as a string: the test program has no DOM types (tsconfig lib ES2023).
    const look = await page.evaluate<{ font: string; marianne: boolean; iconMask: string | null; dsfrJs: string | null }>(`(async () => {
      await document.fonts.ready;
      const logout = document.querySelector('.fr-header__tools [class*="fr-icon-logout"]');
      const before = logout ? getComputedStyle(logout, '::before') : null;
      return {
        font: getComputedStyle(document.body).fontFamily,
        marianne: document.fonts.check('16px Marianne'),
        iconMask: before ? before.maskImage || before.webkitMaskImage : null,
        dsfrJs: document.documentElement.getAttribute('data-fr-js'),
      };
    })()`);
    expect(look.font).toContain('Marianne');
    expect(look.marianne).toBe(true);
    expect(look.iconMask).toMatch(/url\(/);
    expect(look.dsfrJs).toBe('true'); // DSFR's runtime (menus, modals) started under the CSP

    await page.screenshot({ path: screenshotPath('audit-page.png'), fullPage: true });
    // No CSP violation, script error or unexpected failed request on the way.
    expect(t.problems).toEqual([]);
    await page.close();
  });
});
