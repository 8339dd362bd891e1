import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { act, Cast, completeDraft, errorCode, withDemoCatalogue } from '../../test/support/projects.js';
import { parisDay } from './calendar.js';

interface Entry { reference: string; title: string; status: string; legalRoute: string; [k: string]: unknown }

describe.each(stores)('public registry, dashboard, exchanges and member review on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  const p: Record<'active' | 'draft' | 'mr' | 'withdrawn', { id: string; reference: string }> = {} as never;
  beforeAll(async () => {
    // A six-month review period, so the AUTH-08 test can pass it within the demo accounts' year.
    t = await startTestHub(store, { HDH_ACCESS_REVIEW_MONTHS: '6' });
    await withDemoCatalogue(t);
    cast = new Cast(t);
    const lead = await cast.as('lead');
    p.active = await completeDraft(lead, 'cnil_authorisation', '2027-09-30', { title: 'Hémorragies sous anticoagulants', publicServiceMission: true });
    await lead.post(`/api/projects/${p.active.id}/members`, { userId: await cast.userId('member'), roleInProject: 'statisticien', endDate: '2027-06-30' });
    p.draft = await completeDraft(lead, 'cnil_authorisation', '2027-09-30', { title: 'Brouillon confidentiel' });
    p.mr = await completeDraft(lead, 'reference_methodology', '2027-09-30', { title: 'Cohorte diabète MR-004', medicalDomains: ['Endocrinologie'], otherSources: ['Registre fictif des diabètes'] });
    p.withdrawn = await completeDraft(lead, 'egb_simplified', '2027-09-30', { title: 'Échantillon EGB retiré' });
    for (const x of [p.active, p.mr, p.withdrawn]) await act(lead, x.id, { action: 'submit' });
    await act(lead, p.withdrawn.id, { action: 'withdraw' });
    t.clock.advance(3 * 86_400_000);
    cast.forget();
    const i2 = await cast.as('instructor');
    const l2 = await cast.as('lead');
    const today = parisDay(t.clock.now());
    await act(i2, p.mr.id, { action: 'register', registryReference: 'REG-MR-1' });
    await act(i2, p.active.id, { action: 'forward', reference: 'CESREES-1' });
    await act(i2, p.active.id, { action: 'record_opinion', outcome: 'favourable', reference: 'AVIS-1', decidedOn: today });
    await act(l2, p.active.id, { action: 'file_cnil' });
    await act(i2, p.active.id, { action: 'record_cnil_decision', outcome: 'authorised', number: 'DR-2026-555', decidedOn: today, authorisedEndDate: '2027-08-31' });
    await act(l2, p.active.id, { action: 'accept_convention' });
    await act(i2, p.active.id, { action: 'accept_convention' });
    await act(i2, p.active.id, { action: 'provision' });
  });
  afterAll(() => t?.close());

  it('PR-06: results are published once the project is active, by its lead', async () => {
    const lead = await cast.as('lead');
    expect(errorCode(await lead.post(`/api/projects/${p.mr.id}/results`, { summary: 'Trop tôt' }))).toBe('project.results_too_early');
    expect((await (await cast.as('member')).post(`/api/projects/${p.active.id}/results`, { summary: 'x' })).statusCode).toBe(403);
    const res = await lead.post(`/api/projects/${p.active.id}/results`, { summary: 'Risque hémorragique plus faible sous apixaban.', url: 'https://example.org/article' });
    expect(res.json()).toMatchObject({ results: { summary: 'Risque hémorragique plus faible sous apixaban.', url: 'https://example.org/article' } });
  });

  it('PR-05, PR-06, PR-07: without login, every project past submission with its public fields; drafts and internal data stay hidden', async () => {
    const anonymous = t.client();
    const res = await anonymous.get('/api/registry/projects');
    expect(res.statusCode).toBe(200);
    const entries = res.json<Entry[]>();
    expect(entries.map((e) => e.reference).sort()).toEqual([p.active.reference, p.mr.reference, p.withdrawn.reference].sort());
    const today = parisDay(t.clock.now());
    const active = entries.find((e) => e.reference === p.active.reference)!;
    expect(active).toMatchObject({
      title: 'Hémorragies sous anticoagulants',
      dataControllers: [{ name: 'Université de Synthèse', kind: 'rt', organisationType: 'public' }, { name: 'CHU Fictif', kind: 'co_rt', organisationType: null }],
      purpose: expect.stringContaining('risque hémorragique'), objectives: expect.any(String), methodology: expect.any(String),
      dataSources: { snds: ['BENEFICIAIRE', 'DCIR'], other: [] }, medicalDomains: ['Cardiologie', 'Pharmacologie'],
      legalRoute: 'cnil_authorisation', publicServiceMission: true, completenessOn: today,
      cesrees: { decidedOn: today, outcome: 'favourable' }, cnil: { decidedOn: today, number: 'DR-2026-555', outcome: 'authorised' },
      status: 'active', startDate: today, endDate: '2027-08-31',
      results: { summary: 'Risque hémorragique plus faible sous apixaban.', url: 'https://example.org/article' },
    });
    expect(active.daysToDecision).toBeGreaterThanOrEqual(3);
    expect(entries.find((e) => e.reference === p.mr.reference)).toMatchObject({ legalRoute: 'reference_methodology', referenceMethodology: 'MR-004', registryReference: 'REG-MR-1', dataSources: { other: ['Registre fictif des diabètes'] }, status: 'convention' });
    expect(entries.find((e) => e.reference === p.withdrawn.reference)).toMatchObject({ status: 'withdrawn' });
    // Whitelisted fields only: no team, no e-mail, no internal notes or ids.
    expect(res.body).not.toMatch(/@recherche\.example|leadId|members|"id"|AVIS-1|CESREES-1/);
    expect((await anonymous.get(`/api/registry/projects/${p.active.reference}`)).json()).toMatchObject({ reference: p.active.reference, status: 'active' });
    const hidden = await anonymous.get(`/api/registry/projects/${p.draft.reference}`);
    expect(hidden.statusCode).toBe(404);
    expect(errorCode(hidden)).toBe('registry.not_found');
  });

  it('PR-07: search (accent-insensitive) and filters by route, status, domain, source and year', async () => {
    const c = t.client();
    const refs = async (query: string) => (await c.get(`/api/registry/projects?${query}`)).json<Entry[]>().map((e) => e.reference).sort();
    expect(await refs('q=hemorragies')).toEqual([p.active.reference]);
    expect(await refs('q=universite%20de%20synthese')).toHaveLength(3);
    expect(await refs('route=reference_methodology')).toEqual([p.mr.reference]);
    expect(await refs('status=withdrawn')).toEqual([p.withdrawn.reference]);
    expect(await refs('domain=endocrinologie')).toEqual([p.mr.reference]);
    expect(await refs('source=dcir')).toHaveLength(3);
    expect(await refs(`year=${parisDay(t.clock.now()).slice(0, 4)}`)).toHaveLength(3);
    expect(await refs('year=2001')).toEqual([]);
    expect((await c.get('/api/registry/projects?route=shortcut')).statusCode).toBe(400);
  });

  it('PR-07: open-data export in CSV and JSON, and statistics per route with the median time to decision', async () => {
    const c = t.client();
    const csv = await c.get('/api/registry/export.csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse<Record<string, string>>(csv.body, { columns: true });
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.reference === p.active.reference)).toMatchObject({ title: 'Hémorragies sous anticoagulants', data_controllers: 'Université de Synthèse (rt) | CHU Fictif (co_rt)', snds_sources: 'BENEFICIAIRE | DCIR', cnil_number: 'DR-2026-555', cesrees_outcome: 'favourable', status: 'active', end_date: '2027-08-31' });
    const json = await c.get('/api/registry/export.json?route=cnil_authorisation');
    expect(json.headers['content-disposition']).toMatch(/attachment/);
    expect(json.json<Entry[]>().map((e) => e.reference)).toEqual([p.active.reference]);
    const stats = (await c.get('/api/registry/stats')).json<{ total: number; perRoute: Record<string, number>; perStatus: Record<string, number>; medianDaysToDecision: number; medianDaysToDecisionPerRoute: Record<string, number | null> }>();
    expect(stats).toMatchObject({ total: 3, perRoute: { cnil_authorisation: 1, reference_methodology: 1, egb_simplified: 1, permanent_access: 0 }, perStatus: { active: 1, convention: 1, withdrawn: 1 } });
    expect(stats.medianDaysToDecision).toBeGreaterThanOrEqual(3);
    expect(stats.medianDaysToDecisionPerRoute.egb_simplified).toBeNull();
  });

  it('dashboard: hub staff only — files per step and step durations', async () => {
    for (const who of ['lead', 'member', 'security'] as const) expect((await (await cast.as(who)).get('/api/projects/dashboard')).statusCode, who).toBe(403);
    const board = (await (await cast.as('admin')).get('/api/projects/dashboard')).json<{ perStep: Record<string, number>; durations: { step: string; count: number; medianDays: number | null; p90Days: number | null }[] }>();
    expect(board.perStep).toMatchObject({ draft: 1, active: 1, convention: 1, withdrawn: 1 });
    const submitted = board.durations.find((d) => d.step === 'submitted')!;
    expect(submitted.count).toBe(3);
    expect(submitted.p90Days).toBeGreaterThanOrEqual(3);
  });

  it('exchanges: threaded messages between the applicant and the hub, with notifications to the team', async () => {
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    const question = await lead.post(`/api/projects/${p.mr.id}/messages`, { body: 'Faut-il joindre le protocole signé ?' });
    expect(question.statusCode).toBe(201);
    const q = question.json<{ id: string; side: string }>();
    expect(q.side).toBe('applicant');
    const reply = await instructor.post(`/api/projects/${p.mr.id}/messages`, { body: 'Oui, en PDF.', parentId: q.id });
    expect(reply.json()).toMatchObject({ side: 'hub', parentId: q.id, authorLabel: 'Inès Instructrice' });
    expect((await instructor.post(`/api/projects/${p.active.id}/messages`, { body: 'x', parentId: q.id })).statusCode).toBe(404);
    expect((await (await cast.as('security')).get(`/api/projects/${p.mr.id}/messages`)).statusCode).toBe(404);
    const thread = (await lead.get(`/api/projects/${p.mr.id}/messages`)).json<{ body: string; parentId: string | null }[]>();
    expect(thread.map((m) => [m.body, m.parentId])).toEqual([['Faut-il joindre le protocole signé ?', null], ['Oui, en PDF.', q.id]]);
    const notes = (await lead.get('/api/notifications')).json<{ kind: string; details: { side?: string } }[]>();
    // The hub replied: nothing awaits it; a new question from the applicant puts the file back on the staff's list.
    const awaiting = async () => (await instructor.get('/api/projects/dashboard')).json<{ awaitingReply: { reference: string }[] }>().awaitingReply.map((a) => a.reference);
    expect(await awaiting()).toEqual([]);
    await lead.post(`/api/projects/${p.mr.id}/messages`, { body: 'Merci, et le format du CV ?' });
    expect(await awaiting()).toEqual([p.mr.reference]);
    expect(notes.filter((n) => n.kind === 'project.message')).toEqual([expect.objectContaining({ details: expect.objectContaining({ side: 'hub' }) })]);
  });

  it('AUTH-08: the lead reviews the team every period (HDH_ACCESS_REVIEW_MONTHS): the list, the decisions, removals', async () => {
    const lead = await cast.as('lead');
    for (const who of ['member', 'instructor'] as const) expect((await (await cast.as(who)).get(`/api/projects/${p.active.id}/member-review`)).statusCode, who).toBe(403);
    const before = (await lead.get(`/api/projects/${p.active.id}/member-review`)).json<{ reviewDue: boolean; lastReviewedAt: string | null; members: { userId: string; confirmationDue: boolean }[] }>();
    expect(before).toMatchObject({ reviewDue: true, lastReviewedAt: null, members: [{ confirmationDue: false }] });
    const memberId = before.members[0]!.userId;
    t.clock.advance(190 * 86_400_000);
    cast.forget();
    const lead2 = await cast.as('lead');
    expect((await lead2.get(`/api/projects/${p.active.id}/member-review`)).json()).toMatchObject({ reviewDue: true, members: [{ confirmationDue: true }] });
    expect((await lead2.post(`/api/projects/${p.active.id}/member-review`, { decisions: [{ userId: '00000000-0000-4000-8000-000000000000', decision: 'keep' }], note: 'revue' })).statusCode).toBe(404);
    expect((await lead2.post(`/api/projects/${p.active.id}/member-review`, { decisions: [{ userId: memberId, decision: 'keep' }], note: 'Revue annuelle : accès toujours nécessaire.' })).statusCode).toBe(204);
    expect((await lead2.get(`/api/projects/${p.active.id}/member-review`)).json()).toMatchObject({ reviewDue: false, members: [{ confirmationDue: false }] });
    expect((await lead2.post(`/api/projects/${p.active.id}/member-review`, { decisions: [{ userId: memberId, decision: 'remove' }], note: 'Fin de contrat.' })).statusCode).toBe(204);
    expect((await lead2.get(`/api/projects/${p.active.id}`)).json<{ members: unknown[] }>().members).toEqual([]);
    const events = await t.superuserSql(`select count(*)::int as n from audit_events where project_id = '${p.active.id}' and action = 'project.member_review'`);
    expect(events).toEqual([{ n: 2 }]);
  });

  it('PR-06: results are usually ready after the project closes: the lead can still publish them then, and the registry shows them', async () => {
    cast.forget();
    const lead = await cast.as('lead');
    expect((await act(lead, p.active.id, { action: 'close', note: 'Analyses terminées.' })).json()).toMatchObject({ status: 'closed' });
    const res = await lead.post(`/api/projects/${p.active.id}/results`, { summary: 'Article publié : risque plus faible sous apixaban.', url: 'https://example.org/article-final' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', results: { summary: 'Article publié : risque plus faible sous apixaban.' } });
    expect((await t.client().get(`/api/registry/projects/${p.active.reference}`)).json()).toMatchObject({ status: 'closed', results: { url: 'https://example.org/article-final' } });
    // The file itself stays closed to changes.
    expect(errorCode(await lead.patch(`/api/projects/${p.active.id}`, { title: 'Autre' }))).toBe('project.not_editable');
    expect((await lead.post(`/api/projects/${p.withdrawn.id}/results`, { summary: 'x' })).statusCode).toBe(409);
  });
});
