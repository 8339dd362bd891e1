/**
 * Record linkage through the real HTTP app, on every store: uploads, probabilistic and
 * deterministic runs, reports, access rules, located errors, the audit trail (LOG-01, LOG-02,
 * LOG-03, LOG-09) and the absence of any NIR or trait after a run (DP-01).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stores, startTestHub, type TestClient, type TestHub } from '../../test/support/hub.js';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { ensureDemoSyntheticRelease } from '../synthetic/service.js';
import type { RunSummary, RunView, UploadView } from './schema.js';
import { generateTruthSet, writeTruthSetCsv, type TruthSet } from './truth-set.js';

function multipart(filename: string, content: Buffer) {
  const boundary = `----hdh${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.each(stores)('record linkage on %s', (store) => {
  let t: TestHub;
  let instructor: TestClient;
  let set: TruthSet;
  let csv: { reference: Buffer; source: Buffer };

  beforeAll(async () => {
    t = await startTestHub(store);
    instructor = await t.login('instructeur@hdh.example');
    await instructor.acceptCharter();
    set = generateTruthSet({ referencePeople: 600, sourceRecords: 500, seed: 11 });
    const files = writeTruthSetCsv(set, path.join(t.dataDir, 'truth'));
    csv = { reference: fs.readFileSync(files.reference), source: fs.readFileSync(files.source) };
    fs.rmSync(path.join(t.dataDir, 'truth'), { recursive: true });
  });
  afterAll(async () => t?.close());

  async function upload(client: TestClient, name: string, content: Buffer): Promise<UploadView> {
    const form = multipart(name, content);
    const res = await client.post('/api/admin/linkage/uploads', form.body, form.headers);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<UploadView>();
  }

  async function finished(client: TestClient, id: string): Promise<RunView> {
    await t.hub.services.linkage.idle();
    const res = await client.get(`/api/admin/linkage/runs/${id}`);
    expect(res.statusCode).toBe(200);
    return res.json<RunView>();
  }

  it('only hub staff with a full session and the charter may link', async () => {
    expect((await t.client().get('/api/admin/linkage/runs')).statusCode).toBe(401);
    const lead = await t.login('porteur@recherche.example');
    await lead.acceptCharter();
    expect((await lead.get('/api/admin/linkage/runs')).statusCode).toBe(403);
    const form = multipart('reference.csv', csv.reference);
    expect((await lead.post('/api/admin/linkage/uploads', form.body, form.headers)).statusCode).toBe(403);
    const producer = await t.login('producteur@cnam.example');
    await producer.acceptCharter();
    expect((await producer.get('/api/admin/linkage/runs')).statusCode).toBe(403);
    const admin = await t.login('admin@hdh.example');
    expect((await admin.get('/api/admin/linkage/runs')).json<{ error: { code: string } }>().error.code).toBe('auth.charter_required');
  });

  it('LOG-01, LOG-02, LOG-09, DP-01: upload both files, run, read the report; audited with counts only; no NIR or trait left anywhere', async () => {
    const reference = await upload(instructor, 'reference.csv', csv.reference);
    const source = await upload(instructor, 'registre.csv', csv.source);
    expect(reference).toMatchObject({ name: 'reference.csv', format: 'csv', bytes: csv.reference.length });
    expect((await instructor.get('/api/admin/linkage/uploads')).json<UploadView[]>().map((u) => u.id)).toEqual(expect.arrayContaining([reference.id, source.id]));

    const start = await instructor.post('/api/admin/linkage/runs', { kind: 'probabilistic', output: 'linkage-registre', reference: { upload: reference.id }, source: { upload: source.id }, settings: { threshold: 0.5 } });
    expect(start.statusCode, start.body).toBe(202);
    const queued = start.json<RunView>();
    expect(['queued', 'running']).toContain(queued.status);
    // An upload belongs to one run.
    const again = await instructor.post('/api/admin/linkage/runs', { kind: 'probabilistic', output: 'linkage-registre', reference: { upload: reference.id }, source: { upload: source.id } });
    expect(again.statusCode).toBe(404);
    expect(again.json<{ error: { code: string; details: { location: string }[] } }>().error.details[0]!.location).toBe('body.reference.upload');

    const run = await finished(instructor, queued.id);
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    const report = run.report!;
    if (report.kind !== 'probabilistic') throw new Error('expected a probabilistic report');
    expect(report.source.records).toBe(500);
    expect(report.reference.persons).toBe(600);
    expect(report.links).toBeGreaterThan(350);
    expect(report.links).toBeLessThanOrEqual(400 + 10);
    expect(report.histogram.length).toBeGreaterThan(5);
    expect(report.model.comparisons.map((c) => c.key)).toEqual(['last_name', 'first_name', 'birth_date', 'sex', 'commune']);
    expect(report.estimatedPrecision).toBeGreaterThan(0.95);
    expect(run.release).toEqual({ name: 'linkage-registre', version: 1 });
    expect(run.links).toBe(report.links);
    expect(run.parameters).toMatchObject({ output: 'linkage-registre', reference: { file: 'reference.csv' }, source: { file: 'registre.csv' } });
    const list = (await instructor.get('/api/admin/linkage/runs')).json<RunSummary[]>();
    expect(list.find((r) => r.id === run.id)).toMatchObject({ status: 'succeeded', kind: 'probabilistic', startedBy: 'instructeur@hdh.example' });

    // The uploads and the working folder are gone; the release is not a public synthetic one.
    expect((await instructor.get('/api/admin/linkage/uploads')).json<UploadView[]>()).toEqual([]);
    expect(filesUnder(path.join(t.dataDir, 'linkage'))).toEqual([]);
    expect((await t.client().get('/api/synthetic/releases')).json<{ name: string }[]>().map((r) => r.name)).not.toContain('linkage-registre');

    // The audit trail: both uploads, the run queued and completed, the key opened for linkage.
    const events = (await t.superuserSql(`select action, outcome, actor_label, target_id, details::text as details from audit_events where action like 'linkage.%' or action = 'crypto.key_access' order by seq`)) as { action: string; outcome: string; actor_label: string; target_id: string; details: string }[];
    expect(events.filter((e) => e.action === 'linkage.file_uploaded')).toHaveLength(2);
    expect(events.find((e) => e.action === 'linkage.run_queued' && e.target_id === run.id)?.actor_label).toBe('instructeur@hdh.example');
    const completed = events.find((e) => e.action === 'linkage.run_completed' && e.target_id === run.id)!;
    expect(JSON.parse(completed.details)).toMatchObject({ kind: 'probabilistic', links: report.links, pairsScored: report.pairsScored, source: { records: 500 } });
    expect(events.some((e) => e.action === 'crypto.key_access' && JSON.parse(e.details).purpose === 'linkage')).toBe(true);

    // DP-01: no NIR, name or birth date of the files in the database, the lake or the data folder.
    const nirs = set.reference.map((p) => p.nir.slice(0, 13));
    const names = [...new Set(set.reference.map((p) => p.lastName!.toUpperCase()))].filter((n) => n.length >= 7).slice(0, 50);
    const dbText = JSON.stringify(await t.superuserSql(`select (select coalesce(string_agg(details::text, ' '), '') from audit_events) as a, (select coalesce(string_agg(coalesce(report::text, '') || parameters::text, ' '), '') from linkage_runs) as r`));
    const leaks = (text: string) => [...nirs, ...names].filter((v) => text.includes(v));
    expect(leaks(dbText)).toEqual([]);
    for (const file of filesUnder(t.dataDir)) expect(leaks(fs.readFileSync(file, 'latin1')), file).toEqual([]);
    const engine = await new DuckDbEngine().open({ threads: 1 });
    try {
      const rows = await engine.query(`SELECT * FROM read_parquet('${path.join(t.hub.config.lakeDir, 'releases', 'linkage-registre', '1', 'LINKAGE', 'part-0.parquet')}')`);
      expect(rows).toHaveLength(report.links);
      expect(Object.keys(rows[0]!)).toEqual(['pseudonym', 'source_record_id', 'match_weight', 'match_probability']);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(String(r.pseudonym)))).toBe(true);
      expect(leaks(JSON.stringify(rows))).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('LOG-03: bad inputs give located errors; a run that fails is recorded and audited as a failure', async () => {
    expect((await instructor.post('/api/admin/linkage/runs', { kind: 'probabilistic', output: 'x', reference: { upload: crypto.randomUUID() }, source: { upload: crypto.randomUUID() } })).json<{ error: { code: string } }>().error.code).toBe('linkage.upload_not_found');
    expect((await instructor.post('/api/admin/linkage/runs', { kind: 'probabilistic', output: 'Bad Name', reference: { upload: crypto.randomUUID() }, source: { upload: crypto.randomUUID() } })).statusCode).toBe(400);
    expect((await instructor.post('/api/admin/linkage/runs', { kind: 'deterministic', left: { release: 'nope', version: 1, table: 'IR_BEN_R' }, right: { release: 'nope', version: 1, table: 'ER_PRS_F' }, extra: 1 })).statusCode).toBe(400);
    const notFound = await instructor.post('/api/admin/linkage/runs', { kind: 'deterministic', left: { release: 'nope', version: 1, table: 'IR_BEN_R' }, right: { release: 'nope', version: 1, table: 'ER_PRS_F' } });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json<{ error: { code: string; details: { location: string }[] } }>().error).toMatchObject({ code: 'linkage.release_not_found', details: [{ location: 'left.release' }] });
    const form = multipart('notes.json', Buffer.from('{}'));
    expect((await instructor.post('/api/admin/linkage/uploads', form.body, form.headers)).json<{ error: { code: string } }>().error.code).toBe('linkage.file_format');

    // A source with a duplicated record id: the run fails, naming the line, in the reader's language.
    const lines = csv.source.toString('utf8').trimEnd().split('\n');
    const duplicated = Buffer.from([...lines, lines[1]!].join('\n') + '\n');
    const reference = await upload(instructor, 'reference.csv', csv.reference);
    const source = await upload(instructor, 'registre.csv', duplicated);
    const queued = (await instructor.post('/api/admin/linkage/runs', { kind: 'probabilistic', output: 'linkage-bad', reference: { upload: reference.id }, source: { upload: source.id } })).json<RunView>();
    const run = await finished(instructor, queued.id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('linkage.source_id_duplicate');
    expect(run.error?.message).toContain(`ligne ${lines.length + 1}`);
    const english = (await instructor.get(`/api/admin/linkage/runs/${run.id}`, { 'accept-language': 'en' })).json<RunView>();
    expect(english.error?.message).toBe(`Duplicate record id "${lines[1]!.split(';')[0]}" in registre.csv, line ${lines.length + 1}.`);
    const failed = (await t.superuserSql(`select outcome, details::text as details from audit_events where action = 'linkage.run_failed' and target_id = '${run.id}'`)) as { outcome: string; details: string }[];
    expect(failed).toHaveLength(1);
    expect(failed[0]!.outcome).toBe('failure');
    expect(JSON.parse(failed[0]!.details)).toEqual({ kind: 'probabilistic', code: 'linkage.source_id_duplicate' });
    // The failed run's uploads are deleted too; nothing published.
    expect(filesUnder(path.join(t.dataDir, 'linkage'))).toEqual([]);
    expect(t.hub.services.linkage.lakeTables({ kind: 'system', label: 'test', ip: null }).some((r) => r.name === 'linkage-bad')).toBe(false);

    // A reference without the named column: located by side and field.
    const ref2 = await upload(instructor, 'reference.csv', csv.reference);
    const src2 = await upload(instructor, 'registre.csv', csv.source);
    const missing = (await instructor.post('/api/admin/linkage/runs', { kind: 'probabilistic', output: 'linkage-bad', reference: { upload: ref2.id, columns: { nir: 'NIR_BENEF' } }, source: { upload: src2.id } })).json<RunView>();
    const missingRun = await finished(instructor, missing.id);
    expect(missingRun.error).toMatchObject({ code: 'linkage.column_missing' });
    expect(missingRun.error?.message).toContain('NIR_BENEF');
  });

  it('LOG-01: a deterministic run links two lake tables on BEN_NIR_PSA and counts matched and unmatched people per side', async () => {
    const release = (await ensureDemoSyntheticRelease(t.hub.services.synthetic, { persons: 300, fromYear: 2020, toYear: 2020, seed: 4, chunkSize: 300, workers: 1 }))!;
    const tables = (await instructor.get('/api/admin/linkage/lake-tables')).json<{ name: string; tables: { name: string }[] }[]>();
    expect(tables.find((r) => r.name === release.name)?.tables.map((x) => x.name)).toContain('ER_PRS_F');
    const side = (table: string) => ({ release: release.name, version: release.version, table, column: 'BEN_NIR_PSA' });
    const start = await instructor.post('/api/admin/linkage/runs', { kind: 'deterministic', left: side('IR_BEN_R'), right: side('ER_PRS_F') });
    expect(start.statusCode, start.body).toBe(202);
    const run = await finished(instructor, start.json<RunView>().id);
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    const report = run.report!;
    if (report.kind !== 'deterministic') throw new Error('expected a deterministic report');
    // Twins share a BEN_NIR_PSA (told apart by BEN_RNG_GEM): fewer people than rows.
    expect(report.left).toMatchObject({ table: 'IR_BEN_R', rows: 300, nullRows: 0 });
    expect(report.left.persons).toBeGreaterThan(280);
    expect(report.left.persons).toBeLessThanOrEqual(300);
    expect(report.right.matchedPersons).toBe(report.right.persons);
    expect(report.left.matchedPersons).toBe(report.right.persons);
    expect(report.left.unmatchedPersons).toBe(report.left.persons - report.right.persons);
    expect(report.right.matchedRows).toBe(report.right.rows - report.right.nullRows);
    const completed = (await t.superuserSql(`select details::text as details from audit_events where action = 'linkage.run_completed' and target_id = '${run.id}'`)) as { details: string }[];
    expect(JSON.parse(completed[0]!.details)).toMatchObject({ kind: 'deterministic', left: { table: 'IR_BEN_R', persons: report.left.persons } });
    // A column that is not there fails the run, naming it.
    const bad = (await instructor.post('/api/admin/linkage/runs', { kind: 'deterministic', left: { ...side('IR_BEN_R'), column: 'NOPE' }, right: side('ER_PRS_F') })).json<RunView>();
    expect((await finished(instructor, bad.id)).error?.code).toBe('linkage.column_not_found');
  });

  it('LOG-03: runs a stopped hub left unfinished are failed (and audited) at the next start; a live process’s runs are left alone', async () => {
    const dead = crypto.randomUUID();
    const live = crypto.randomUUID();
    // A pid above the kernel's pid_max is never alive; the test runner's parent process is.
    const insert = (id: string, runner: string) =>
      t.superuserSql(`insert into linkage_runs (id, kind, status, description, started_by_label, runner, parameters, created_at, started_at) values ('${id}', 'probabilistic', 'running', 'a.csv → b.csv', 'system:test', '${runner}', '{}', now(), now())`);
    await insert(dead, `${os.hostname()}:99999999`);
    await insert(live, `${os.hostname()}:${process.ppid}`);
    fs.mkdirSync(path.join(t.dataDir, 'linkage', 'work', dead), { recursive: true });
    fs.mkdirSync(path.join(t.dataDir, 'linkage', 'work', live), { recursive: true });
    await t.hub.services.linkage.recover();
    const run = (await instructor.get(`/api/admin/linkage/runs/${dead}`)).json<RunView>();
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('linkage.interrupted');
    expect((await t.superuserSql(`select count(*)::int as n from audit_events where action = 'linkage.run_failed' and target_id = '${dead}'`))[0]).toEqual({ n: 1 });
    expect(fs.existsSync(path.join(t.dataDir, 'linkage', 'work', dead))).toBe(false);
    expect((await instructor.get(`/api/admin/linkage/runs/${live}`)).json<RunView>().status).toBe('running');
    expect(fs.existsSync(path.join(t.dataDir, 'linkage', 'work', live))).toBe(true);
    await t.superuserSql(`update linkage_runs set status = 'failed' where id = '${live}'`);
    fs.rmSync(path.join(t.dataDir, 'linkage', 'work'), { recursive: true, force: true });
  });
});
