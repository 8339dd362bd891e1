import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../../test/support/hub.js';

describe.each(stores)('HTTP API on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  it('GET /api/health names the store it runs on', async () => {
    const res = await t.client().get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: store, databaseVersion: expect.stringMatching(/^PostgreSQL \d+/) });
  });

  it('the OpenAPI document is generated from the zod schemas', async () => {
    const res = await t.client().get('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[]; additionalProperties?: boolean } }> } }>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    const login = doc.paths['/api/auth/login']!.post!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(login.properties)).toEqual(expect.arrayContaining(['email', 'password', 'totp', 'recoveryCode']));
    expect(login.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(login.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/session', '/api/audit/events', '/api/admin/access-review', '/api/charters/{kind}/current']));
    const page = await t.client().get('/api/docs');
    expect([200, 302]).toContain(page.statusCode);
  });

  it('errors have stable codes, in French by default and in English on request', async () => {
    const fr = await t.client().get('/api/nope');
    expect(fr.statusCode).toBe(404);
    expect(fr.json()).toEqual({ error: { code: 'request.not_found', message: 'Ressource introuvable : /api/nope' } });
    const en = await t.client().get('/api/nope', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.json()).toEqual({ error: { code: 'request.not_found', message: 'Not found: /api/nope' } });
    const cookie = await t.client().get('/api/nope', { cookie: 'hdh_lang=en', 'accept-language': 'fr' });
    expect(cookie.json<{ error: { message: string } }>().error.message).toBe('Not found: /api/nope');
  });

  it('a non-JSON content type is refused with 415', async () => {
    const res = await t.client().post('/api/auth/login', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'request.unsupported_media_type' } });
  });
});
