/**
 * The team of a project as the web page manages it: members named by e-mail, each with whether
 * they accepted the user charter (AUTH-05), removed by the lead, and reviewed yearly (AUTH-08).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { Cast, completeDraft, errorCode, people, withDemoCatalogue } from '../../test/support/projects.js';

interface Member { userId: string; email: string; roleInProject: string; endDate: string; charterAccepted: boolean }

describe.each(stores)('project team on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  beforeAll(async () => {
    t = await startTestHub(store);
    await withDemoCatalogue(t);
    cast = new Cast(t);
  });
  afterAll(() => t?.close());

  it('AUTH-03, AUTH-05: the lead adds a member by e-mail (any case); the view says whether they accepted the user charter', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation', '2027-06-30');
    // The researcher has signed in but not accepted the charter yet.
    const researcher = await cast.as('member', { acceptCharter: false });
    const added = await lead.post(`/api/projects/${id}/members`, { email: people.member.toUpperCase(), roleInProject: 'member', endDate: '2027-03-31' });
    expect(added.statusCode).toBe(201);
    expect(added.json<Member>()).toMatchObject({ email: people.member, roleInProject: 'member', endDate: '2027-03-31', charterAccepted: false });
    expect((await lead.get(`/api/projects/${id}`)).json<{ members: Member[] }>().members).toEqual([expect.objectContaining({ email: people.member, charterAccepted: false })]);

    await researcher.acceptCharter();
    expect((await lead.get(`/api/projects/${id}`)).json<{ members: Member[] }>().members).toEqual([expect.objectContaining({ email: people.member, charterAccepted: true })]);
    expect((await lead.get(`/api/projects/${id}/convention`)).json<{ team: Member[] }>().team).toEqual([expect.objectContaining({ charterAccepted: true })]);

    // Re-adding the same person updates their role and end date rather than duplicating them.
    const again = await lead.post(`/api/projects/${id}/members`, { email: people.member, roleInProject: 'rmo', endDate: '2027-01-31' });
    expect(again.statusCode).toBe(201);
    const team = (await lead.get(`/api/projects/${id}`)).json<{ members: Member[] }>().members;
    expect(team).toHaveLength(1);
    expect(team[0]).toMatchObject({ roleInProject: 'rmo', endDate: '2027-01-31' });
    const events = await t.superuserSql(`select details->>'userId' as user_id from audit_events where action = 'project.member.add' and project_id = '${id}'`);
    expect(events).toHaveLength(2);
  });

  it('AUTH-03: an unknown e-mail, both or neither identifier, and an end date after the project are refused, each located', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation', '2027-06-30');
    const locations = (res: { json<T>(): T }) => res.json<{ error: { details: { location: string }[] } }>().error.details.map((d) => d.location);

    const unknown = await lead.post(`/api/projects/${id}/members`, { email: 'personne@nulle-part.example', roleInProject: 'member', endDate: '2027-01-01' });
    expect(unknown.statusCode).toBe(400);
    expect(errorCode(unknown)).toBe('project.member_unknown');
    expect(locations(unknown)).toEqual(['body.email']);

    const neither = await lead.post(`/api/projects/${id}/members`, { roleInProject: 'member', endDate: '2027-01-01' });
    expect(neither.statusCode).toBe(400);
    expect(locations(neither)).toContain('body.email');
    const both = await lead.post(`/api/projects/${id}/members`, { email: people.member, userId: await cast.userId('member'), roleInProject: 'member', endDate: '2027-01-01' });
    expect(both.statusCode).toBe(400);

    const late = await lead.post(`/api/projects/${id}/members`, { email: people.member, roleInProject: 'member', endDate: '2027-07-01' });
    expect(errorCode(late)).toBe('project.member_end_after_project');
    expect(locations(late)).toEqual(['body.endDate']);

    // Only the lead (or an administrator) manages the team.
    const instructor = await cast.as('instructor');
    expect((await instructor.post(`/api/projects/${id}/members`, { email: people.member, roleInProject: 'member', endDate: '2027-01-01' })).statusCode).toBe(403);
  });

  it('AUTH-08: the annual review lists members with their charter status; removing one takes them off the team', async () => {
    const lead = await cast.as('lead');
    const { id } = await completeDraft(lead, 'cnil_authorisation', '2027-06-30');
    const memberId = await cast.userId('member');
    const reviewerId = await cast.userId('reviewer');
    await lead.post(`/api/projects/${id}/members`, { email: people.member, roleInProject: 'member', endDate: '2027-03-31' });
    await lead.post(`/api/projects/${id}/members`, { email: people.reviewer, roleInProject: 'subcontractor', endDate: '2027-03-31' });

    const review = (await lead.get(`/api/projects/${id}/member-review`)).json<{ reviewDue: boolean; members: (Member & { confirmationDue: boolean })[] }>();
    expect(review.reviewDue).toBe(true);
    expect(review.members.map((m) => [m.email, m.charterAccepted])).toEqual(expect.arrayContaining([[people.member, true], [people.reviewer, true]]));

    const recorded = await lead.post(`/api/projects/${id}/member-review`, { decisions: [{ userId: memberId, decision: 'keep' }, { userId: reviewerId, decision: 'remove' }], note: 'Revue annuelle' });
    expect(recorded.statusCode).toBe(204);
    const after = (await lead.get(`/api/projects/${id}/member-review`)).json<{ reviewDue: boolean; members: Member[] }>();
    expect(after.reviewDue).toBe(false);
    expect(after.members.map((m) => m.email)).toEqual([people.member]);
  });
});
