/** Where the session's state forces the user to go, whatever page they asked for. */
import type { Session } from '../api.ts';

/** Pages an authenticated user may still open before accepting the charter (AUTH-05); a citizen's right needs no charter. */
const openBeforeCharter = ['/charter', '/account', '/login', '/totp-enrolment', '/opposition', '/opposition/retrait'];

/**
 * `null` to stay on `path`; otherwise the login page (session expired, with the reason), the
 * second step of an OIDC sign-in waiting for the account's own factor, the second-factor
 * enrolment (a first sign-in without any factor may do nothing else), or the charter.
 */
export function forcedDestination(session: Session | undefined, path: string): string | null {
  if (!session) return null;
  if (session.expired && path !== '/login') return `/login?expired=${session.expired}`;
  if (!session.authenticated) return null;
  if (session.level === 'enrolment') {
    const step = session.secondFactors?.pending ? '/second-factor' : '/totp-enrolment';
    return path === step ? null : step;
  }
  if (!session.charterAccepted && !openBeforeCharter.includes(path)) return '/charter';
  return null;
}
