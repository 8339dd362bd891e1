import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { act, Cast, completeDraft, errorCode, fileFields, perimeter, withDemoCatalogue } from '../../test/support/projects.js';

function multipart(filename: string, content: Buffer | string, mediaType = 'application/pdf') {
  const boundary = `----hdh${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${mediaType}\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body: body.toString('latin1'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(stores)('project file on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  beforeAll(async () => {
    t = await startTestHub(store);
    await withDemoCatalogue(t);
    cast = new Cast(t);
  });
  afterAll(() => t?.close());

  it('the lead opens a draft with every field of the fiche projet; a reference is assigned and the creation audited', async () => {
    const lead = await cast.as('lead');
    const res = await lead.post('/api/projects', fileFields('cnil_authorisation', '2027-09-30', { publicServiceMission: true }));
    expect(res.statusCode).toBe(201);
    const p = res.json<Record<string, unknown>>();
    expect(p).toMatchObject({
      status: 'draft', legalRoute: 'cnil_authorisation', publicServiceMission: true, requestedEndDate: '2027-09-30',
      dataControllers: [{ name: 'Université de Synthèse', kind: 'rt', organisationType: 'public' }, { name: 'CHU Fictif', kind: 'co_rt' }],
      rmo: { name: 'Dr Laura Porteuse' }, subcontractors: [{ name: 'Biostat Conseil (fictif)' }], medicalDomains: ['Cardiologie', 'Pharmacologie'],
      availableActions: ['submit', 'withdraw'], perimeterVersion: null,
    });
    expect(p.reference).toMatch(/^HDH-\d{4}-\d{4}$/);
    const events = await t.superuserSql(`select action, project_id from audit_events where action = 'project.create' and project_id = '${String(p.id)}'`);
    expect(events).toHaveLength(1);
  });

  it('unknown fields and a bad route are refused with located errors', async () => {
    const lead = await cast.as('lead');
    const res = await lead.post('/api/projects', { ...fileFields('cnil_authorisation', '2027-09-30'), colour: 'blue', legalRoute: 'shortcut' });
    expect(res.statusCode).toBe(400);
    const locations = res.json<{ error: { details: { location: string }[] } }>().error.details.map((d) => d.location);
    expect(locations).toEqual(expect.arrayContaining(['body.legalRoute', 'body']));
  });

  it('only a project lead or an administrator opens a file', async () => {
    for (const who of ['member', 'instructor', 'security', 'producer'] as const) {
      const res = await (await cast.as(who)).post('/api/projects', fileFields('cnil_authorisation', '2027-09-30'));
      expect(res.statusCode, who).toBe(403);
    }
    expect((await t.client().get('/api/projects')).statusCode).toBe(401);
  });

  it('AUTH-05: a project file is restricted data: no access before the user charter is accepted', async () => {
    const reviewer = await cast.as('reviewer', { acceptCharter: false });
    const res = await reviewer.get('/api/projects');
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('auth.charter_required');
  });

  it('perimeter: validated against the catalogue with located errors; each change is a new version', async () => {
    const lead = await cast.as('lead');
    const { id } = (await lead.post('/api/projects', fileFields('cnil_authorisation', '2027-09-30'))).json<{ id: string }>();
    const bad = await lead.request('PUT', `/api/projects/${id}/perimeter`, {
      ...perimeter,
      tables: [
        { name: 'IR_BEN_R', columns: ['BEN_NIR_PSA', 'NO_SUCH_COLUMN'] },
        { name: 'ER_PRS_F', columns: ['EXE_SOI_DTD'] },
        { name: 'NOT_A_TABLE', columns: ['X'] },
      ],
      datasets: ['BENEFICIAIRE'],
      period: { from: '2024-01-01', to: '2020-01-01' },
    });
    expect(bad.statusCode).toBe(400);
    const details = bad.json<{ error: { code: string; details: { location: string; message: string }[] } }>().error;
    expect(details.code).toBe('project.perimeter_invalid');
    expect(details.details.map((d) => d.location)).toEqual(['perimeter.tables[0].columns[1]', 'perimeter.tables[1].name', 'perimeter.tables[2].name', 'perimeter.period.to']);
    expect(details.details[1]!.message).toMatch(/DCIR/);

    const v1 = await lead.request('PUT', `/api/projects/${id}/perimeter`, perimeter);
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({ version: 1, perimeter });
    const v2 = await lead.request('PUT', `/api/projects/${id}/perimeter`, { ...perimeter, durationMonths: 24 });
    expect(v2.json()).toMatchObject({ version: 2 });
    const versions = (await lead.get(`/api/projects/${id}/perimeter`)).json<{ version: number; perimeter: { durationMonths: number } }[]>();
    expect(versions.map((v) => [v.version, v.perimeter.durationMonths])).toEqual([[1, 36], [2, 24]]);
    expect((await lead.get(`/api/projects/${id}/perimeter/1`)).json()).toMatchObject({ version: 1, perimeter: { durationMonths: 36 } });
    expect((await lead.get(`/api/projects/${id}/perimeter/9`)).statusCode).toBe(404);
    expect((await lead.get(`/api/projects/${id}`)).json()).toMatchObject({ perimeterVersion: 2 });
  });

  it('PR-10: submission needs the declarations of interest of the data controller and the research lead', async () => {
    const lead = await cast.as('lead');
    const { id } = (await lead.post('/api/projects', fileFields('cnil_authorisation', '2027-09-30', { summary: undefined }))).json<{ id: string }>();
    await lead.request('PUT', `/api/projects/${id}/perimeter`, perimeter);
    const refused = await act(lead, id, { action: 'submit' });
    expect(refused.statusCode).toBe(400);
    const problems = refused.json<{ error: { code: string; details: { location: string; message: string }[] } }>().error;
    expect(problems.code).toBe('project.incomplete');
    expect(problems.details.filter((d) => d.location === 'project.interests').map((d) => d.message).join(' ')).toMatch(/data controller.*research lead/);
    expect(problems.details.map((d) => d.location)).toContain('project.summary');
    await lead.patch(`/api/projects/${id}`, { summary: 'Résumé' });
    for (const capacity of ['data_controller', 'research_lead']) {
      expect((await lead.post(`/api/projects/${id}/interests`, { personName: 'Jean Synthèse', capacity, statement: 'Aucun lien.', signedOn: '2026-02-01' })).statusCode).toBe(201);
    }
    const ok = await act(lead, id, { action: 'submit' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'submitted' });
    expect(ok.json<{ interests: { capacity: string }[] }>().interests.map((i) => i.capacity)).toEqual(['data_controller', 'research_lead']);
  });

  it('visibility: members read their projects only; others get 404, not 403, so ids cannot be enumerated', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation');
    const member = await cast.as('member');
    expect((await member.get(`/api/projects/${id}`)).statusCode).toBe(404);
    const memberId = await cast.userId('member');
    const added = await lead.post(`/api/projects/${id}/members`, { userId: memberId, roleInProject: 'biostatisticien', endDate: '2027-06-30' });
    expect(added.statusCode).toBe(201);
    expect((await member.get(`/api/projects/${id}`)).json()).toMatchObject({ id, members: [{ email: 'chercheur@recherche.example', roleInProject: 'biostatisticien', endDate: '2027-06-30' }], availableActions: [] });
    expect((await member.get('/api/projects')).json<{ id: string }[]>().map((p) => p.id)).toContain(id);
    expect((await member.patch(`/api/projects/${id}`, { title: 'Autre' })).statusCode).toBe(403);
    expect((await act(member, id, { action: 'submit' })).statusCode).toBe(403);
    for (const who of ['security', 'producer', 'reviewer'] as const) {
      const c = await cast.as(who);
      expect((await c.get(`/api/projects/${id}`)).statusCode, who).toBe(404);
      expect((await c.get('/api/projects/00000000-0000-4000-8000-000000000000')).statusCode, who).toBe(404);
      expect((await c.get('/api/projects')).json(), who).toEqual([]);
    }
    expect((await (await cast.as('instructor')).get(`/api/projects/${id}`)).statusCode).toBe(200);
    expect((await (await cast.as('admin')).get(`/api/projects/${id}`)).statusCode).toBe(200);
    // Every read of a file is traced.
    const reads = await t.superuserSql(`select actor_label from audit_events where action = 'project.read' and project_id = '${id}'`);
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });

  it('AUTH-03: a team member ends no later than the project; unknown accounts are refused', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation', '2027-06-30');
    const memberId = await cast.userId('member');
    const late = await lead.post(`/api/projects/${id}/members`, { userId: memberId, roleInProject: 'data manager', endDate: '2027-07-01' });
    expect(late.statusCode).toBe(400);
    expect(errorCode(late)).toBe('project.member_end_after_project');
    const unknown = await lead.post(`/api/projects/${id}/members`, { userId: '00000000-0000-4000-8000-000000000000', roleInProject: 'x', endDate: '2027-01-01' });
    expect(errorCode(unknown)).toBe('project.member_unknown');
    expect((await lead.delete(`/api/projects/${id}/members/${memberId}`)).statusCode).toBe(404);
  });

  it('LOG-02: documents are stored with their SHA-256 under the data dir, versioned, and verified on download', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation');
    const v1 = multipart('protocole.pdf', '%PDF-1.4 protocole v1');
    const up1 = await lead.request('POST', `/api/projects/${id}/documents?kind=protocol`, v1.body, v1.headers);
    expect(up1.statusCode).toBe(201);
    const d1 = up1.json<{ id: string; version: number; sha256: string; size: number; name: string }>();
    expect(d1).toMatchObject({ name: 'protocole.pdf', version: 1, size: 21, sha256: crypto.createHash('sha256').update('%PDF-1.4 protocole v1').digest('hex') });
    const v2 = multipart('protocole.pdf', '%PDF-1.4 protocole v2, amendé');
    const d2 = (await lead.request('POST', `/api/projects/${id}/documents?kind=protocol`, v2.body, v2.headers)).json<{ id: string; version: number; sha256: string }>();
    expect(d2.version).toBe(2);
    expect(d2.sha256).not.toBe(d1.sha256);
    const stored = path.join(t.dataDir, 'projects', id, 'documents', d1.id);
    expect(fs.readFileSync(stored, 'utf8')).toBe('%PDF-1.4 protocole v1');

    const member = await cast.as('member');
    expect((await member.get(`/api/projects/${id}/documents/${d1.id}`)).statusCode).toBe(404);
    const download = await (await cast.as('instructor')).get(`/api/projects/${id}/documents/${d1.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('%PDF-1.4 protocole v1');
    expect(download.headers['x-content-sha256']).toBe(d1.sha256);
    expect((await lead.get(`/api/projects/${id}/documents`)).json<unknown[]>()).toHaveLength(2);

    // A file changed on disk no longer matches its checksum: refused, never served.
    fs.writeFileSync(stored, 'tampered');
    expect(errorCode(await lead.get(`/api/projects/${id}/documents/${d1.id}`))).toBe('project.document_corrupt');
    const events = await t.superuserSql(`select action, details->>'sha256' as sha from audit_events where project_id = '${id}' and action like 'project.document.%' order by seq`);
    expect(events).toEqual([
      { action: 'project.document.upload', sha: d1.sha256 },
      { action: 'project.document.upload', sha: d2.sha256 },
      { action: 'project.document.download', sha: d1.sha256 },
    ]);
    // A protocol of a few MB goes through (the JSON body limit does not apply to uploads).
    const big = multipart('pia.pdf', Buffer.alloc(3 * 1024 * 1024, 0x41));
    const upBig = await lead.request('POST', `/api/projects/${id}/documents?kind=pia&name=AIPD.pdf`, big.body, big.headers);
    expect(upBig.statusCode).toBe(201);
    expect(upBig.json()).toMatchObject({ name: 'AIPD.pdf', kind: 'pia', size: 3 * 1024 * 1024 });
    const missing = await lead.request('POST', `/api/projects/${id}/documents?kind=nonsense`, v1.body, v1.headers);
    expect(missing.statusCode).toBe(400);
  });

  it('the file is editable in draft only; once submitted the lead cannot change it', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation');
    expect((await lead.patch(`/api/projects/${id}`, { title: 'Titre révisé' })).json()).toMatchObject({ title: 'Titre révisé' });
    await act(lead, id, { action: 'submit' });
    const locked = await lead.patch(`/api/projects/${id}`, { title: 'Encore' });
    expect(locked.statusCode).toBe(409);
    expect(errorCode(locked)).toBe('project.not_editable');
    expect((await lead.request('PUT', `/api/projects/${id}/perimeter`, perimeter)).statusCode).toBe(409);
  });

  it('the OpenAPI document describes the projects and registry routes from their zod schemas', async () => {
    const res = await t.client().get('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, Record<string, { requestBody?: unknown; parameters?: unknown[] }>> }>();
    for (const route of ['/api/projects', '/api/projects/{id}/transitions', '/api/projects/{id}/perimeter', '/api/projects/{id}/documents', '/api/registry/projects', '/api/registry/export.csv', '/api/registry/stats']) {
      expect(doc.paths[route], route).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/api/projects/{id}/transitions']!.post!.requestBody)).toContain('record_cnil_decision');
  });
});
