/** Where the session's state forces the user to go, whatever page they asked for. */
import type { Session } from '../api.ts';

/** Pages an authenticated user may still open before accepting the charter (AUTH-05). */
const openBeforeCharter = ['/charter', '/account', '/login', '/totp-enrolment'];

/**
 * `null` to stay on `path`; otherwise the login page (session expired, with the reason), the
 * TOTP enrolment (a password-only first sign-in may do nothing else), or the charter.
 */
export function forcedDestination(session: Session | undefined, path: string): string | null {
  if (!session) return null;
  if (session.expired && path !== '/login') return `/login?expired=${session.expired}`;
  if (!session.authenticated) return null;
  if (session.level === 'enrolment') return path === '/totp-enrolment' ? null : '/totp-enrolment';
  if (!session.charterAccepted && !openBeforeCharter.includes(path)) return '/charter';
  return null;
}
