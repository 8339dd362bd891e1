import { describe, expect, it } from 'vitest';
import type { Session } from '../api.ts';
import { forcedDestination } from './destination.ts';

const anonymous: Session = { authenticated: false, level: null, csrfToken: null, user: null, mfa: false, charterAccepted: false, expired: null, idleTimeoutSeconds: 1800, oidc: { enabled: false, label: '' }, secondFactors: null };
const signedIn = (over: Partial<Session>): Session => ({ ...anonymous, authenticated: true, level: 'full', csrfToken: 'x', mfa: true, ...over });

describe('forcedDestination', () => {
  it('leaves anonymous visitors where they are', () => {
    expect(forcedDestination(anonymous, '/')).toBeNull();
    expect(forcedDestination(undefined, '/audit')).toBeNull();
  });

  it('AUTH-15: an expired session goes to the login page with the reason', () => {
    expect(forcedDestination({ ...anonymous, expired: 'idle' }, '/audit')).toBe('/login?expired=idle');
    expect(forcedDestination({ ...anonymous, expired: 'lifetime' }, '/')).toBe('/login?expired=lifetime');
    expect(forcedDestination({ ...anonymous, expired: 'idle' }, '/login')).toBeNull();
  });

  it('AUTH-01: an enrolment-only session may only enrol its second factor', () => {
    const s = signedIn({ level: 'enrolment', mfa: false, secondFactors: { totp: false, webauthn: 0, pending: false } });
    expect(forcedDestination(s, '/')).toBe('/totp-enrolment');
    expect(forcedDestination(s, '/account')).toBe('/totp-enrolment');
    expect(forcedDestination(s, '/second-factor')).toBe('/totp-enrolment');
    expect(forcedDestination(s, '/totp-enrolment')).toBeNull();
  });

  it('AUTH-01: an OIDC sign-in waiting for the account’s own factor may only give it (ADR 0005)', () => {
    const s = signedIn({ level: 'enrolment', mfa: false, secondFactors: { totp: true, webauthn: 1, pending: true } });
    for (const path of ['/', '/account', '/charter', '/totp-enrolment', '/audit']) expect(forcedDestination(s, path)).toBe('/second-factor');
    expect(forcedDestination(s, '/second-factor')).toBeNull();
    // Once given, the session is full: the step is over and the charter comes next.
    const done = signedIn({ charterAccepted: false, secondFactors: { totp: true, webauthn: 1, pending: false } });
    expect(forcedDestination(done, '/')).toBe('/charter');
    expect(forcedDestination(done, '/account')).toBeNull();
  });

  it('AUTH-05: before accepting the charter, every page but the charter and the account leads to it', () => {
    const s = signedIn({ charterAccepted: false });
    for (const path of ['/', '/audit', '/admin/users', '/nowhere']) expect(forcedDestination(s, path)).toBe('/charter');
    for (const path of ['/charter', '/account']) expect(forcedDestination(s, path)).toBeNull();
    // A citizen's right to oppose needs no charter, even when the citizen also holds an account.
    for (const path of ['/opposition', '/opposition/retrait']) expect(forcedDestination(s, path)).toBeNull();
    expect(forcedDestination(signedIn({ charterAccepted: true }), '/audit')).toBeNull();
  });
});
