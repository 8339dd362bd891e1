/**
 * The Fastify application: security headers, locale, session resolution (through a hook the
 * composition root provides), CSRF, error mapping, OpenAPI, and the web UI's static files.
 * Domains add their routes through `register*Routes(app, …)` in their own routes.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Actor } from '../actor.js';
import { constantTimeEqual } from '../crypto/hashing.js';
import { HdhError, messageFor, type Locale } from '../errors.js';

export type HubApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export const SESSION_COOKIE = 'hdh_session';
export const LOCALE_COOKIE = 'hdh_lang';

/** What the session hook finds for a request's cookie. */
export interface ResolvedSession {
  actor: Actor | null;
  csrfToken: string;
  /** Set when the cookie named a session that just died (idle or lifetime): the client is told why. */
  expired?: 'idle' | 'lifetime';
  level: 'full' | 'enrolment';
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: ResolvedSession | null;
    locale: Locale;
  }
}

export interface AppOptions {
  logLevel: string;
  bodyLimit: number;
  trustProxy: boolean;
  tls: boolean;
  publicOrigin: string;
  /** Folder of the built web UI; served with an SPA fallback when it exists. */
  webDist?: string | undefined;
  /** Per-IP limit on `/api/auth/*` (login, second factor, OIDC): slows password and code guessing. */
  authRateLimit?: { max: number; timeWindowMs: number } | undefined;
  /** More per-IP limits, each on the routes under its URL prefix (public forms such as the opposition registry); every route counts apart. */
  routeRateLimits?: RouteRateLimit[] | undefined;
  /** Where log lines go instead of stdout (tests read them to prove what is never logged). */
  logStream?: { write(line: string): void } | undefined;
  resolveSession(request: FastifyRequest, token: string): Promise<ResolvedSession | null>;
}

export interface RouteRateLimit {
  prefix: string;
  max: number;
  timeWindowMs: number;
}

export async function buildApp(options: AppOptions): Promise<HubApp> {
  const app = Fastify({
    // Request logging (debug/trace only) prints method, URL and addresses, never a body.
    logger: options.logLevel === 'silent' ? false : { level: options.logLevel, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'], ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    logController: new LogController({ disableRequestLogging: options.logLevel !== 'debug' && options.logLevel !== 'trace' }),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('locale', 'fr');

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: options.tls ? [] : null,
      },
    },
    hsts: options.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });

  const rateLimits = [...(options.authRateLimit ? [{ prefix: '/api/auth/', ...options.authRateLimit }] : []), ...(options.routeRateLimits ?? [])];
  if (rateLimits.length > 0) {
    // Only the listed routes are limited: a busy analyst's API calls must never hit a limit.
    // This hook runs before the plugin's own onRoute hook, so the plugin sees the route's config.
    app.addHook('onRoute', (route) => {
      const limit = rateLimits.find((l) => route.url.startsWith(l.prefix));
      if (limit) route.config = { ...route.config, rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } };
    });
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new HdhError('request.rate_limited', 429, { seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
    });
  }

  await app.register(swagger, {
    openapi: {
      info: { title: 'Health Data Hub API', description: 'JSON API of the hub. Errors: `{ error: { code, message, details } }`.', version: '0.1.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (request, reply) => {
    request.locale = pickLocale(request);
    if (!request.url.startsWith('/api/')) return;
    // Data and account responses must not sit in any cache (browser or proxy).
    reply.header('Cache-Control', 'no-store');
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      request.session = await options.resolveSession(request, token);
      request.actor = request.session?.actor ?? null;
      if (!request.session || request.session.expired) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    if (isMutation(request.method)) checkCsrf(request, options.publicOrigin);
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply, options.bodyLimit));
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !options.webDist || !fs.existsSync(options.webDist)) {
      return sendError(new HdhError('request.not_found', 404, { path: request.url.split('?')[0] }), request, reply, options.bodyLimit);
    }
    // The web UI routes on the client: any other path gets its index.html.
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });

  if (options.webDist && fs.existsSync(options.webDist)) {
    await app.register(fastifyStatic, {
      root: path.resolve(options.webDist),
      wildcard: false,
      setHeaders: (res, file) => {
        res.header('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  return app;
}

function isMutation(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/**
 * CSRF: with a session, the X-CSRF-Token header must match the session's token. Without one
 * (login, public forms), a cross-site request is refused by its Origin and Sec-Fetch-Site.
 */
function checkCsrf(request: FastifyRequest, publicOrigin: string): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') throw new HdhError('auth.csrf', 403);
  const origin = request.headers.origin;
  if (origin && origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`) throw new HdhError('auth.csrf', 403);
  if (request.session && !request.session.expired) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !constantTimeEqual(sent, request.session.csrfToken)) throw new HdhError('auth.csrf', 403);
  }
}

function pickLocale(request: FastifyRequest): Locale {
  const chosen = request.cookies?.[LOCALE_COOKIE];
  if (chosen === 'en' || chosen === 'fr') return chosen;
  const accept = request.headers['accept-language'] ?? '';
  return /^en\b/i.test(accept.trim()) ? 'en' : 'fr';
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, bodyLimit: number) {
  const { status, code, params, details } = classify(error, bodyLimit, request);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  const body: ErrorBody = { error: { code, message: messageFor(code, request.locale, params), ...(details !== undefined ? { details } : {}) } };
  return reply.status(status).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function classify(error: unknown, bodyLimit: number, request: FastifyRequest): { status: number; code: string; params?: Record<string, unknown>; details?: unknown } {
  if (error instanceof HdhError) return { status: error.status, code: error.code, params: error.params, details: error.details };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const details = error.validation.map((v) => {
      const pathParts = (v.instancePath || '').split('/').filter(Boolean);
      const params = v.params as { issue?: { code?: string; keys?: string[] } } | undefined;
      const keys = params?.issue?.code === 'unrecognized_keys' ? params.issue.keys : undefined;
      const location = [where, ...pathParts].join('.');
      return { location, message: keys ? `unknown field(s): ${keys.join(', ')}` : v.message };
    });
    return { status: 400, code: 'request.invalid', params: { summary: details.map((d) => `${d.location}: ${d.message}`).join('; ') }, details };
  }
  if (isResponseSerializationError(error)) return { status: 500, code: 'internal' };
  const fastifyError = error as { code?: string; statusCode?: number; message?: string };
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'request.body_too_large', params: { limit: bodyLimit } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'request.unsupported_media_type', params: { type: String(request.headers['content-type'] ?? 'none').slice(0, 100) } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'request.malformed_json', params: { detail: 'empty body' }, details: [{ location: 'body', message: 'empty body' }] };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case undefined:
      break;
    default:
      if (fastifyError.statusCode === 429) return { status: 429, code: 'request.rate_limited', params: { seconds: 60 } };
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    const detail = fastifyError.message ?? 'unparsable';
    return { status: 400, code: 'request.malformed_json', params: { detail }, details: [{ location: 'body', message: detail }] };
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, code: 'request.invalid', params: { summary: fastifyError.message ?? '' } };
  }
  return { status: 500, code: 'internal' };
}

/** The caller, or 401. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new HdhError('auth.required', 401, {}, request.session?.expired ? { expired: request.session.expired } : undefined);
  return request.actor;
}

/** The caller with every factor checked (AUTH-01); an enrolment-only session gets 403 mfa_required. */
export function requireFullActor(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (!actor.mfa) throw new HdhError('auth.mfa_required', 403);
  return actor;
}

export function clientIp(request: FastifyRequest): string {
  return request.ip;
}

export function setSessionCookie(reply: FastifyReply, token: string, options: { tls: boolean; maxAgeMs: number }): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: options.tls, maxAge: Math.floor(options.maxAgeMs / 1000) });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
