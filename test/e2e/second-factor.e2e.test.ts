/**
 * Browser journeys for the second factors beyond TOTP: security keys (WebAuthn, with Chromium's
 * virtual authenticator driven through the DevTools protocol) at the account page, the login
 * and the first enrolment; and the OIDC sign-in against a real local provider, followed by the
 * account's own factor on the second-factor page (ADR 0005).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/actor.js';
import { startTestOidcProvider, type TestOidcProvider, type TestPerson } from '../support/oidc-provider.js';
import { browserAvailability, freePort, login, screenshotPath, startBrowserHub, type BrowserHub } from './browser-hub.js';

const RESEARCHER = 'chercheur@recherche.example';
const clientId = 'hdh-e2e';
const clientSecret = 'a-test-client-secret-of-the-e2e-hub';
const person = (sub: string, email: string): TestPerson => ({ sub, email, email_verified: true, given_name: 'Test', family_name: sub });

/** A platform authenticator that says yes at once, as a touched key would. */
async function addVirtualAuthenticator(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  // How many credentials the authenticator holds: proves the key really was created.
  return async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length;
}

async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('link', { name: 'Se connecter' }).first().waitFor();
}

describe.runIf(browserAvailability().run)('second factors: security keys and OIDC (browser)', () => {
  let t: BrowserHub;
  let idp: TestOidcProvider;
  beforeAll(async () => {
    // The port comes first: the provider must know the hub's redirect URI before the hub starts.
    const port = await freePort();
    idp = await startTestOidcProvider({ clientId, clientSecret, redirectUri: `http://localhost:${port}/api/auth/oidc/callback`, people: [person('sub-chercheur', RESEARCHER), person('sub-inconnu', 'inconnu@nulle-part.example')] });
    t = await startBrowserHub({ HDH_OIDC_ISSUER: idp.issuer, HDH_OIDC_CLIENT_ID: clientId, HDH_OIDC_CLIENT_SECRET: clientSecret, HDH_OIDC_LABEL: 'Fournisseur de test' }, port);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('AUTH-01: a signed-in user adds a security key on the account page, then signs in with password + key, and completes an OIDC sign-in with it', async () => {
    const page = await t.newPage();
    const credentialCount = await addVirtualAuthenticator(page);
    await login(page, t.baseUrl, RESEARCHER, t.demo.password, await t.nextTotp(RESEARCHER));
    await page.waitForURL(`${t.baseUrl}/charter`);

    await page.goto(`${t.baseUrl}/account`);
    const keys = page.getByTestId('security-keys');
    await keys.getByText('Aucune clé de sécurité enregistrée.').waitFor();
    await keys.getByLabel('Nom de la clé').fill('Clé USB bleue');
    await keys.getByRole('button', { name: 'Ajouter une clé' }).click();
    await keys.getByText('Clé de sécurité ajoutée').waitFor();
    const row = keys.locator('table tbody tr', { hasText: 'Clé USB bleue' });
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('jamais');
    expect(await credentialCount()).toBe(1);
    // The account already had TOTP: no new recovery codes for a second factor that is not the first.
    expect(await keys.getByTestId('recovery-codes').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('account-security-keys.png'), fullPage: true });

    // Password + key, one login request after the ceremony.
    await logout(page);
    await page.goto(`${t.baseUrl}/login`);
    await page.locator('input[name=email]').fill(RESEARCHER);
    await page.locator('input[name=password]').fill(t.demo.password);
    await page.getByRole('button', { name: 'Utiliser une clé de sécurité' }).click();
    expect(await page.locator('input[name=totp]').count()).toBe(0);
    await page.getByTestId('key-hint').waitFor();
    await page.screenshot({ path: screenshotPath('login-security-key.png'), fullPage: true });
    await page.getByRole('button', { name: 'Se connecter avec ma clé' }).click();
    await page.waitForURL(`${t.baseUrl}/charter`);
    await page.goto(`${t.baseUrl}/account`);
    await expect.poll(() => row.locator('td').nth(2).textContent()).not.toBe('jamais');

    // OIDC without trusted MFA: the provider's sign-in, then the account's key on the second-factor page.
    await logout(page);
    await page.goto(`${t.baseUrl}/login`);
    idp.nextLogin = { accountId: 'sub-chercheur', amr: ['pwd'] };
    await page.getByRole('link', { name: 'Se connecter avec Fournisseur de test' }).click();
    await page.waitForURL(`${t.baseUrl}/second-factor`);
    // Until the factor is given, every page leads back here.
    await page.goto(`${t.baseUrl}/account`);
    await page.waitForURL(`${t.baseUrl}/second-factor`);
    await page.getByRole('button', { name: 'Utiliser une clé de sécurité' }).click();
    await page.getByRole('button', { name: 'Se connecter avec ma clé' }).click();
    await page.waitForURL(`${t.baseUrl}/charter`);
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session).toMatchObject({ level: 'full', mfa: true, secondFactors: { totp: true, webauthn: 1, pending: false } });
    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('AUTH-01: OIDC sign-in then the TOTP code on the second-factor page; a refused provider sign-in comes back as a translated alert', async () => {
    const page = await t.newPage();
    await page.goto(`${t.baseUrl}/login`);
    idp.nextLogin = { accountId: 'sub-inconnu', amr: ['pwd'] };
    await page.getByRole('link', { name: 'Se connecter avec Fournisseur de test' }).click();
    await page.waitForURL(`${t.baseUrl}/login?error=auth.oidc_failed`);
    await page.getByText('La connexion par le fournisseur d’identité n’a pas abouti.', { exact: false }).waitFor();
    await page.screenshot({ path: screenshotPath('login-oidc-error.png'), fullPage: true });

    // The provider remembers who signed in there: forget it, as another person at the same browser would.
    await t.context.clearCookies();
    idp.nextLogin = { accountId: 'sub-chercheur', amr: ['pwd'] };
    await page.getByRole('link', { name: 'Se connecter avec Fournisseur de test' }).click();
    await page.waitForURL(`${t.baseUrl}/second-factor`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Second facteur');
    await page.getByText('Vous êtes identifié·e par Fournisseur de test comme Marc Chercheur.', { exact: false }).waitFor();
    await page.screenshot({ path: screenshotPath('second-factor.png'), fullPage: true });
    await page.locator('input[name=totp]').fill('000000');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Code invalide.').waitFor();
    await page.locator('input[name=totp]').fill(await t.nextTotp(RESEARCHER));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL(`${t.baseUrl}/charter`);
    expect(t.problems).toEqual([]);
    await page.close();
  });

  it('AUTH-01: first sign-in enrols a security key instead of TOTP (recovery codes once); the last factor cannot be removed', async () => {
    const email = 'kim.cle@recherche.example';
    const end = new Date(t.clock.now());
    end.setUTCFullYear(end.getUTCFullYear() + 1);
    await t.hub.services.identity.createUser(systemActor('e2e'), { email, displayName: 'Kim Clé', roles: ['project_member'], endOfRights: end.toISOString().slice(0, 10), password: t.demo.password });

    const page = await t.newPage();
    const credentialCount = await addVirtualAuthenticator(page);
    await login(page, t.baseUrl, email, t.demo.password);
    await page.waitForURL(`${t.baseUrl}/totp-enrolment`);
    const enrol = page.getByTestId('key-enrolment');
    await enrol.getByLabel('Nom de la clé').fill('Ordinateur portable');
    await page.screenshot({ path: screenshotPath('enrolment-security-key.png'), fullPage: true });
    await enrol.getByRole('button', { name: 'Enregistrer ma clé de sécurité' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    expect(await credentialCount()).toBe(1);
    await page.getByRole('button', { name: 'J’ai conservé mes codes' }).click();
    await page.waitForURL(`${t.baseUrl}/charter`);

    await page.goto(`${t.baseUrl}/account`);
    const row = page.getByTestId('security-keys').locator('table tbody tr', { hasText: 'Ordinateur portable' });
    await row.getByRole('button', { name: 'Supprimer' }).click();
    await page.getByText('Impossible de supprimer votre dernier second facteur : enrôlez-en un autre d’abord.').waitFor();
    expect(await row.count()).toBe(1);
    await page.screenshot({ path: screenshotPath('account-last-factor.png'), fullPage: true });

    // Signed out, the key is the way back in.
    await logout(page);
    await page.goto(`${t.baseUrl}/login`);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(t.demo.password);
    await page.getByRole('button', { name: 'Utiliser une clé de sécurité' }).click();
    await page.getByRole('button', { name: 'Se connecter avec ma clé' }).click();
    await page.waitForURL(`${t.baseUrl}/charter`);
    expect(t.problems).toEqual([]);
    await page.close();
  });
});
