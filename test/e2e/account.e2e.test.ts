/**
 * Browser journeys around the account: the English switch (shared with the server through the
 * hdh_lang cookie), first sign-in with TOTP enrolment, session expiry, and the admin pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/actor.js';
import { totpCode } from '../../src/identity/totp.js';
import { browserAvailability, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

describe.runIf(browserAvailability().run)('account journeys (browser)', () => {
  let t: BrowserHub;
  beforeAll(async () => {
    // A one-month review cycle lets the access-review test make reviews due by moving the clock.
    t = await startBrowserHub({ HDH_ACCESS_REVIEW_MONTHS: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the interface switches to English, remembers it, and the server answers in English too', async () => {
    const page = await t.newPage();
    await page.goto(`${t.baseUrl}/`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Le Health Data Hub');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByRole('button', { name: /English/ }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('The Health Data Hub');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect((await t.context.cookies(t.baseUrl)).find((c) => c.name === 'hdh_lang')?.value).toBe('en');

    await page.reload();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('The Health Data Hub');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // The server reads the same cookie: its error messages follow the interface.
    await login(page, t.baseUrl, 'chercheur@recherche.example', 'not the password', '000000');
    await page.getByText('Invalid credentials or unavailable account.').waitFor();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Sign in');
    await page.screenshot({ path: screenshotPath('login-error-en.png'), fullPage: true });

    await page.getByRole('button', { name: /Français/ }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Connexion');
    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('on a phone-sized screen the DSFR menu opens (DSFR runtime working under the CSP)', async () => {
    const page = await t.newPage();
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${t.baseUrl}/`);
    const menu = page.locator('.fr-header__menu');
    await expect.poll(() => menu.isVisible()).toBe(false);
    await page.locator('.fr-header__navbar button[aria-controls^="header-menu-modal"]').click();
    await expect.poll(() => menu.isVisible()).toBe(true);
    await menu.getByRole('link', { name: 'Se connecter' }).click();
    await page.waitForURL(`${t.baseUrl}/login`);
    await page.screenshot({ path: screenshotPath('login-mobile.png'), fullPage: true });
    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('AUTH-01 AUTH-13: first sign-in enrols TOTP (QR, confirmation, recovery codes once); new password; sign-in with a recovery code', async () => {
    const email = 'nora.nouvelle@recherche.example';
    const end = new Date(t.clock.now());
    end.setUTCFullYear(end.getUTCFullYear() + 1);
    await t.hub.services.identity.createUser(systemActor('e2e'), { email, displayName: 'Nora Nouvelle', roles: ['project_member'], endOfRights: end.toISOString().slice(0, 10), password: t.demo.password });

    const page = await t.newPage();
    await login(page, t.baseUrl, email, t.demo.password);
    await page.waitForURL(`${t.baseUrl}/totp-enrolment`);
    // Until enrolled, other pages lead back here.
    await page.goto(`${t.baseUrl}/account`);
    await page.waitForURL(`${t.baseUrl}/totp-enrolment`);

    const qr = page.locator('img.hdh-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.screenshot({ path: screenshotPath('totp-enrolment.png'), fullPage: true });

    await page.locator('input[name=code]').fill('123456' === (await totpCode(secret, t.clock.now())) ? '654321' : '123456');
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Code invalide.').waitFor();

    t.clock.advance(30_000);
    await page.locator('input[name=code]').fill(await totpCode(secret, t.clock.now()));
    await page.getByRole('button', { name: 'Confirmer' }).click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await expect.poll(() => codes.count()).toBe(10);
    const recoveryCode = (await codes.first().textContent())!.trim();
    await page.getByRole('button', { name: 'J’ai conservé mes codes' }).click();
    await page.waitForURL(`${t.baseUrl}/charter`);

    // Account page: remaining codes, then a new password.
    await page.goto(`${t.baseUrl}/account`);
    await expect.poll(() => page.getByTestId('recovery-left').textContent()).toBe('Codes de secours restants : 10');
    const newPassword = 'une phrase de passe toute neuve 42';
    await page.getByLabel('Mot de passe actuel').fill(t.demo.password);
    await page.getByLabel('Nouveau mot de passe').fill(newPassword);
    await page.getByRole('button', { name: 'Modifier' }).click();
    await page.getByText('Mot de passe modifié').waitFor();

    // Sign in again with the new password and a recovery code instead of the TOTP.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();
    await page.goto(`${t.baseUrl}/login`);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(newPassword);
    await page.getByRole('button', { name: 'Utiliser un code de secours' }).click();
    await page.locator('input[name=recoveryCode]').fill(recoveryCode);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.goto(`${t.baseUrl}/account`);
    await expect.poll(() => page.getByTestId('recovery-left').textContent()).toBe('Codes de secours restants : 9');
    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('AUTH-15: after the idle timeout, the next action leads to the login page with “Session expirée après inactivité”', async () => {
    const email = 'instructeur@hdh.example';
    const page = await t.newPage();
    await login(page, t.baseUrl, email, t.demo.password, await t.nextTotp(email));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.goto(`${t.baseUrl}/account`);
    await page.getByRole('button', { name: 'Générer de nouveaux codes' }).waitFor();

    t.clock.advance(31 * 60_000); // default idle timeout: 30 min
    await page.getByRole('button', { name: 'Générer de nouveaux codes' }).click();
    await page.waitForURL(/\/login\?expired=idle$/);
    await page.getByText('Session expirée après inactivité').waitFor();
    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('AUTH-15: an idle screen goes to the login page by itself once the timeout has passed', async () => {
    const email = 'relecteur1@hdh.example';
    const page = await t.newPage();
    // The browser's clock is faked too, so 31 minutes pass in an instant on both sides.
    await page.clock.install();
    await login(page, t.baseUrl, email, t.demo.password, await t.nextTotp(email));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.goto(`${t.baseUrl}/account`);
    await page.getByRole('button', { name: 'Générer de nouveaux codes' }).waitFor();

    t.clock.advance(31 * 60_000);
    await page.clock.fastForward('31:00');
    await page.waitForURL(/\/login\?expired=idle$/);
    await page.getByText('Session expirée après inactivité').waitFor();
    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('AUTH-03 AUTH-08: the administrator creates an account with an end-of-rights date and records an access review', async () => {
    const email = 'admin@hdh.example';
    t.clock.advance(32 * 24 * 3_600_000); // past the (one-month) review cycle: every review is due
    const page = await t.newPage();
    await login(page, t.baseUrl, email, t.demo.password, await t.nextTotp(email));
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.getByRole('button', { name: 'J’accepte' }).click();
    await page.waitForURL(`${t.baseUrl}/`);

    await page.getByRole('link', { name: 'Comptes' }).click();
    await page.waitForURL(`${t.baseUrl}/admin/users`);
    await page.locator('summary', { hasText: 'Créer un compte' }).click();
    await page.locator('input[name=email]').fill('paul.analyste@recherche.example');
    await page.locator('input[name=displayName]').fill('Paul Analyste');
    await page.locator('select[name=organisationId]').selectOption({ label: 'Équipe de recherche (démo)' });
    await page.locator('input[name=endOfRights]').fill('2027-06-30');
    await page.locator('input[name=password]').fill(t.demo.password);
    await page.locator('main form button[type=submit]', { hasText: 'Créer un compte' }).click();
    await page.getByText('Compte créé').waitFor();
    const row = page.locator('table tbody tr', { hasText: 'paul.analyste@recherche.example' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Membre de projet');
    expect(await row.textContent()).toContain('30 juin 2027');

    // Edit: add a role, disable.
    await row.getByRole('button', { name: 'Modifier' }).click();
    await page.locator('input[name=edit-roles][value=project_lead]').check({ force: true });
    await page.locator('section.hdh-panel select').selectOption('disabled');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => row.textContent()).toContain('Désactivé');
    expect(await row.textContent()).toContain('Porteur de projet');

    await page.getByRole('link', { name: 'Revue des accès' }).click();
    await page.waitForURL(`${t.baseUrl}/admin/access-review`);
    const reviewRow = page.locator('table tbody tr', { hasText: 'chercheur@recherche.example' });
    await reviewRow.getByText('Revue due').waitFor();
    await page.screenshot({ path: screenshotPath('access-review.png'), fullPage: true });
    await reviewRow.locator('input').fill('Projet en cours, accès confirmé par le porteur.');
    await reviewRow.getByRole('button', { name: 'Conserver' }).click();
    await expect.poll(() => page.locator('table tbody tr', { hasText: 'chercheur@recherche.example' }).getByText('Revue due').count()).toBe(0);
    expect(t.problems).toEqual([]);
    await page.close();
  });
});
