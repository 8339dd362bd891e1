import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { act, Cast, completeDraft, errorCode, withDemoCatalogue } from '../../test/support/projects.js';
import { addCalendarDays, addCalendarMonths, addWorkingDays, parisDay } from './calendar.js';

interface View { status: string; dueDate: string | null; availableActions: string[]; [k: string]: unknown }

describe.each(stores)('procedure on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  const today = () => parisDay(t.clock.now());
  beforeAll(async () => {
    t = await startTestHub(store);
    await withDemoCatalogue(t);
    cast = new Cast(t);
  });
  afterAll(() => t?.close());

  /** Every other role is refused: 403 when they can see the file, 404 when they cannot. */
  async function refusedToOthers(id: string, body: Record<string, unknown>, allowed: string[], memberOnTeam = false) {
    const expected: Record<string, number> = { lead: 403, member: memberOnTeam ? 403 : 404, instructor: 403, admin: 403, security: 404, producer: 404, reviewer: 404 };
    for (const who of ['lead', 'member', 'instructor', 'security', 'producer'] as const) {
      if (allowed.includes(who)) continue;
      const res = await act(await cast.as(who), id, body);
      expect(res.statusCode, `${who} ${String(body.action)}`).toBe(expected[who]);
    }
    expect((await t.client().post(`/api/projects/${id}/transitions`, body)).statusCode).toBe(401);
  }

  it('LC-01..LC-05, LC-07: the CNIL route from draft to archived, each step allowed to its role only and audited', async () => {
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    const { id, reference } = await completeDraft(lead, 'cnil_authorisation');
    await lead.post(`/api/projects/${id}/members`, { userId: await cast.userId('member'), roleInProject: 'statisticien', endDate: '2027-06-30' });

    expect(errorCode(await lead.get(`/api/projects/${id}/permit`))).toBe('project.not_authorised');
    await refusedToOthers(id, { action: 'submit' }, ['lead'], true);
    let v = (await act(lead, id, { action: 'submit' })).json<View>();
    expect(v).toMatchObject({ status: 'submitted', dueDate: addWorkingDays(today(), 7), availableActions: ['withdraw'] });

    await refusedToOthers(id, { action: 'return', note: 'CV manquant' }, ['instructor'], true);
    v = (await act(instructor, id, { action: 'return', note: 'Le CV de l’investigatrice manque.' })).json<View>();
    expect(v).toMatchObject({ status: 'returned', dueDate: null });
    expect((await lead.patch(`/api/projects/${id}`, { methodology: 'Cohorte rétrospective, version complétée.' })).statusCode).toBe(200);
    expect((await act(lead, id, { action: 'submit', note: 'CV ajouté' })).json()).toMatchObject({ status: 'submitted' });

    await refusedToOthers(id, { action: 'forward' }, ['instructor'], true);
    v = (await act(instructor, id, { action: 'forward', reference: 'CESREES-2026-0042' })).json<View>();
    expect(v).toMatchObject({ status: 'cesrees_review', dueDate: addCalendarMonths(today(), 1) });

    const opinion = { action: 'record_opinion', outcome: 'favourable_with_recommendations', reference: 'AVIS-CESREES-0042', decidedOn: today() };
    await refusedToOthers(id, opinion, ['instructor'], true);
    expect((await act(instructor, id, { ...opinion, outcome: 'tacit_favourable' })).statusCode).toBe(400);
    expect(errorCode(await act(instructor, id, { ...opinion, decidedOn: addCalendarDays(today(), 3) }))).toBe('project.date_in_future');
    v = (await act(instructor, id, opinion)).json<View>();
    expect(v).toMatchObject({ status: 'cesrees_opinion', cesrees: { outcome: 'favourable_with_recommendations', decidedOn: today(), reference: 'AVIS-CESREES-0042' }, availableActions: [] });

    // LC-04: the applicant may amend the file after the opinion, then decides to file with the CNIL.
    expect((await lead.patch(`/api/projects/${id}`, { methodology: 'Méthode amendée selon les recommandations du CESREES.' })).statusCode).toBe(200);
    expect((await lead.get(`/api/projects/${id}`)).json<View>().availableActions).toEqual(['file_cnil', 'withdraw']);
    await refusedToOthers(id, { action: 'file_cnil' }, ['lead'], true);
    v = (await act(lead, id, { action: 'file_cnil' })).json<View>();
    const filedOn = today();
    expect(v).toMatchObject({ status: 'cnil_review', dueDate: addCalendarMonths(filedOn, 2), cnilRenewed: false });
    expect((await lead.patch(`/api/projects/${id}`, { title: 'x' })).statusCode).toBe(409);

    await refusedToOthers(id, { action: 'renew_cnil', reference: 'CNIL-PROROGATION-1' }, ['instructor'], true);
    v = (await act(instructor, id, { action: 'renew_cnil', reference: 'CNIL-PROROGATION-1' })).json<View>();
    expect(v).toMatchObject({ status: 'cnil_review', dueDate: addCalendarMonths(filedOn, 4), cnilRenewed: true });
    expect(errorCode(await act(instructor, id, { action: 'renew_cnil', reference: 'CNIL-PROROGATION-2' }))).toBe('project.cnil_already_renewed');

    const decision = { action: 'record_cnil_decision', outcome: 'authorised', number: 'DR-2026-123', decidedOn: today(), authorisedEndDate: '2027-08-31' };
    await refusedToOthers(id, decision, ['instructor'], true);
    v = (await act(instructor, id, decision)).json<View>();
    expect(v).toMatchObject({ status: 'convention', authorisedEndDate: '2027-08-31', cnil: { outcome: 'authorised', number: 'DR-2026-123', decidedOn: today() } });

    await refusedToOthers(id, { action: 'accept_convention' }, ['lead', 'instructor'], true);
    expect(errorCode(await act(await cast.as('admin'), id, { action: 'accept_convention' }))).toBe('project.party_required');
    expect((await act(lead, id, { action: 'accept_convention', party: 'hub' })).statusCode).toBe(403);
    v = (await act(lead, id, { action: 'accept_convention' })).json<View>();
    expect(v).toMatchObject({ status: 'convention', convention: { acceptances: [{ party: 'applicant', acceptedBy: 'porteur@recherche.example' }] } });
    expect(errorCode(await act(lead, id, { action: 'accept_convention' }))).toBe('project.convention_already_accepted');
    v = (await act(instructor, id, { action: 'accept_convention' })).json<View>();
    expect(v).toMatchObject({ status: 'provisioning', dueDate: addCalendarMonths(today(), 2) });

    await refusedToOthers(id, { action: 'provision' }, ['instructor'], true);
    v = (await act(instructor, id, { action: 'provision', reference: 'EXTRACTION-1' })).json<View>();
    expect(v).toMatchObject({ status: 'active', startDate: today(), dueDate: '2027-08-31' });
    // The permit later trusted by extraction and workspaces: latest perimeter, authorised dates, team.
    const permit = (await (await cast.as('member')).get(`/api/projects/${id}/permit`)).json();
    expect(permit).toMatchObject({ reference, status: 'active', perimeterVersion: 1, perimeter: { datasets: ['BENEFICIAIRE', 'DCIR'] }, startDate: today(), endDate: '2027-08-31', publicServiceMission: false });
    expect((permit as { members: unknown[] }).members).toHaveLength(2);

    expect(errorCode(await act(lead, id, { action: 'withdraw' }))).toBe('project.transition_refused');
    expect(errorCode(await act(lead, id, { action: 'submit' }))).toBe('project.transition_refused');
    await refusedToOthers(id, { action: 'close' }, ['lead', 'instructor'], true);
    expect((await act(lead, id, { action: 'close', note: 'Analyses terminées' })).json()).toMatchObject({ status: 'closed', dueDate: null });
    await refusedToOthers(id, { action: 'archive' }, ['instructor'], true);
    expect((await act(instructor, id, { action: 'archive' })).json()).toMatchObject({ status: 'archived', availableActions: [] });

    // Every transition is audited with who decided and the reference of the decision.
    const events = await t.superuserSql(`select action, actor_label, details->>'from' as "from", details->>'to' as "to", details->>'decisionReference' as ref from audit_events where project_id = '${id}' and outcome = 'success' and details ? 'to' order by seq`);
    expect(events.map((e) => (e as { action: string }).action)).toEqual([
      'project.submit', 'project.return', 'project.submit', 'project.forward', 'project.record_opinion', 'project.file_cnil', 'project.renew_cnil',
      'project.record_cnil_decision', 'project.accept_convention', 'project.accept_convention', 'project.provision', 'project.close', 'project.archive',
    ]);
    expect(events).toContainEqual({ action: 'project.record_cnil_decision', actor_label: 'instructeur@hdh.example', from: 'cnil_review', to: 'convention', ref: 'DR-2026-123' });
    expect(events).toContainEqual({ action: 'project.forward', actor_label: 'instructeur@hdh.example', from: 'submitted', to: 'cesrees_review', ref: 'CESREES-2026-0042' });
    // LOG-03: refused attempts are traced as well, with the reason.
    const refusals = await t.superuserSql(`select actor_label, outcome, details->>'code' as code from audit_events where target_id = '${id}' and action = 'project.submit' and outcome <> 'success' order by seq`);
    expect(refusals).toEqual(expect.arrayContaining([
      { actor_label: 'chercheur@recherche.example', outcome: 'denied', code: 'auth.forbidden' },
      { actor_label: 'producteur@cnam.example', outcome: 'denied', code: 'project.not_found' },
      { actor_label: 'porteur@recherche.example', outcome: 'failure', code: 'project.transition_refused' },
    ]));

    // LC-06: the member sees every step of the file, and was notified of each change.
    const member = await cast.as('member');
    const timeline = (await member.get(`/api/projects/${id}/timeline`)).json<{ reference: string; transitions: { action: string; actorLabel: string; reference: string | null }[]; nextSteps: string[] }>();
    expect(timeline.reference).toBe(reference);
    expect(timeline.transitions.map((s) => s.action)).toEqual(['create', 'submit', 'return', 'submit', 'forward', 'record_opinion', 'file_cnil', 'renew_cnil', 'record_cnil_decision', 'accept_convention', 'accept_convention', 'provision', 'close', 'archive']);
    expect(timeline.nextSteps).toEqual([]);
    const notifications = (await member.get('/api/notifications?unread=true')).json<{ id: string; kind: string; details: { to: string } }[]>();
    expect(notifications.filter((n) => n.kind === 'project.status_changed').map((n) => n.details.to)).toContain('cesrees_review');
    expect((await member.post(`/api/notifications/${notifications[0]!.id}/read`)).statusCode).toBe(204);
    expect((await member.get('/api/notifications?unread=true')).json<unknown[]>()).toHaveLength(notifications.length - 1);
    expect((await member.post(`/api/notifications/${notifications[0]!.id}/read`)).statusCode).toBe(404);
  });

  it('LC-05: a CNIL refusal ends the file; it can then be archived', async () => {
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    const { id } = await completeDraft(lead, 'cnil_authorisation');
    await act(lead, id, { action: 'submit' });
    await act(instructor, id, { action: 'forward' });
    await act(instructor, id, { action: 'record_opinion', outcome: 'unfavourable', reference: 'AVIS-2', decidedOn: today() });
    // An unfavourable opinion does not stop the applicant from filing with the CNIL (LC-04).
    expect((await act(lead, id, { action: 'file_cnil' })).json()).toMatchObject({ status: 'cnil_review' });
    const refused = (await act(instructor, id, { action: 'record_cnil_decision', outcome: 'refused', number: 'DR-REFUS-1', decidedOn: today() })).json<View>();
    expect(refused).toMatchObject({ status: 'refused', cnil: { outcome: 'refused', number: 'DR-REFUS-1' }, authorisedEndDate: null });
    expect((await act(lead, id, { action: 'withdraw' })).statusCode).toBe(409);
    expect((await act(instructor, id, { action: 'archive' })).json()).toMatchObject({ status: 'archived' });
  });

  it('LC-09: the MR route needs the methodology and a declaration of conformity, skips CESREES and CNIL, and records the registry entry', async () => {
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    const { id } = await completeDraft(lead, 'reference_methodology', '2027-09-30', { referenceMethodology: null, conformityDeclaration: null });
    const incomplete = await act(lead, id, { action: 'submit' });
    expect(incomplete.json<{ error: { details: { location: string }[] } }>().error.details.map((d) => d.location)).toEqual(['project.referenceMethodology', 'project.conformityDeclaration']);
    await lead.patch(`/api/projects/${id}`, { referenceMethodology: 'MR-006', conformityDeclaration: { reference: 'DC-MR006-77', declaredOn: '2026-10-01' } });
    expect((await act(lead, id, { action: 'submit' })).json()).toMatchObject({ status: 'submitted', dueDate: addWorkingDays(today(), 7) });
    expect((await act(instructor, id, { action: 'forward' })).statusCode).toBe(409);
    expect((await act(instructor, id, { action: 'approve', reference: 'X' })).statusCode).toBe(409);
    await refusedToOthers(id, { action: 'register', registryReference: 'REG-MR-2026-9' }, ['instructor']);
    const v = (await act(instructor, id, { action: 'register', registryReference: 'REG-MR-2026-9' })).json<View>();
    expect(v).toMatchObject({ status: 'convention', registryReference: 'REG-MR-2026-9', referenceMethodology: 'MR-006', conformityDeclaration: { reference: 'DC-MR006-77' }, authorisedEndDate: '2027-09-30' });
  });

  it('LC-08: the EGB simplified route is approved within 15 days, or refused', async () => {
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    const a = await completeDraft(lead, 'egb_simplified');
    expect((await act(lead, a.id, { action: 'submit' })).json()).toMatchObject({ status: 'submitted', dueDate: addCalendarDays(today(), 15) });
    expect((await act(instructor, a.id, { action: 'forward' })).statusCode).toBe(409);
    await refusedToOthers(a.id, { action: 'approve', reference: 'EGB-OK-1' }, ['instructor']);
    expect((await act(instructor, a.id, { action: 'approve', reference: 'EGB-OK-1', authorisedEndDate: '2027-06-30' })).json()).toMatchObject({ status: 'convention', authorisedEndDate: '2027-06-30' });
    const b = await completeDraft(lead, 'egb_simplified');
    await act(lead, b.id, { action: 'submit' });
    await refusedToOthers(b.id, { action: 'refuse', reference: 'EGB-NON-1', note: 'Critères non remplis' }, ['instructor']);
    expect((await act(instructor, b.id, { action: 'refuse', reference: 'EGB-NON-1', note: 'Critères non remplis' })).json()).toMatchObject({ status: 'refused' });
    const c = await completeDraft(lead, 'permanent_access');
    await act(lead, c.id, { action: 'submit' });
    expect((await act(instructor, c.id, { action: 'approve', reference: 'OAP-1' })).json()).toMatchObject({ status: 'convention' });
  });

  it('withdrawal: the lead (or an administrator) may withdraw at any stage before active', async () => {
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    const draft = await completeDraft(lead, 'cnil_authorisation');
    await refusedToOthers(draft.id, { action: 'withdraw' }, ['lead']);
    expect((await act(lead, draft.id, { action: 'withdraw', note: 'Projet abandonné' })).json()).toMatchObject({ status: 'withdrawn' });
    const review = await completeDraft(lead, 'cnil_authorisation');
    await act(lead, review.id, { action: 'submit' });
    await act(instructor, review.id, { action: 'forward' });
    expect((await act(await cast.as('admin'), review.id, { action: 'withdraw' })).json()).toMatchObject({ status: 'withdrawn' });
    expect((await act(lead, review.id, { action: 'submit' })).statusCode).toBe(409);
  });

  it('AUTH-05, AUTH-03: the convention needs every team member to have accepted the charter and to end no later than the project', async () => {
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    const { id } = await completeDraft(lead, 'egb_simplified', '2027-09-30');
    // relecteur1 has never accepted the user charter.
    const reviewerId = (await (await cast.as('reviewer', { acceptCharter: false })).get('/api/session')).json<{ user: { id: string } }>().user.id;
    await lead.post(`/api/projects/${id}/members`, { userId: reviewerId, roleInProject: 'relecture', endDate: '2027-03-31' });
    await lead.post(`/api/projects/${id}/members`, { userId: await cast.userId('member'), roleInProject: 'statisticien', endDate: '2027-09-30' });
    await act(lead, id, { action: 'submit' });
    // The authorised end comes earlier than requested: the statistician now ends after the project.
    await act(instructor, id, { action: 'approve', reference: 'EGB-2', authorisedEndDate: '2027-06-30' });
    const refused = await act(lead, id, { action: 'accept_convention' });
    expect(refused.statusCode).toBe(409);
    const problems = refused.json<{ error: { code: string; details: { location: string; message: string }[] } }>().error;
    expect(problems.code).toBe('project.team_not_ready');
    expect(problems.details).toEqual(expect.arrayContaining([
      { location: 'members[0].endDate', message: 'chercheur@recherche.example ends on 2027-09-30, after the project (2027-06-30)' },
      { location: 'members[1]', message: 'relecteur1@hdh.example has not accepted the current user charter' },
    ]));
    await lead.post(`/api/projects/${id}/members`, { userId: await cast.userId('member'), roleInProject: 'statisticien', endDate: '2027-06-30' });
    await (await cast.as('reviewer', { acceptCharter: false })).acceptCharter();
    expect((await act(lead, id, { action: 'accept_convention' })).json()).toMatchObject({ status: 'convention' });
    const convention = (await lead.get(`/api/projects/${id}/convention`)).json<Record<string, unknown>>();
    expect(convention).toMatchObject({
      parties: [{ party: 'applicant', names: ['Université de Synthèse', 'CHU Fictif'] }, { party: 'hub', acceptedAt: null }],
      perimeterVersion: 1, perimeter: { datasets: ['BENEFICIAIRE', 'DCIR'], durationMonths: 36 }, duration: { end: '2027-06-30' },
    });
    expect((convention.securityCommitments as string[]).length).toBeGreaterThanOrEqual(4);
    expect((await act(instructor, id, { action: 'accept_convention' })).json()).toMatchObject({ status: 'provisioning' });
  });

  it('row lock: two instructors deciding at once — one transition wins, the other is refused', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation');
    await act(lead, id, { action: 'submit' });
    const instructor = await cast.as('instructor');
    const admin = await cast.as('admin');
    const results = await Promise.all([act(instructor, id, { action: 'forward' }), act(admin, id, { action: 'return', note: 'Pièce manquante' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const timeline = (await lead.get(`/api/projects/${id}/timeline`)).json<{ transitions: unknown[] }>();
    expect(timeline.transitions).toHaveLength(3);
  });
});
