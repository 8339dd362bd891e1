/**
 * The one door to the hub's JSON API: same-origin cookies, the session's CSRF token on every
 * mutation, and errors as `ApiError` carrying the server's `{ code, message, details }`.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The session died of inactivity or age (the server says so in `details.expired`). */
  get sessionExpired(): boolean {
    return this.status === 401 && typeof this.details === 'object' && this.details !== null && 'expired' in this.details;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

let csrfToken: string | null = null;
let expiryListener: (() => void) | null = null;
let lastCallAt = Date.now();

/** When the last API call left: every call resets the server's idle clock (AUTH-15). */
export function lastApiCallAt(): number {
  return lastCallAt;
}

/** Remembers the token the server gave (login, /api/session); null after logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called once by the shell: where to go when a call finds the session expired. */
export function onSessionExpired(listener: () => void): void {
  expiryListener = listener;
}

async function freshCsrfToken(): Promise<string | null> {
  const session = await request<{ csrfToken: string | null }>('GET', '/api/session');
  csrfToken = session.csrfToken;
  return csrfToken;
}

async function request<T>(method: Method, url: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const isForm = body instanceof FormData;
  // Raw bytes (a slice of a File) go as they are: the browser streams them from disk.
  const isBytes = body instanceof Blob;
  // A FormData body sets its own multipart Content-Type (with the boundary).
  if (isBytes) headers['Content-Type'] = 'application/octet-stream';
  else if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    // Without a session the server needs no token (login); with one it must match.
    const token = csrfToken ?? (await freshCsrfToken());
    if (token) headers['X-CSRF-Token'] = token;
  }
  lastCallAt = Date.now();
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: isForm || isBytes ? body : JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const apiError = new ApiError(response.status, error?.code ?? `http.${response.status}`, error?.message ?? response.statusText, error?.details);
    if (apiError.code === 'auth.csrf' && !retried) {
      // The session changed under us (sign-in in another tab): take its token and try once more.
      csrfToken = null;
      return request<T>(method, url, body, true);
    }
    if (apiError.sessionExpired) {
      csrfToken = null;
      expiryListener?.();
    }
    throw apiError;
  }
  const token = (parsed as { csrfToken?: unknown } | undefined)?.csrfToken;
  // /api/session is the reference (null when signed out); login answers carry the new token.
  if (url === '/api/session') csrfToken = typeof token === 'string' ? token : null;
  else if (typeof token === 'string') csrfToken = token;
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'http.unparsable', message: text.slice(0, 200) } };
  }
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body),
  patch: <T>(url: string, body?: unknown) => request<T>('PATCH', url, body),
  put: <T>(url: string, body?: unknown) => request<T>('PUT', url, body),
  delete: <T>(url: string) => request<T>('DELETE', url),
  /** A multipart upload (files); same session, CSRF token and errors as the JSON calls. */
  upload: <T>(url: string, form: FormData) => request<T>('POST', url, form),
  /** Raw bytes (`application/octet-stream`), e.g. one chunk `file.slice(a, b)` of a resumable upload. */
  putBytes: <T>(url: string, bytes: Blob) => request<T>('PUT', url, bytes),
};

/** Builds `path?query` leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

// Shapes of the API answers the shell uses (mirrors src/identity/schema.ts).
export type Role =
  | 'administrator'
  | 'security_officer'
  | 'hub_instructor'
  | 'output_reviewer'
  | 'data_producer'
  | 'project_lead'
  | 'project_member';

export interface User {
  id: string;
  email: string;
  displayName: string;
  organisationId: string | null;
  organisationName?: string | null;
  roles: Role[];
  endOfRights: string;
  status: 'active' | 'disabled';
  locale: 'fr' | 'en';
  secondFactor: { totp: boolean };
  lastLoginAt: string | null;
  lastReviewedAt: string | null;
  lockedUntil: string | null;
}

export interface Session {
  authenticated: boolean;
  level: 'full' | 'enrolment' | null;
  csrfToken: string | null;
  user: User | null;
  mfa: boolean;
  charterAccepted: boolean;
  expired: 'idle' | 'lifetime' | null;
  idleTimeoutSeconds: number;
  oidc: { enabled: boolean; label: string };
  /** The account's second factors; `pending`: an OIDC sign-in waits for one (POST /api/auth/second-factor). */
  secondFactors: { totp: boolean; webauthn: number; pending: boolean } | null;
}

/** One of my security keys (GET /api/auth/webauthn/credentials). */
export interface SecurityKey {
  id: string;
  label: string;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}
