import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { act, Cast, errorCode, withDemoCatalogue } from '../../test/support/projects.js';
import { activeProject, runSql, syntheticLake, type QueryResult } from '../../test/support/workspaces.js';
import { systemActor } from '../platform/actor.js';

const addCalendarDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const sharedQueries = path.resolve('../shared/bench/queries');

describe.each(stores)('workspaces on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  let project: { id: string; reference: string };
  const ws = (suffix = '') => `/api/projects/${project.id}/workspace${suffix}`;

  beforeAll(async () => {
    t = await startTestHub(store, { HDH_WORKSPACE_DISPLAY_ROWS: '500', HDH_WORKSPACE_QUERY_TIMEOUT_SECONDS: '4', HDH_WORKSPACE_MEMORY_MB: '512', HDH_WORKSPACE_THREADS: '1' });
    await withDemoCatalogue(t);
    cast = new Cast(t);
    await syntheticLake(t);
    project = await activeProject(t, cast);
  }, 240_000);
  afterAll(() => t?.close());

  it('AUTH-04, AUTH-12: the workspace opens to the project’s team only — not to hub staff, not to other users', async () => {
    const member = await cast.as('member');
    const res = await member.get(ws());
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const view = res.json<{ status: string; extract: { version: number; tables: { name: string; rows: number; columns: { name: string; label?: string }[] }[]; excludedByOpposition: number }; limits: Record<string, number> }>();
    expect(view).toMatchObject({ status: 'open', extract: { version: 1, excludedByOpposition: 0 }, limits: { displayRows: 500, timeoutMs: 4000, memoryMb: 512 } });
    expect(view.extract.tables.find((x) => x.name === 'IR_BEN_R')!.columns.find((c) => c.name === 'BEN_SEX_COD')!.label).toMatch(/sexe/i);
    expect((await (await cast.as('lead')).get(ws())).statusCode).toBe(200);
    for (const who of ['instructor', 'admin', 'producer', 'security'] as const) expect((await (await cast.as(who)).get(ws())).statusCode, who).toBe(404);
    expect((await (await cast.as('producer')).post(ws('/queries'), { sql: 'SELECT 1' })).statusCode).toBe(404);
    expect((await t.client().get(ws())).statusCode).toBe(401);
  });

  it('LOG-01: a query runs in the sandbox, returns typed rows, and is audited with its text, hash, rows and duration', async () => {
    const member = await cast.as('member');
    const { body } = await runSql(member, project.id, 'SELECT BEN_SEX_COD AS sex, count(*) AS n FROM IR_BEN_R GROUP BY 1 ORDER BY 1');
    expect(body).toMatchObject({ status: 'done', columns: [{ name: 'sex' }, { name: 'n', type: 'BIGINT' }], rowCount: 2, truncated: false });
    expect(typeof body.rows![0]![1]).toBe('number');
    const events = (await t.superuserSql(`select actor_label, outcome, details from audit_events where action = 'workspace.query' and target_id = '${body.id}'`)) as { actor_label: string; outcome: string; details: Record<string, unknown> }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_label: 'chercheur@recherche.example', outcome: 'success', details: { sql: 'SELECT BEN_SEX_COD AS sex, count(*) AS n FROM IR_BEN_R GROUP BY 1 ORDER BY 1', statement: 'select', rowsReturned: 2, source: 'interactive' } });
    expect(events[0]!.details.sqlSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof events[0]!.details.durationMs).toBe('number');
  });

  it('the analysts’ programs of ../shared/bench/queries run unchanged on the extract', async (ctx) => {
    if (!fs.existsSync(sharedQueries)) {
      if (process.env.CI === 'true') throw new Error(`${sharedQueries} is missing`);
      ctx.skip();
    }
    const member = await cast.as('member');
    for (const file of fs.readdirSync(sharedQueries).filter((f) => f.endsWith('.sql'))) {
      const { body } = await runSql(member, project.id, fs.readFileSync(path.join(sharedQueries, file), 'utf8'));
      expect(body.error, file).toBeUndefined();
      expect(body.status, file).toBe('done');
      expect(body.rowCount, file).toBeGreaterThan(0);
    }
  });

  it('no endpoint returns more than the display cap; pages stay inside it', async () => {
    const member = await cast.as('member');
    const { body } = await runSql(member, project.id, 'SELECT * FROM ER_PRS_F');
    expect(body).toMatchObject({ status: 'done', rowCount: 500, truncated: true });
    expect(body.rows).toHaveLength(100);
    const page = (await member.get(ws(`/queries/${body.id}/rows?offset=450&limit=200`))).json<{ rows: unknown[]; rowCount: number; offset: number }>();
    expect(page).toMatchObject({ rowCount: 500, offset: 450 });
    expect(page.rows).toHaveLength(50);
    expect((await member.get(ws(`/queries/${body.id}/rows?offset=500&limit=100`))).json<{ rows: unknown[] }>().rows).toHaveLength(0);
    expect((await member.get(ws(`/queries/${body.id}/rows?limit=5000`))).statusCode).toBe(400);
    // Another member cannot read someone else's result.
    expect((await (await cast.as('lead')).get(ws(`/queries/${body.id}/rows`))).statusCode).toBe(404);
  });

  it('members keep their own tables and views in the scratch database; the extract’s views cannot be replaced', async () => {
    const member = await cast.as('member');
    expect((await runSql(member, project.id, 'CREATE OR REPLACE TABLE my_cohort AS SELECT BEN_NIR_PSA, BEN_RNG_GEM FROM IR_BEN_R WHERE BEN_SEX_COD = 2')).body).toMatchObject({ status: 'done' });
    expect((await runSql(member, project.id, 'CREATE OR REPLACE VIEW my_view AS SELECT count(*) AS n FROM my_cohort')).body).toMatchObject({ status: 'done' });
    expect((await runSql(member, project.id, 'INSERT INTO my_cohort SELECT BEN_NIR_PSA, BEN_RNG_GEM FROM IR_BEN_R WHERE BEN_SEX_COD = 1 LIMIT 3')).body).toMatchObject({ status: 'done' });
    const n = (await runSql(member, project.id, 'SELECT n FROM my_view')).body.rows![0]![0] as number;
    expect(n).toBeGreaterThan(3);
    const dictionary = (await member.get(ws('/dictionary'))).json<{ table: string; source: string; label: string; columns: { name: string; label: string; nomenclature?: string }[] }[]>();
    expect(dictionary.filter((d) => d.source === 'scratch').map((d) => d.table).sort()).toEqual(['my_cohort', 'my_view']);
    const ben = dictionary.find((d) => d.table === 'IR_BEN_R')!;
    expect(ben).toMatchObject({ source: 'extract' });
    expect(ben.columns.find((c) => c.name === 'BEN_SEX_COD')).toMatchObject({ nomenclature: expect.any(String) });
    for (const sql of ['CREATE OR REPLACE VIEW IR_BEN_R AS SELECT 1 AS x', 'DROP VIEW ER_PRS_F', 'CREATE TABLE duckdb_settings AS SELECT 1 AS x', 'INSERT INTO T_MCO19B SELECT * FROM T_MCO19B']) {
      const res = await runSql(member, project.id, sql);
      expect(res.statusCode, sql).toBe(403);
      expect(res.body.error!.code, sql).toBe('workspace.name_reserved');
    }
    expect((await runSql(member, project.id, 'DROP VIEW my_view')).body).toMatchObject({ status: 'done' });
    // The lead has a scratch database of their own.
    expect((await runSql(await cast.as('lead'), project.id, 'SELECT count(*) FROM my_cohort')).statusCode).toBe(403);
  });

  it('history: the caller’s own queries, newest first, without rows; refused ones included', async () => {
    const member = await cast.as('member');
    await runSql(member, project.id, "COPY (SELECT 1) TO '/tmp/x.csv'");
    const history = (await member.get(ws('/history'))).json<(QueryResult & { sql: string })[]>();
    expect(history[0]).toMatchObject({ status: 'failed', sql: "COPY (SELECT 1) TO '/tmp/x.csv'", error: { code: 'workspace.statement_not_allowed' } });
    expect(history.some((h) => h.sql.startsWith('SELECT BEN_SEX_COD') && h.rowCount === 2)).toBe(true);
    expect(history.every((h) => h.rows === undefined)).toBe(true);
    const leads = (await (await cast.as('lead')).get(ws('/history'))).json<(QueryResult & { sql: string })[]>();
    expect(leads.some((h) => h.sql.startsWith('SELECT BEN_SEX_COD'))).toBe(false);
  });

  it('a long query answers “running”, reports its state when polled, and is stopped at the time limit; the hub and the session stay healthy', async () => {
    const member = await cast.as('member');
    const started = (await member.post(ws('/queries'), { sql: 'SELECT count(*) FROM range(1000000000) a, range(1000000000) b' })).json<QueryResult>();
    expect(started.status).toBe('running');
    const { body } = await runSql(member, project.id, 'SELECT 1 AS still_alive');
    expect(body).toMatchObject({ status: 'done', rows: [[1]] });
    let view = started;
    for (let i = 0; i < 100 && view.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      view = (await member.get(ws(`/queries/${started.id}`))).json<QueryResult>();
    }
    expect(view).toMatchObject({ status: 'failed', error: { code: 'workspace.query_timeout' } });
    expect((await t.client().get('/api/health')).statusCode).toBe(200);
  });

  it('a running query can be cancelled', async () => {
    const member = await cast.as('member');
    const started = (await member.post(ws('/queries'), { sql: 'SELECT count(*) FROM range(1000000000) a, range(1000000000) b' })).json<QueryResult>();
    const cancelled = (await member.post(ws(`/queries/${started.id}/cancel`))).json<QueryResult>();
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'workspace.query_cancelled' } });
  });

  it('programs are shared within the project with their versions; a catalogue program can be copied in', async () => {
    const lead = await cast.as('lead');
    const member = await cast.as('member');
    const created = await lead.post(ws('/programs'), { name: 'Cohorte femmes', description: 'Femmes du SNDS', sql: 'SELECT count(*) AS n FROM IR_BEN_R WHERE BEN_SEX_COD = 2' });
    expect(created.statusCode).toBe(201);
    const program = created.json<{ id: string; latestVersion: number; versions: { version: number; createdBy: string }[] }>();
    expect(program).toMatchObject({ latestVersion: 1, versions: [{ version: 1, createdBy: 'porteur@recherche.example' }] });
    expect(errorCode(await member.post(ws('/programs'), { name: 'Cohorte femmes', sql: 'SELECT 1' }))).toBe('workspace.program_exists');
    const v2 = await member.post(ws(`/programs/${program.id}/versions`), { sql: 'SELECT count(*) AS n FROM IR_BEN_R WHERE BEN_SEX_COD = ${sex}', comment: 'paramétré' });
    expect(v2.json()).toMatchObject({ latestVersion: 2, updatedBy: 'chercheur@recherche.example', versions: [{ version: 2, comment: 'paramétré' }, { version: 1 }] });
    expect((await member.get(ws('/programs'))).json<{ name: string }[]>().map((p) => p.name)).toContain('Cohorte femmes');
    expect((await (await cast.as('producer')).get(ws('/programs'))).statusCode).toBe(404);

    await t.hub.services.catalog.programs.create(systemActor('test'), { slug: 'deces-par-cause', title: 'Décès par cause', description: 'Décès par chapitre de la CIM-10.', language: 'sql', licence: 'MPL-2.0', tables: ['KI_CCI_R'], code: 'SELECT DCD_CIM_COD, count(*) AS n FROM KI_CCI_R GROUP BY 1' });
    const imported = await member.post(ws('/programs/import'), { catalogueProgramId: 'deces-par-cause' });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ name: 'Décès par cause', source: { catalogueProgramId: 'deces-par-cause', version: 1 }, versions: [{ version: 1, sql: 'SELECT DCD_CIM_COD, count(*) AS n FROM KI_CCI_R GROUP BY 1' }] });
    expect((await member.post(ws('/programs/import'), { catalogueProgramId: 'deces-par-cause' })).json()).toMatchObject({ name: 'Décès par cause (2)' });
  });

  it('jobs run a program version in the sandbox, keep their results as scratch tables, log each statement, and are audited', async () => {
    const member = await cast.as('member');
    const program = (await member.post(ws('/programs'), { name: 'Job cohorte', sql: '-- deux étapes\nCREATE OR REPLACE TABLE job_base AS SELECT * FROM IR_BEN_R WHERE BEN_SEX_COD = ${sex};\nSELECT count(*) AS n FROM job_base;' })).json<{ id: string }>();
    expect(errorCode(await member.post(ws('/jobs'), { programId: program.id }))).toBe('workspace.parameter_missing');
    const submitted = await member.post(ws('/jobs'), { programId: program.id, parameters: { sex: 2 } });
    expect(submitted.statusCode).toBe(202);
    const job = submitted.json<{ id: string; status: string }>();
    await t.hub.services.workspaces.jobs.settled();
    const done = (await member.get(ws(`/jobs/${job.id}`))).json<{ status: string; log: string[]; resultTables: string[]; version: number }>();
    expect(done.log.join('\n')).not.toMatch(/failed|refused/);
    expect(done.status).toBe('done');
    expect(done.resultTables).toEqual(['job_base', `job_${job.id.slice(0, 8)}_2`]);
    expect(done.log.some((l) => l.includes('statement 2 (create_table'))).toBe(true);
    expect((await runSql(member, project.id, `SELECT n FROM job_${job.id.slice(0, 8)}_2`)).body.rows![0]![0]).toBeGreaterThan(0);
    expect((await (await cast.as('lead')).get(ws('/jobs'))).json<{ id: string }[]>().map((j) => j.id)).toContain(job.id);
    const audited = (await t.superuserSql(`select count(*)::int as n from audit_events where action = 'workspace.query' and details->>'jobId' = '${job.id}'`)) as { n: number }[];
    expect(audited[0]!.n).toBe(2);
    // A job statement is checked like any other.
    const bad = (await member.post(ws('/programs'), { name: 'Job interdit', sql: "SELECT * FROM read_csv('/etc/passwd')" })).json<{ id: string }>();
    const refused = (await member.post(ws('/jobs'), { programId: bad.id })).json<{ id: string }>();
    await t.hub.services.workspaces.jobs.settled();
    expect((await member.get(ws(`/jobs/${refused.id}`))).json()).toMatchObject({ status: 'failed', resultTables: [] });
  });

  it('AUTH-02: personal tokens, made in a full MFA session, open the jobs endpoints of their project only, until revoked or expired', async () => {
    const member = await cast.as('member');
    const today = t.clock.now().toISOString().slice(0, 10);
    expect(errorCode(await member.post('/api/tokens', { projectId: project.id, label: 'trop long', expiresAt: addCalendarDays(today, 400) }))).toBe('token.expiry_invalid');
    expect((await (await cast.as('producer')).post('/api/tokens', { projectId: project.id, label: 'x', expiresAt: addCalendarDays(today, 10) })).statusCode).toBe(404);
    const created = await member.post('/api/tokens', { projectId: project.id, label: 'script R', expiresAt: addCalendarDays(today, 30) });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    expect(token).toMatch(/^hdh_pat_/);
    expect(JSON.stringify((await member.get('/api/tokens')).json())).not.toContain(token);
    const program = (await member.get(ws('/programs'))).json<{ id: string; name: string }[]>().find((p) => p.name === 'Cohorte femmes')!;
    const bearer = { authorization: `Bearer ${token}` };
    const viaToken = await t.client().post(ws('/jobs'), { programId: program.id, version: 1 }, bearer);
    expect(viaToken.statusCode).toBe(202);
    expect(viaToken.json()).toMatchObject({ via: 'token', createdBy: 'chercheur@recherche.example' });
    expect((await t.client().get(ws('/jobs'), bearer)).statusCode).toBe(200);
    // Jobs only: the token opens nothing else.
    expect((await t.client().post(ws('/queries'), { sql: 'SELECT 1' }, bearer)).statusCode).toBe(401);
    expect((await t.client().get(ws(), bearer)).statusCode).toBe(401);
    expect((await t.client().get('/api/projects', bearer)).statusCode).toBe(401);
    expect((await t.client().get(`/api/projects/00000000-0000-4000-8000-000000000000/workspace/jobs`, bearer)).statusCode).toBe(403);
    expect((await t.client().get(ws('/jobs'), { authorization: 'Bearer hdh_pat_forged' })).statusCode).toBe(401);
    expect((await member.delete(`/api/tokens/${id}`)).statusCode).toBe(204);
    expect((await t.client().get(ws('/jobs'), bearer)).statusCode).toBe(401);
    await t.hub.services.workspaces.jobs.settled();
  });

  it('a project the lead closes has its workspace closed at once', async () => {
    const lead = await cast.as('lead');
    const other = await activeProject(t, cast);
    await runSql(await cast.as('member'), other.id, 'SELECT 1');
    expect((await act(lead, other.id, { action: 'close', note: 'Fin des analyses' })).statusCode).toBe(200);
    await t.hub.services.workspaces.closure.close(other.id, { reason: 'wait', by: 'test' });
    expect(fs.existsSync(path.join(t.hub.config.workspacesDir, other.id))).toBe(false);
    expect((await (await cast.as('member')).get(`/api/projects/${other.id}/workspace`)).json()).toMatchObject({ status: 'closed', extract: null });
    expect(errorCode(await (await cast.as('member')).post(`/api/projects/${other.id}/workspace/queries`, { sql: 'SELECT 1' }))).toBe('workspace.not_open');
  });

  it('DP-13, AUTH-03: at the project’s end date the workspace closes by itself, its data is deleted and a certificate is kept', async () => {
    const today = t.clock.now().toISOString().slice(0, 10);
    const ending = await activeProject(t, cast, { endDate: addCalendarDays(today, 20), memberEnd: addCalendarDays(today, 10) });
    const member = await cast.as('member');
    await runSql(member, ending.id, 'CREATE TABLE kept_until_end AS SELECT 1 AS x');
    const dir = path.join(t.hub.config.workspacesDir, ending.id);
    expect(fs.existsSync(path.join(dir, 'extracts', 'v1', 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'scratch'))).toBe(true);

    // The member's own end date passes first: their access ends, the project's does not.
    t.clock.advance(11 * 86_400_000);
    cast.forget();
    expect(errorCode(await (await cast.as('member')).get(`/api/projects/${ending.id}/workspace`))).toBe('workspace.membership_ended');
    await t.hub.services.workspaces.hourly();
    expect(t.hub.services.workspaces.sessions.find(ending.id, await cast.userId('member'))).toBeUndefined();

    // Then the project's: the scheduled job closes the project, the workspace follows.
    t.clock.advance(10 * 86_400_000);
    cast.forget();
    await t.hub.services.projects.applyDueTacitOutcomes();
    await t.hub.services.workspaces.hourly();
    expect(fs.existsSync(dir)).toBe(false);
    const certificate = await (await cast.as('lead')).get(`/api/projects/${ending.id}/workspace/deletion-certificate`);
    expect(certificate.statusCode).toBe(200);
    const c = certificate.json<{ extracts: { version: number; manifestSha256: string }[]; scratch: { files: number }[]; certificateSha256: string; reason: string }>();
    expect(c.extracts).toEqual([expect.objectContaining({ version: 1, manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(c.scratch.reduce((s, u) => s + u.files, 0)).toBeGreaterThan(0);
    expect((await (await cast.as('instructor')).get(`/api/projects/${ending.id}/workspace/deletion-certificate`)).statusCode).toBe(200);
    expect((await (await cast.as('member')).get(`/api/projects/${ending.id}/workspace/deletion-certificate`)).statusCode).toBe(404);
    const audit = (await t.superuserSql(`select details from audit_events where action = 'workspace.deleted' and project_id = '${ending.id}'`)) as { details: { certificateSha256: string } }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details.certificateSha256).toBe(c.certificateSha256);
    expect((await (await cast.as('instructor')).get(`/api/projects/${ending.id}/extracts`)).json()).toEqual([expect.objectContaining({ status: 'deleted' })]);
  });

  it('AUTH-05: a new user charter closes the workspace until it is accepted', async () => {
    const admin = await cast.as('admin');
    const published = await admin.post('/api/admin/charters', { kind: 'user', title: { fr: 'Charte v2', en: 'Charter v2' }, body: { fr: 'Nouvelle version de la charte utilisateur.', en: 'New version of the user charter.' } });
    expect(published.statusCode).toBe(201);
    const member = await cast.as('member');
    expect(errorCode(await member.get(ws()))).toBe('auth.charter_required');
    await member.acceptCharter();
    expect((await member.get(ws())).statusCode).toBe(200);
  });
});
