/**
 * The WebAuthn ceremonies (clé de sécurité) through @simplewebauthn/browser: the server gives the
 * options, the browser talks to the authenticator, the JSON answer goes back to the server.
 */
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { api, type SecurityKey } from '../api.ts';
import { LocalizedError } from '../i18n.ts';

/** What `POST /api/auth/login` and `/api/auth/second-factor` take as `webauthn`. */
export interface KeyAssertion {
  challengeId: string;
  response: AuthenticationResponseJSON;
}

/** A ceremony that failed in the browser (cancelled, no key…): our words, not the browser's English text. */
function ceremonyError(err: unknown): LocalizedError {
  if (err instanceof WebAuthnError && err.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return new LocalizedError('keys.error.alreadyRegistered');
  if (err instanceof WebAuthnError && (err.code === 'ERROR_INVALID_DOMAIN' || err.code === 'ERROR_INVALID_RP_ID')) return new LocalizedError('keys.error.domain');
  // NotAllowedError covers the user's cancel, the timeout and "no matching key": the browser does not say which.
  return new LocalizedError('keys.error.cancelled');
}

function assertSupported(): void {
  if (!browserSupportsWebAuthn()) throw new LocalizedError('keys.error.unsupported');
}

/** Registers a new key under `label`; the server answers recovery codes when it is the account's first factor. */
export async function registerSecurityKey(label: string): Promise<{ credential: SecurityKey; recoveryCodes: string[] | null }> {
  assertSupported();
  const optionsJSON = await api.post<PublicKeyCredentialCreationOptionsJSON>('/api/auth/webauthn/register/options');
  let response;
  try {
    response = await startRegistration({ optionsJSON });
  } catch (err) {
    throw ceremonyError(err);
  }
  return api.post('/api/auth/webauthn/register/verify', { label, response });
}

/** Asks the server for a challenge for `email`'s keys and has the authenticator sign it. */
export async function assertSecurityKey(email: string): Promise<KeyAssertion> {
  assertSupported();
  const { challengeId, options } = await api.post<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>('/api/auth/webauthn/login/options', { email });
  try {
    return { challengeId, response: await startAuthentication({ optionsJSON: options }) };
  } catch (err) {
    throw ceremonyError(err);
  }
}
