/** Inputs and outputs of the identity API; types are inferred from these schemas. */
import { z } from 'zod';
import { roles } from '../platform/actor.js';

export const roleSchema = z.enum(roles);
const isoDay = z.iso.date();

export const loginBody = z.strictObject({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
  totp: z.string().trim().max(12).optional(),
  recoveryCode: z.string().trim().max(40).optional(),
  webauthn: z.strictObject({ challengeId: z.string().max(100), response: z.record(z.string(), z.unknown()) }).optional(),
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
