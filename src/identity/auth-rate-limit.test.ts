import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';

describe.each(stores)('rate limit on /api/auth/* on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store, { HDH_AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t?.close());

  it('AUTH-01: a burst of login attempts from one address gets 429 request.rate_limited; other routes and addresses are not limited', async () => {
    const c = t.client();
    const attempt = () => c.post('/api/auth/login', { email: 'chercheur@recherche.example', password: 'guess-guess-guess' });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'request.rate_limited', message: expect.stringMatching(/réessayez dans \d+ s/) } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // A refused-by-limit attempt never reaches the password check: no failure counted against the account.
    const [row] = await t.superuserSql(`select failed_logins from users where email = 'chercheur@recherche.example'`);
    expect(row).toEqual({ failed_logins: 3 });
    // Non-auth API routes stay open to the same address.
    for (let i = 0; i < 5; i++) expect((await c.get('/api/session')).statusCode).toBe(200);
    // Another address has its own budget.
    const other = await t.hub.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.1.2.3', payload: { email: 'x@y.example', password: 'whatever-123456' } });
    expect(other.statusCode).toBe(401);
  });
});
