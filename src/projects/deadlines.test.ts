import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { act, Cast, completeDraft, withDemoCatalogue } from '../../test/support/projects.js';

/**
 * The scheduled job and the overdue flags, on a ManualClock moved forward only (a TOTP code is
 * accepted once per time step, so the clock never goes back). Times are UTC; limits fall due at
 * the end of the day in Paris.
 */
describe.each(stores)('legal deadlines and tacit outcomes on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  const ids: Record<'p1' | 'p2' | 'p3', string> = { p1: '', p2: '', p3: '' };
  const at = (iso: string) => {
    t.clock.set(iso);
    cast.forget();
  };
  const job = () => t.hub.services.projects.applyDueTacitOutcomes(t.clock.now());
  beforeAll(async () => {
    t = await startTestHub(store);
    await withDemoCatalogue(t);
    cast = new Cast(t);
  });
  afterAll(() => t?.close());

  it('LC-01: a file submitted on Friday 2027-01-29 must be checked by 2027-02-09 (7 working days)', async () => {
    at('2027-01-29T09:00:00Z');
    const lead = await cast.as('lead');
    ids.p1 = (await completeDraft(lead, 'cnil_authorisation', '2027-09-30')).id;
    ids.p2 = (await completeDraft(lead, 'cnil_authorisation', '2027-09-30')).id;
    await lead.post(`/api/projects/${ids.p1}/members`, { userId: await cast.userId('member'), roleInProject: 'stagiaire', endDate: '2027-03-31' });
    expect((await (await cast.as('member')).get(`/api/projects/${ids.p1}`)).statusCode).toBe(200);
    expect((await act(lead, ids.p1, { action: 'submit' })).json()).toMatchObject({ dueDate: '2027-02-09' });
    expect((await act(lead, ids.p2, { action: 'submit' })).json()).toMatchObject({ dueDate: '2027-02-09' });
  });

  it('LC-02: forwarded on 31 January, the CESREES opinion is due on 28 February (month end)', async () => {
    at('2027-01-31T10:00:00Z');
    const instructor = await cast.as('instructor');
    expect((await act(instructor, ids.p1, { action: 'forward', reference: 'CESREES-2027-7' })).json()).toMatchObject({ status: 'cesrees_review', dueDate: '2027-02-28' });
  });

  it('LC-02, LC-03: no opinion by the end of 28 February (Paris) → tacit favourable opinion on 1 March, applied by the job', async () => {
    at('2027-02-28T21:00:00Z'); // 22:00 in Paris: the last day is not over
    expect(await job()).toEqual([]);
    at('2027-03-01T00:30:00Z'); // 01:30 in Paris
    const applied = await job();
    expect(applied).toEqual([{ projectId: ids.p1, reference: expect.stringMatching(/^HDH-/), action: 'record_opinion', to: 'cesrees_opinion', outcome: 'tacit_favourable' }]);
    expect(await job()).toEqual([]);
    const lead = await cast.as('lead');
    expect((await lead.get(`/api/projects/${ids.p1}`)).json()).toMatchObject({ status: 'cesrees_opinion', cesrees: { outcome: 'tacit_favourable', decidedOn: '2027-03-01' }, availableActions: ['file_cnil', 'withdraw'] });
    const events = await t.superuserSql(`select actor_label, details->>'automatic' as automatic, details->>'outcome' as outcome from audit_events where project_id = '${ids.p1}' and action = 'project.record_opinion'`);
    expect(events).toEqual([{ actor_label: 'system:procedure-scheduler', automatic: 'true', outcome: 'tacit_favourable' }]);
  });

  it('LC-04, LC-05: filed with the CNIL on 1 March → due 1 May; one renewal → due 1 July; a second is refused', async () => {
    at('2027-03-01T09:00:00Z');
    const lead = await cast.as('lead');
    expect((await act(lead, ids.p1, { action: 'file_cnil' })).json()).toMatchObject({ status: 'cnil_review', dueDate: '2027-05-01' });
    const instructor = await cast.as('instructor');
    expect((await act(instructor, ids.p1, { action: 'renew_cnil', reference: 'CNIL-PROROG-1' })).json()).toMatchObject({ dueDate: '2027-07-01', cnilRenewed: true });
    expect((await act(instructor, ids.p1, { action: 'renew_cnil', reference: 'CNIL-PROROG-2' })).statusCode).toBe(409);
  });

  it('LC-01, LC-06, AUTH-03: submitted Wednesday 2027-05-05 → due 2027-05-18 across Ascension (6 May) and Whit Monday (17 May); overdue on 19 May', async () => {
    at('2027-05-05T09:00:00Z');
    const lead = await cast.as('lead');
    ids.p3 = (await completeDraft(lead, 'cnil_authorisation', '2027-09-30')).id;
    expect((await act(lead, ids.p3, { action: 'submit' })).json()).toMatchObject({ dueDate: '2027-05-18', overdue: false });
    // The renewed CNIL limit has not passed: the job leaves it alone.
    expect(await job()).toEqual([]);

    // AUTH-03: past their end date (31 March) a member no longer sees the project.
    const member = await cast.as('member');
    expect((await member.get(`/api/projects/${ids.p1}`)).statusCode).toBe(404);
    expect((await member.get('/api/projects')).json()).toEqual([]);

    at('2027-05-18T20:00:00Z');
    let board = (await (await cast.as('instructor')).get('/api/projects/dashboard')).json<{ overdue: { id: string; daysOverdue: number }[]; perStep: Record<string, number> }>();
    expect(board.overdue.map((o) => o.id)).toEqual([ids.p2]);
    expect(board.perStep).toMatchObject({ submitted: 2, cnil_review: 1 });

    at('2027-05-19T08:00:00Z');
    board = (await (await cast.as('instructor')).get('/api/projects/dashboard')).json();
    expect(board.overdue).toEqual(expect.arrayContaining([expect.objectContaining({ id: ids.p3, daysOverdue: 1 }), expect.objectContaining({ id: ids.p2, daysOverdue: 99 })]));
    const timeline = (await (await cast.as('lead')).get(`/api/projects/${ids.p3}/timeline`)).json();
    expect(timeline).toMatchObject({ status: 'submitted', dueDate: '2027-05-18', overdue: true, deadlineRule: { requirement: 'LC-01', unit: 'working_days', amount: 7, onExpiry: 'overdue' } });
    // No tacit outcome for a completeness check: it stays overdue, it is never decided by silence.
    expect(await job()).toEqual([]);
  });

  it('LC-05: CNIL silence past the renewed limit (1 July) → tacit authorisation on 2 July', async () => {
    at('2027-07-01T20:00:00Z');
    expect(await job()).toEqual([]);
    at('2027-07-02T06:00:00Z');
    expect(await job()).toEqual([expect.objectContaining({ projectId: ids.p1, action: 'record_cnil_decision', to: 'convention', outcome: 'tacit_authorisation' })]);
    const v = (await (await cast.as('lead')).get(`/api/projects/${ids.p1}`)).json();
    expect(v).toMatchObject({ status: 'convention', cnil: { outcome: 'tacit_authorisation', decidedOn: '2027-07-02', number: null }, authorisedEndDate: '2027-09-30' });
  });

  it('LC-07, LC-10: once provisioned the project is active until its authorised end date, then closed by the job', async () => {
    at('2027-07-02T09:00:00Z');
    const lead = await cast.as('lead');
    const instructor = await cast.as('instructor');
    await act(lead, ids.p1, { action: 'accept_convention' });
    expect((await act(instructor, ids.p1, { action: 'accept_convention' })).json()).toMatchObject({ status: 'provisioning', dueDate: '2027-09-02' });
    expect((await act(instructor, ids.p1, { action: 'provision' })).json()).toMatchObject({ status: 'active', startDate: '2027-07-02', dueDate: '2027-09-30' });
    at('2027-09-30T21:00:00Z'); // 23:00 in Paris on the last authorised day
    expect(await job()).toEqual([]);
    at('2027-09-30T22:30:00Z'); // 00:30 on 1 October in Paris
    expect(await job()).toEqual([expect.objectContaining({ projectId: ids.p1, action: 'close', to: 'closed' })]);
    const entry = (await t.client().get('/api/registry/projects')).json<{ status: string; cesrees: unknown; cnil: unknown; startDate: string; endDate: string }[]>().find((e) => e.status === 'closed');
    expect(entry).toMatchObject({ cesrees: { outcome: 'tacit_favourable', decidedOn: '2027-03-01' }, cnil: { outcome: 'tacit_authorisation', decidedOn: '2027-07-02' }, startDate: '2027-07-02', endDate: '2027-09-30' });
    const durations = (await (await cast.as('instructor')).get('/api/projects/dashboard')).json<{ durations: { step: string; count: number; medianDays: number }[] }>().durations;
    // P1 stayed in CNIL review from 1 March to 2 July (renewal included, not split).
    expect(durations.find((d) => d.step === 'cnil_review')).toMatchObject({ count: 1, medianDays: 122.9 });
  });
});
