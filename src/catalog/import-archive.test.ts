import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mini-catalogue');

/** The fixture folder as zip entries under `prefix`, plus any extra entries. */
function zipOf(prefix: string, extra: Record<string, Uint8Array> = {}): Buffer {
  const entries: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else entries[prefix + path.relative(fixture, full).split(path.sep).join('/')] = fs.readFileSync(full);
    }
  };
  walk(fixture);
  return Buffer.from(zipSync({ ...entries, ...extra }));
}

function multipart(filename: string, content: Buffer) {
  const boundary = `----hdh${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/zip\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(stores)('catalogue import from the admin UI on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  it('hub staff import a .zip of a Frictionless folder (larger than the JSON body limit); it is audited', async () => {
    const instructor = await t.login('instructeur@hdh.example');
    // 2 MiB of incompressible bytes beside the schemas: the upload exceeds the 1 MiB JSON limit.
    const upload = multipart('mini.zip', zipOf('mini-catalogue/', { 'mini-catalogue/README.bin': crypto.randomBytes(2 * 2 ** 20) }));
    expect(upload.body.length).toBeGreaterThan(2 * 2 ** 20);
    const res = await instructor.post('/api/admin/catalog/import', upload.body, upload.headers);
    expect(res.statusCode).toBe(200);
    const result = res.json<{ source: string; version: number; diff: { tables: { added: number } } }>();
    expect(result.source).toBe('mini');
    expect(result.diff.tables.added).toBeGreaterThan(0);
    const tables = (await t.client().get('/api/catalog/tables')).json<unknown[]>();
    expect(tables.length).toBe(result.diff.tables.added);
    const [event] = (await t.superuserSql(`select actor_label, target_id from audit_events where action = 'catalog.import' order by seq desc limit 1`)) as Record<string, unknown>[];
    expect(event).toEqual({ actor_label: 'instructeur@hdh.example', target_id: 'mini' });
  });

  it('a malformed schema in the archive is reported with file and JSON pointer, and nothing is applied', async () => {
    const instructor = await t.login('instructeur@hdh.example');
    const before = (await t.client().get('/api/catalog/versions')).json<unknown[]>().length;
    const broken = strToU8(JSON.stringify({ name: 'BROKEN_T', fields: [{ name: 'A', type: 'string' }, { type: 'integer' }] }));
    const upload = multipart('broken.zip', zipOf('', { 'schemas/BENEFICIAIRE/BROKEN_T.json': broken }));
    const res = await instructor.post('/api/admin/catalog/import', upload.body, upload.headers);
    expect(res.statusCode).toBe(422);
    const body = res.json<{ error: { code: string; details: { problems: { file: string; pointer: string }[] } } }>();
    expect(body.error.code).toBe('catalog.import_invalid');
    expect(body.error.details.problems).toContainEqual(expect.objectContaining({ file: 'schemas/BENEFICIAIRE/BROKEN_T.json', pointer: expect.stringContaining('/fields/1') }));
    expect((await t.client().get('/api/catalog/versions')).json<unknown[]>().length).toBe(before);
  });

  it('entries escaping the archive and non-zip files are refused; researchers cannot import', async () => {
    const instructor = await t.login('instructeur@hdh.example');
    const slip = multipart('evil.zip', zipOf('', { '../../escaped.txt': strToU8('x') }));
    const refused = await instructor.post('/api/admin/catalog/import', slip.body, slip.headers);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'catalog.archive_invalid' } });
    const junk = multipart('junk.zip', Buffer.from('not a zip at all'));
    expect((await instructor.post('/api/admin/catalog/import', junk.body, junk.headers)).json()).toMatchObject({ error: { code: 'catalog.archive_invalid' } });
    const researcher = await t.login('chercheur@recherche.example');
    const ok = multipart('mini.zip', zipOf(''));
    expect((await researcher.post('/api/admin/catalog/import', ok.body, ok.headers)).statusCode).toBe(403);
  });
});
