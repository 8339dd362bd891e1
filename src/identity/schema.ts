/** Inputs and outputs of the identity API; types are inferred from these schemas. */
import { z } from 'zod';
import { roles } from '../platform/actor.js';

export const roleSchema = z.enum(roles);
const isoDay = z.iso.date();

const base64url = z.string().max(4096).regex(/^[A-Za-z0-9_-]*$/, 'base64url');
const transports = z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])).max(10);

/** What `navigator.credentials.get()` returns, as JSON (the shape @simplewebauthn/browser sends). */
export const webauthnAssertion = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url, userHandle: base64url.optional() }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/** What `navigator.credentials.create()` returns, as JSON. */
export const webauthnAttestation = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: z.string().max(16_384).regex(/^[A-Za-z0-9_-]*$/, 'base64url'),
    authenticatorData: base64url.optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

const webauthnLogin = z.strictObject({ challengeId: z.string().max(100), response: webauthnAssertion });

export const loginBody = z.strictObject({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
  totp: z.string().trim().max(12).optional(),
  recoveryCode: z.string().trim().max(40).optional(),
  webauthn: webauthnLogin.optional(),
});

/** The second step of a login whose first factor came from elsewhere (OIDC without trusted MFA). */
export const secondFactorBody = z.strictObject({
  totp: z.string().trim().max(12).optional(),
  recoveryCode: z.string().trim().max(40).optional(),
  webauthn: webauthnLogin.optional(),
});

export const webauthnRegisterBody = z.strictObject({ label: z.string().trim().min(1).max(100), response: webauthnAttestation });
export const webauthnLoginOptionsBody = z.strictObject({ email: z.string().trim().min(3).max(254) });
export const webauthnCredentialView = z.object({ id: z.string(), label: z.string(), transports: z.array(z.string()), createdAt: z.string(), lastUsedAt: z.string().nullable() });
export const credentialIdParams = z.strictObject({ id: base64url.min(1) });
const credentialDescriptor = z.object({ id: z.string(), type: z.literal('public-key'), transports: z.array(z.string()).optional() });
/** Input of `navigator.credentials.create()` as JSON (loose: WebAuthn adds fields over time; we pass them on). */
export const webauthnCreationOptions = z.looseObject({
  challenge: z.string(),
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.literal('public-key') })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
});
/** Input of `navigator.credentials.get()` as JSON. */
export const webauthnRequestOptions = z.looseObject({
  challenge: z.string(),
  rpId: z.string().optional(),
  timeout: z.number().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: z.string().optional(),
});

export const userView = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable().optional(),
  roles: z.array(roleSchema),
  endOfRights: z.string(),
  status: z.enum(['active', 'disabled']),
  locale: z.enum(['fr', 'en']),
  secondFactor: z.object({ totp: z.boolean() }),
  lastLoginAt: z.string().nullable(),
  lastReviewedAt: z.string().nullable(),
  lockedUntil: z.string().nullable(),
});

export const sessionView = z.object({
  authenticated: z.boolean(),
  level: z.enum(['full', 'enrolment']).nullable(),
  csrfToken: z.string().nullable(),
  user: userView.nullable(),
  mfa: z.boolean(),
  charterAccepted: z.boolean(),
  expired: z.enum(['idle', 'lifetime']).nullable(),
  idleTimeoutSeconds: z.number(),
  oidc: z.object({ enabled: z.boolean(), label: z.string() }),
  /** The account's second factors; `pending`: this session waits for one (POST /api/auth/second-factor). */
  secondFactors: z.object({ totp: z.boolean(), webauthn: z.number(), pending: z.boolean() }).nullable(),
});

export const createUserBody = z.strictObject({
  email: z.email().max(254),
  displayName: z.string().trim().min(1).max(200),
  organisationId: z.uuid().nullable().optional(),
  roles: z.array(roleSchema).min(1),
  endOfRights: isoDay,
  password: z.string().min(1).max(1024).optional(),
  locale: z.enum(['fr', 'en']).optional(),
});

export const updateUserBody = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  roles: z.array(roleSchema).optional(),
  endOfRights: isoDay.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const organisationBody = z.strictObject({
  name: z.string().trim().min(2).max(200),
  kind: z.enum(['hub', 'producer', 'research', 'agency', 'company', 'hospital', 'other']),
});

export const accessReviewBody = z.strictObject({
  decision: z.enum(['keep', 'revoke']),
  note: z.string().trim().min(3).max(2000),
});

export const totpConfirmBody = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'six digits') });
export const passwordChangeBody = z.strictObject({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) });
export const localeBody = z.strictObject({ locale: z.enum(['fr', 'en']) });
export const idParams = z.strictObject({ id: z.uuid() });
