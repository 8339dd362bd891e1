/** HTTP adapter of identity: parse → call the service → present. No access decision here. */
import { z } from 'zod';
import { HdhError } from '../platform/errors.js';
import { clearSessionCookie, clientIp, requireActor, requireFullActor, setSessionCookie, type HubApp } from '../platform/http/app.js';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AuthenticationService } from './authentication.js';
import type { OidcService } from './oidc.js';
import * as s from './schema.js';
import type { IdentityService } from './service.js';
import type { WebauthnService } from './webauthn.js';

export interface IdentityRouteDeps {
  identity: IdentityService;
  auth: AuthenticationService;
  webauthn: WebauthnService;
  tls: boolean;
  sessionMaxMs: number;
  idleTimeoutSeconds: number;
  oidc: { enabled: boolean; label: string };
  /** Present when HDH_OIDC_* configure a provider. */
  oidcService?: OidcService | undefined;
}

/** Binds an OIDC flow to the browser that started it; Lax, as the provider's redirect back is cross-site. */
const OIDC_STATE_COOKIE = 'hdh_oidc_state';

export function registerIdentityRoutes(app: HubApp, deps: IdentityRouteDeps): void {
  const { identity, auth, webauthn } = deps;
  // zod checked the shape; the library's types describe the same JSON with stricter literals.
  const verifierOf = (w: { challengeId: string; response: unknown } | undefined) => (w ? webauthn.loginVerifier(w.challengeId, w.response as AuthenticationResponseJSON) : Promise.resolve(undefined));

  app.get('/api/session', { schema: { tags: ['identity'], summary: 'The caller’s session (works without one)', response: { 200: s.sessionView } } }, async (request) => {
    const actor = request.actor;
    const level = request.session && !request.session.expired ? request.session.level : null;
    const account = actor ? await identity.getUserWithFactors(actor.userId) : null;
    const factors = account?.secondFactors ?? null;
    return {
      authenticated: !!actor,
      level,
      csrfToken: actor ? request.session!.csrfToken : null,
      user: account?.user ?? null,
      mfa: actor?.mfa ?? false,
      charterAccepted: actor?.charterAccepted ?? false,
      expired: request.session?.expired ?? null,
      idleTimeoutSeconds: deps.idleTimeoutSeconds,
      oidc: deps.oidc,
      secondFactors: factors && { ...factors, pending: level === 'enrolment' && (factors.totp || factors.webauthn > 0) },
    };
  });

  app.post('/api/auth/login', { schema: { tags: ['identity'], summary: 'Password and second factor in one step', body: s.loginBody, response: { 200: z.object({ level: z.enum(['full', 'enrolment']), csrfToken: z.string() }) } } }, async (request, reply) => {
    const { email, password, totp, recoveryCode } = request.body;
    const result = await auth.login({ email, password, totp, recoveryCode, webauthn: await verifierOf(request.body.webauthn), ip: clientIp(request), userAgent: request.headers['user-agent'] ?? null });
    setSessionCookie(reply, result.session.token, { tls: deps.tls, maxAgeMs: deps.sessionMaxMs });
    return { level: result.level, csrfToken: result.session.row.csrf_token };
  });

  app.post('/api/auth/second-factor', { schema: { tags: ['identity'], summary: 'Second step after a login whose first factor came from OIDC (ADR 0005)', body: s.secondFactorBody, response: { 200: z.object({ level: z.literal('full') }) } } }, async (request) => {
    const { totp, recoveryCode } = request.body;
    return auth.completeSecondFactor(requireActor(request), { totp, recoveryCode, webauthn: await verifierOf(request.body.webauthn) });
  });

  app.post('/api/auth/webauthn/register/options', { schema: { tags: ['identity'], summary: 'Start registering a security key (options for navigator.credentials.create)', response: { 200: s.webauthnCreationOptions } } }, async (request) => ({ ...(await webauthn.registrationOptions(requireActor(request))) }));

  app.post('/api/auth/webauthn/register/verify', { schema: { tags: ['identity'], summary: 'Finish registering a security key', body: s.webauthnRegisterBody, response: { 200: z.object({ credential: s.webauthnCredentialView, recoveryCodes: z.array(z.string()).nullable() }) } } }, async (request) =>
    webauthn.verifyRegistration(requireActor(request), request.body.label, request.body.response as RegistrationResponseJSON),
  );

  app.get('/api/auth/webauthn/credentials', { schema: { tags: ['identity'], summary: 'My security keys', response: { 200: z.array(s.webauthnCredentialView) } } }, async (request) => webauthn.list(requireActor(request)));

  app.delete('/api/auth/webauthn/credentials/:id', { schema: { tags: ['identity'], params: s.credentialIdParams, response: { 204: z.null() } } }, async (request, reply) => {
    await webauthn.remove(requireFullActor(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/auth/webauthn/login/options', { schema: { tags: ['identity'], summary: 'Challenge for a security-key login (reveals nothing about the account)', body: s.webauthnLoginOptionsBody, response: { 200: z.object({ challengeId: z.string(), options: s.webauthnRequestOptions }) } } }, async (request) => {
    const { challengeId, options } = await webauthn.loginOptions(request.body.email);
    return { challengeId, options: { ...options } };
  });

  app.get('/api/auth/oidc/start', { schema: { tags: ['identity'], summary: 'Redirects to the identity provider (OIDC, optional)' } }, async (request, reply) => {
    if (!deps.oidcService) throw new HdhError('auth.oidc_disabled', 404);
    const { url, state } = await deps.oidcService.start(clientIp(request));
    reply.setCookie(OIDC_STATE_COOKIE, state, { path: '/api/auth/oidc/', httpOnly: true, sameSite: 'lax', secure: deps.tls, maxAge: 600 });
    return reply.redirect(url, 302);
  });

  app.get('/api/auth/oidc/callback', { schema: { tags: ['identity'], summary: 'Return from the identity provider: opens a session, then back to the web UI' } }, async (request, reply) => {
    if (!deps.oidcService) throw new HdhError('auth.oidc_disabled', 404);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    reply.clearCookie(OIDC_STATE_COOKIE, { path: '/api/auth/oidc/' });
    try {
      const result = await deps.oidcService.callback({ query, boundState: request.cookies[OIDC_STATE_COOKIE], ip: clientIp(request), userAgent: request.headers['user-agent'] ?? null });
      setSessionCookie(reply, result.session.token, { tls: deps.tls, maxAgeMs: deps.sessionMaxMs });
      // The web UI reads /api/session: level and secondFactors.pending say what comes next.
      return reply.redirect('/', 303);
    } catch (err) {
      if (!(err instanceof HdhError)) throw err;
      return reply.redirect(`/login?error=${encodeURIComponent(err.code)}`, 303);
    }
  });

  app.post('/api/auth/logout', { schema: { tags: ['identity'], response: { 204: z.null() } } }, async (request, reply) => {
    if (request.actor) await auth.logout(request.actor);
    clearSessionCookie(reply);
    return reply.status(204).send(null);
  });

  app.post('/api/auth/totp/enrol', { schema: { tags: ['identity'], summary: 'Start TOTP enrolment (QR code)', response: { 200: z.object({ secret: z.string(), uri: z.string(), qrSvg: z.string() }) } } }, async (request) => auth.beginTotpEnrolment(requireActor(request)));

  app.post('/api/auth/totp/confirm', { schema: { tags: ['identity'], body: s.totpConfirmBody, response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } } }, async (request) => auth.confirmTotpEnrolment(requireActor(request), request.body.code));

  app.post('/api/auth/recovery-codes', { schema: { tags: ['identity'], summary: 'Replace the recovery codes', response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } } }, async (request) => auth.regenerateRecoveryCodes(requireFullActor(request)));

  app.get('/api/me/security', { schema: { tags: ['identity'], response: { 200: z.object({ recoveryCodesLeft: z.number() }) } } }, async (request) => ({ recoveryCodesLeft: await auth.recoveryCodesLeft(requireActor(request).userId) }));

  app.post('/api/me/password', { schema: { tags: ['identity'], body: s.passwordChangeBody, response: { 204: z.null() } } }, async (request, reply) => {
    await auth.changePassword(requireFullActor(request), request.body.current, request.body.next);
    return reply.status(204).send(null);
  });

  app.get('/api/admin/users', { schema: { tags: ['admin'], response: { 200: z.array(s.userView) } } }, async (request) => identity.listUsers(requireFullActor(request)));

  app.post('/api/admin/users', { schema: { tags: ['admin'], body: s.createUserBody, response: { 201: s.userView } } }, async (request, reply) => reply.status(201).send(await identity.createUser(requireFullActor(request), request.body)));

  app.patch('/api/admin/users/:id', { schema: { tags: ['admin'], params: s.idParams, body: s.updateUserBody, response: { 200: s.userView } } }, async (request) => identity.updateUser(requireFullActor(request), request.params.id, request.body));

  app.get('/api/admin/organisations', { schema: { tags: ['admin'], response: { 200: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })) } } }, async (request) => {
    requireActor(request);
    return identity.listOrganisations();
  });

  app.post('/api/admin/organisations', { schema: { tags: ['admin'], body: s.organisationBody, response: { 201: z.object({ id: z.string(), name: z.string(), kind: z.string() }) } } }, async (request, reply) => reply.status(201).send(await identity.createOrganisation(requireFullActor(request), request.body)));

  app.get('/api/admin/access-review', { schema: { tags: ['admin'], summary: 'Annual review of every account (AUTH-08)', response: { 200: z.array(s.userView.extend({ reviewDue: z.boolean(), expired: z.boolean() })) } } }, async (request) => identity.accessReview(requireFullActor(request)));

  app.post('/api/admin/users/:id/review', { schema: { tags: ['admin'], params: s.idParams, body: s.accessReviewBody, response: { 204: z.null() } } }, async (request, reply) => {
    await identity.recordAccessReview(requireFullActor(request), request.params.id, request.body.decision, request.body.note);
    return reply.status(204).send(null);
  });
}
