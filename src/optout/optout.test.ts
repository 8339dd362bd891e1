/**
 * The opposition registry through the real HTTP app, on every store: a person records and
 * withdraws an opposition with no account; nothing but pseudonyms, dates, status and a receipt
 * hash is kept — the NIR and the birth date are in no table and no log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHexBatch } from '../platform/crypto/pseudonym.js';
import { everyTableAsText, startOptoutTestHub, type OptoutTestHub } from '../../test/support/optout.js';
import { stores } from '../../test/support/hub.js';

// Synthetic NIRs (valid keys, no real person designated on purpose).
const NIR = '1 84 12 75 123 456 40';
const NIR13 = '1841275123456';
const BIRTH = '1984-12-03';
const CORSICA_NIR = '151122A00112381';

interface ErrorBody {
  error: { code: string; message: string; details?: { location: string; problem?: string }[] };
}

describe.each(stores)('opposition registry on %s', (store) => {
  let t: OptoutTestHub;
  beforeAll(async () => {
    t = await startOptoutTestHub(store);
  });
  afterAll(() => t?.close());

  const record = (body: unknown, headers: Record<string, string> = {}) => t.client().post('/api/opposition/records', body, headers);
  const withdraw = (body: unknown) => t.client().post('/api/opposition/withdrawals', body);
  const keysHeld = () => t.secrets.pseudonymisationKeys.map((k) => ({ ...k, secret: Buffer.from(k.key, 'base64') }));

  it('PR-01 DP-01: an opposition recorded with no account is pseudonymised under every key version; neither the NIR nor the birth date is in any table or log line', async () => {
    const res = await record({ nir: NIR, birthDate: BIRTH });
    expect(res.statusCode).toBe(201);
    const { receipt, recordedAt } = res.json<{ receipt: string; recordedAt: string }>();
    expect(receipt).toMatch(/^OPP-(?:[0-9A-Z]{4}-){3}[0-9A-Z]{4}$/);
    expect(recordedAt).toBe(t.clock.now().toISOString());

    const [opposition] = (await t.superuserSql(`select id, status, withdrawn_at from oppositions`)) as { id: string; status: string; withdrawn_at: unknown }[];
    expect(opposition).toMatchObject({ status: 'active', withdrawn_at: null });
    const stored = (await t.superuserSql(`select key_id, key_version, pseudonym from opposition_pseudonyms where opposition_id = '${opposition!.id}' order by key_version`)) as { key_id: string; key_version: number; pseudonym: string }[];
    // One pseudonym per key version held, each the HMAC of the 13 characters under that key.
    expect(stored).toEqual(keysHeld().map((k) => ({ key_id: k.id, key_version: k.version, pseudonym: hmacHexBatch(k.secret, [NIR13])[0] })));

    const tables = await everyTableAsText(t);
    const forbidden = [NIR13, NIR.replace(/ /g, ''), NIR, BIRTH, receipt, receipt.replace(/-/g, '')];
    for (const [table, text] of tables) for (const value of forbidden) expect(text.includes(value), `${value} found in ${table}`).toBe(false);
    // The pseudonym itself stays in the registry: not in the audit trail.
    for (const { pseudonym } of stored) expect(tables.get('audit_events')).not.toContain(pseudonym);
    // Trace level logs requests, and yet no body: no NIR, no birth date, no receipt.
    expect(t.logLines.some((l) => l.includes('/api/opposition/records'))).toBe(true);
    const logs = t.logLines.join('\n');
    for (const value of forbidden) expect(logs).not.toContain(value);

    // Audited with the internal id; each key opening is traced (LOG-09).
    const events = (await t.superuserSql(`select action, actor_id, actor_label, target_id, details from audit_events where action in ('optout.record', 'crypto.key_access') order by seq`)) as { action: string; actor_id: string | null; actor_label: string; target_id: string; details: Record<string, unknown> }[];
    expect(events.filter((e) => e.action === 'crypto.key_access')).toHaveLength(2);
    expect(events.filter((e) => e.action === 'crypto.key_access').map((e) => e.details)).toEqual([{ purpose: 'optout' }, { purpose: 'optout' }]);
    expect(events.at(-1)).toEqual({ action: 'optout.record', actor_id: null, actor_label: 'anonymous', target_id: opposition!.id, details: { keys: keysHeld().sort((a, b) => b.version - a.version).map((k) => `${k.id}@${k.version}`) } });
  });

  it('DP-01: no name is taken — a body with a last name is refused as an unknown field, and the name is stored nowhere', async () => {
    const res = await record({ nir: NIR, birthDate: BIRTH, lastName: 'Dupontel-Synthétique' });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details).toEqual([{ location: 'body', message: expect.stringContaining('lastName') }]);
    for (const [table, text] of await everyTableAsText(t)) expect(text.includes('Dupontel'), table).toBe(false);
    expect(t.logLines.join('\n')).not.toContain('Dupontel');
  });

  it('a NIR with a wrong key, length or character is refused with the field named and the reason, in French by default and in English on request', async () => {
    const wrongKey = await record({ nir: '184127512345641', birthDate: BIRTH });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.json<ErrorBody>().error).toMatchObject({ code: 'optout.nir_key', message: expect.stringContaining('clé du NIR'), details: [{ location: 'body.nir', problem: 'key' }] });
    const short = await record({ nir: '18412751234', birthDate: BIRTH }, { 'accept-language': 'en' });
    expect(short.json<ErrorBody>().error).toMatchObject({ code: 'optout.nir_length', message: expect.stringContaining('15 characters'), details: [{ location: 'body.nir', problem: 'length' }] });
    const letters = await record({ nir: '1841275X2345640', birthDate: BIRTH });
    expect(letters.json<ErrorBody>().error).toMatchObject({ code: 'optout.nir_characters', details: [{ location: 'body.nir', problem: 'characters' }] });
    const missing = await record({ nir: '', birthDate: '1984-13-45' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.details!.map((d) => d.location).sort()).toEqual(['body.birthDate', 'body.nir']);
    // Refusals are audited with the reason alone (LOG-03).
    const refusals = (await t.superuserSql(`select details from audit_events where action = 'optout.record' and outcome = 'failure' order by seq`)) as { details: unknown }[];
    expect(refusals.map((r) => r.details)).toEqual([{ reason: 'nir_key' }, { reason: 'nir_length' }, { reason: 'nir_characters' }]);
  });

  it('the birth date is checked against the NIR (year, month) and says which fields to look at; a Corsican NIR is accepted', async () => {
    const relative = await record({ nir: NIR, birthDate: '1986-12-03' });
    expect(relative.statusCode).toBe(400);
    expect(relative.json<ErrorBody>().error).toMatchObject({ code: 'optout.birth_date_mismatch', details: [{ location: 'body.birthDate', problem: 'birth_year' }, { location: 'body.nir', problem: 'birth_year' }] });
    const future = await record({ nir: NIR, birthDate: '2999-01-01' });
    expect(future.json<ErrorBody>().error).toMatchObject({ code: 'optout.birth_date_future', details: [{ location: 'body.birthDate' }] });
    const corsica = await record({ nir: CORSICA_NIR, birthDate: '1951-12-24' });
    expect(corsica.statusCode).toBe(201);
  });

  it('PR-03: a withdrawal needs the receipt and the same NIR; a wrong NIR or unknown receipt gets one answer naming both fields; the pseudonyms go, the dates stay', async () => {
    const { receipt } = (await record({ nir: '290081305504274', birthDate: '1990-08-15' })).json<{ receipt: string }>();
    const otherNir = await withdraw({ receipt, nir: NIR });
    expect(otherNir.statusCode).toBe(404);
    const unknown = await withdraw({ receipt: (await record({ nir: NIR, birthDate: BIRTH })).json<{ receipt: string }>().receipt.replace(/^OPP-/, 'opp '), nir: '290081305504274' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual(otherNir.json());
    expect(otherNir.json<ErrorBody>().error).toMatchObject({ code: 'optout.no_match', details: [{ location: 'body.receipt' }, { location: 'body.nir' }] });
    const typo = await withdraw({ receipt: receipt.slice(0, -1) + (receipt.endsWith('0') ? '1' : '0'), nir: '290081305504274' });
    expect(typo.json<ErrorBody>().error).toMatchObject({ code: 'optout.receipt_invalid', details: [{ location: 'body.receipt', problem: 'check' }] });

    t.clock.advance(3_600_000);
    const ok = await withdraw({ receipt: receipt.toLowerCase(), nir: '2 90 08 13 055 042 74' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ withdrawnAt: t.clock.now().toISOString() });
    const again = await withdraw({ receipt, nir: '290081305504274' });
    expect(again.statusCode).toBe(404);

    const rows = (await t.superuserSql(`select o.status, o.withdrawn_at is not null as dated, (select count(*)::int from opposition_pseudonyms p where p.opposition_id = o.id) as pseudonyms from oppositions o where o.status = 'withdrawn'`));
    expect(rows).toEqual([{ status: 'withdrawn', dated: true, pseudonyms: 0 }]);
    const failures = (await t.superuserSql(`select details from audit_events where action = 'optout.withdraw' and outcome = 'failure' order by seq`)) as { details: unknown }[];
    expect(failures.map((f) => f.details)).toEqual([{ reason: 'nir_mismatch' }, { reason: 'nir_mismatch' }, { reason: 'receipt_check' }, { reason: 'not_active' }]);
    for (const [table, text] of await everyTableAsText(t)) for (const v of ['2900813055042', '1990-08-15', receipt]) expect(text.includes(v), `${v} in ${table}`).toBe(false);
  });

  it('a signed-in person who records an opposition is not tied to it: the audit names no account', async () => {
    const researcher = await t.login('chercheur@recherche.example');
    const res = await researcher.post('/api/opposition/records', { nir: NIR, birthDate: BIRTH });
    expect(res.statusCode).toBe(201);
    const [last] = (await t.superuserSql(`select actor_id, actor_label from audit_events where action = 'optout.record' order by seq desc limit 1`));
    expect(last).toEqual({ actor_id: null, actor_label: 'anonymous' });
  });

  it('a cross-site post is refused (CSRF by Origin, no session needed)', async () => {
    const res = await record({ nir: NIR, birthDate: BIRTH }, { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
  });

  it('DP-01: after every refusal, withdrawal and error above, no log line holds any NIR, birth date or receipt used', async () => {
    expect(t.logLines.length).toBeGreaterThan(20);
    const logs = t.logLines.join('\n');
    for (const value of [NIR13, '184127512345641', '18412751234', '1841275X2345640', '2900813055042', '151122A001123', '1990-08-15', '1951-12-24', BIRTH, '1986-12-03', 'OPP-']) expect(logs).not.toContain(value);
  });
});
