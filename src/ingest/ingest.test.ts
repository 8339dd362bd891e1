import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { startTestHub, stores, type TestClient, type TestHub } from '../../test/support/hub.js';
import { beneficiariesCsv } from '../../test/support/ingest.js';
import { withDemoProducers } from '../../test/support/projects.js';

async function send(c: TestClient, table: string, content: Buffer, chunks = 3): Promise<string> {
  const upload = await c.post('/api/ingest/uploads', { table, fileName: `${table}.csv`, size: content.length });
  expect(upload.statusCode, upload.body).toBe(201);
  const id = upload.json<{ id: string }>().id;
  const step = Math.ceil(content.length / chunks);
  for (let offset = 0; offset < content.length; offset += step) {
    const r = await c.request('PUT', `/api/ingest/uploads/${id}/chunks?offset=${offset}`, content.subarray(offset, offset + step), { 'content-type': 'application/octet-stream' });
    expect(r.statusCode, r.body).toBe(200);
  }
  return id;
}

async function load(t: TestHub, c: TestClient, uploadId: string, body: Record<string, unknown> = {}) {
  const started = await c.post(`/api/ingest/uploads/${uploadId}/loads`, body);
  expect(started.statusCode, started.body).toBe(202);
  const id = started.json<{ id: string }>().id;
  await t.hub.services.ingest.settled(id);
  return (await c.get(`/api/ingest/loads/${id}`)).json<Record<string, unknown> & { id: string; status: string; report: Record<string, unknown> }>();
}

describe.each(stores)('ingestion through the API (%s)', (store) => {
  let t: TestHub;
  let producer: TestClient;
  beforeAll(async () => {
    t = await startTestHub(store);
    await withDemoProducers(t);
    producer = await t.login('producteur@cnam.example');
    await producer.acceptCharter();
  }, 120_000);
  afterAll(() => t?.close());

  it('DP-01, LOG-02, LOG-09: chunked upload → report → release; the NIR is nowhere in the lake, the database or the audit log', async () => {
    const { csv, nirs } = beneficiariesCsv(300);
    const uploadId = await send(producer, 'IR_BEN_R', Buffer.from(csv));
    expect((await producer.get(`/api/ingest/uploads/${uploadId}`)).json()).toMatchObject({ status: 'complete', received: Buffer.byteLength(csv) });
    const validated = await load(t, producer, uploadId);
    expect(validated).toMatchObject({ status: 'validated', rowsRead: 300, rowsValid: 300, rowsRejected: 0, pseudonymKey: t.hub.pseudonyms.current() });
    expect(validated.report).toMatchObject({ nir: { distinct: 300, invalid: 0 }, columns: { pseudonymised: ['BEN_NIR_PSA'] } });
    // The raw upload is gone as soon as it was read.
    expect(fs.existsSync(path.join(t.dataDir, 'ingest', 'uploads', `${uploadId}.part`))).toBe(false);

    const published = (await producer.post(`/api/ingest/loads/${validated.id}/publish`)).json<{ status: string; release: { name: string; version: number } }>();
    expect(published).toMatchObject({ status: 'published', release: { name: 'ingest-ir-ben-r', version: 1 } });
    const manifest = t.hub.services.ingest['deps'].lake.readManifest('ingest-ir-ben-r', 1)!;
    expect(manifest).toMatchObject({ synthetic: false, load: { id: validated.id, table: 'IR_BEN_R', pseudonymKey: t.hub.pseudonyms.current(), mode: 'replace' }, tables: [{ name: 'IR_BEN_R', rows: 300 }] });
    expect(manifest.load!.fileSha256).toMatch(/^[0-9a-f]{64}$/);

    const files = t.hub.services.ingest['deps'].lake.tableFiles(manifest, 'IR_BEN_R')!;
    const s = await new DuckDbEngine().open();
    const rows = await s.query(`SELECT BEN_NIR_PSA, BEN_SEX_COD, BEN_DTE_INS FROM read_parquet('${files[0]}')`);
    await s.close();
    const expected = (await t.hub.pseudonyms.open('test', 'test')).pseudonymise(nirs.map((n) => n.slice(0, 13)));
    expect(new Set(rows.map((r) => r.BEN_NIR_PSA))).toEqual(new Set(expected));
    expect(rows[0]!.BEN_DTE_INS).toBe('2015-01-01');

    // Scan: every file under the data dir, and every row of every table of the store.
    const sample = nirs.slice(0, 50).flatMap((n) => [n, n.slice(0, 13)]);
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of walk(t.dataDir)) {
      const bytes = fs.readFileSync(file);
      for (const n of sample) expect(bytes.includes(Buffer.from(n)), `${n} in ${file}`).toBe(false);
    }
    const tables = (await t.superuserSql(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)) as { table_name: string }[];
    for (const { table_name } of tables) {
      const [dump] = (await t.superuserSql(`select coalesce(string_agg(x::text, ' '), '') as text from "${table_name}" x`)) as { text: string }[];
      for (const n of sample) expect(dump!.text.includes(n), `${n} in ${table_name}`).toBe(false);
    }
    const keyAccess = (await t.superuserSql(`select count(*)::int as n from audit_events where action = 'crypto.key_access' and details->>'purpose' = 'ingest'`)) as { n: number }[];
    expect(keyAccess[0]!.n).toBeGreaterThanOrEqual(1);
    const actions = ((await t.superuserSql(`select action from audit_events where action like 'ingest.%' order by seq`)) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['ingest.upload_started', 'ingest.load_started', 'ingest.load_validated', 'ingest.published']));
  });

  it('a malformed file gets a located report, is rejected, and changes nothing in the lake', async () => {
    const { csv } = beneficiariesCsv(20, 11);
    const lines = csv.trimEnd().split('\n');
    lines[3] = lines[3]!.replace(/^(\d{13})(\d\d)/, (_, n: string, k: string) => `${n}${String((Number(k) % 97) + 1).padStart(2, '0')}`);
    lines[5] = lines[5]!.replace(';075;', ';999;');
    lines[7] = lines[7]!.replace('01/01/2015', '31/02/2015');
    const uploadId = await send(producer, 'IR_BEN_R', Buffer.from(lines.join('\n')));
    const before = t.hub.services.ingest['deps'].lake.listReleases('ingest-ir-ben-r').length;
    const rejected = await load(t, producer, uploadId);
    expect(rejected).toMatchObject({ status: 'rejected', rowsRead: 20, rowsRejected: 3 });
    const samples = (rejected.report as { samples: { line: number; problems: { rule: string; column: string }[] }[] }).samples;
    expect(samples.map((x) => [x.line, x.problems[0]!.rule, x.problems[0]!.column])).toEqual([
      [4, 'nir_key', 'BEN_NIR_PSA'],
      [6, 'nomenclature', 'BEN_RES_DPT'],
      [8, 'type', 'BEN_DTE_INS'],
    ]);
    expect((await producer.post(`/api/ingest/loads/${rejected.id}/publish`)).statusCode).toBe(409);
    expect(t.hub.services.ingest['deps'].lake.listReleases('ingest-ir-ben-r')).toHaveLength(before);
  });

  it('quarantine + append: the valid rows become a new release holding the previous files too', async () => {
    const { csv } = beneficiariesCsv(40, 23);
    const lines = csv.trimEnd().split('\n');
    lines[2] = lines[2]!.replace(/^[^;]+/, 'not-a-nir');
    const uploadId = await send(producer, 'IR_BEN_R', Buffer.from(lines.join('\n')), 2);
    const loaded = await load(t, producer, uploadId, { policy: 'quarantine', mode: 'append' });
    expect(loaded).toMatchObject({ status: 'validated', rowsValid: 39, rowsRejected: 1, hasQuarantine: true });
    const q = await producer.get(`/api/ingest/loads/${loaded.id}/quarantine.parquet`);
    expect(q.statusCode).toBe(200);
    expect(q.body.includes('not-a-nir')).toBe(false);
    const published = (await producer.post(`/api/ingest/loads/${loaded.id}/publish`)).json<{ release: { version: number } }>();
    const lake = t.hub.services.ingest['deps'].lake;
    const manifest = lake.readManifest('ingest-ir-ben-r', published.release.version)!;
    const previous = lake.readManifest('ingest-ir-ben-r', published.release.version - 1)!;
    expect(manifest.tables[0]!.rows).toBe(previous.tables[0]!.rows + 39);
    expect(manifest.tables[0]!.files).toHaveLength(previous.tables[0]!.files.length + 1);
  });

  it('resumable upload: a chunk at the wrong offset is refused and the client resumes from `received`', async () => {
    const content = Buffer.from(beneficiariesCsv(10, 5).csv);
    const id = (await producer.post('/api/ingest/uploads', { table: 'IR_BEN_R', fileName: 'x.csv', size: content.length })).json<{ id: string }>().id;
    const put = (offset: number, bytes: Buffer) => producer.request('PUT', `/api/ingest/uploads/${id}/chunks?offset=${offset}`, bytes, { 'content-type': 'application/octet-stream' });
    expect((await put(0, content.subarray(0, 100))).statusCode).toBe(200);
    const wrong = await put(50, content.subarray(50, 150));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ error: { code: 'ingest.bad_offset' } });
    const { received } = (await producer.get(`/api/ingest/uploads/${id}`)).json<{ received: number }>();
    expect((await put(received, content.subarray(received))).json()).toMatchObject({ status: 'complete', received: content.length });
    const started = await producer.post(`/api/ingest/uploads/${id}/loads`, {});
    expect(started.statusCode).toBe(202);
    await t.hub.services.ingest.settled(started.json<{ id: string }>().id);
  });

  it('only producers of the table (and administrators) may load it; researchers may not', async () => {
    const researcher = await t.login('chercheur@recherche.example');
    await researcher.acceptCharter();
    expect((await researcher.post('/api/ingest/uploads', { table: 'IR_BEN_R', fileName: 'x.csv', size: 10 })).statusCode).toBe(403);
    // The Cnam's producer does not produce the CépiDc's tables.
    expect((await producer.post('/api/ingest/uploads', { table: 'KI_CCI_R', fileName: 'x.csv', size: 10 })).statusCode).toBe(403);
    expect((await t.client().post('/api/ingest/uploads', { table: 'IR_BEN_R', fileName: 'x.csv', size: 10 })).statusCode).toBe(401);
  });
});
