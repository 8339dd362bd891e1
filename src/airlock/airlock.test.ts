import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestClient, type TestHub } from '../../test/support/hub.js';
import { Cast, errorCode, people, withDemoCatalogue } from '../../test/support/projects.js';
import { activeProject, runSql, syntheticLake } from '../../test/support/workspaces.js';
import { systemActor } from '../platform/actor.js';
import { utcDay } from '../platform/clock.js';
import type { OutputFileView, OutputRequestView } from './schema.js';
import { SUPPRESSED } from './sdc/types.js';

/** A frequency table by age band and sex with one small cell (18-39 / M = 4). */
const SMALL_CELL_SQL = "SELECT * FROM (VALUES ('18-39', 'F', 120), ('18-39', 'M', 4), ('40-64', 'F', 230), ('40-64', 'M', 210), ('65+', 'F', 180), ('65+', 'M', 160)) AS t(age_band, sex, n)";
const roles = [{ name: 'age_band', role: 'dimension' }, { name: 'sex', role: 'dimension' }, { name: 'n', role: 'count' }];
const CONTEXT = 'Effectifs de bénéficiaires par tranche d’âge et sexe, population synthétique 2019, comptage des personnes distinctes.';
const REVIEWER2 = 'relecteur2@hdh.example';
/** A researcher of the project who also holds the reviewer role (SDC-10). */
const REVIEWER_MEMBER = 'relecteur.chercheur@recherche.example';

interface Received { to: string[]; text: string }

/** Decodes the quoted-printable body enough to read it (nodemailer encodes accents that way). */
function readable(raw: string): string {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(qp, 'latin1').toString('utf8');
}
interface Alert { id: string; rule: string; severity: string; actor: string; projectId?: string; details: Record<string, unknown>; emailed: boolean }

describe.each(stores)('output airlock on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  let smtp: SMTPServer;
  const received: Received[] = [];
  let project: { id: string; reference: string };
  const clients = new Map<string, TestClient>();
  const out = (suffix = '') => `/api/projects/${project.id}/outputs${suffix}`;
  /** State shared by the flow's steps. */
  const flow = { requestId: '', fileId: '', sha256: '' };

  async function as(email: string): Promise<TestClient> {
    const cached = clients.get(email);
    if (cached) return cached;
    const c = await t.login(email);
    await c.acceptCharter();
    clients.set(email, c);
    return c;
  }

  async function newRequest(client: TestClient, title: string): Promise<OutputRequestView> {
    const res = await client.post(out(), { title });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<OutputRequestView>();
  }

  async function addQuery(client: TestClient, requestId: string, sql: string, extra: Record<string, unknown> = {}): Promise<OutputFileView> {
    const { body } = await runSql(client, project.id, sql);
    expect(body.status, JSON.stringify(body.error)).toBe('done');
    const res = await client.post(out(`/${requestId}/files`), { name: 'effectifs_age_sexe', context: CONTEXT, source: { kind: 'query', queryId: body.id }, columns: roles, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<OutputFileView>();
  }

  const view = async (client: TestClient, requestId: string) => (await client.get(out(`/${requestId}`))).json<OutputRequestView>();
  const alerts = async () => (await (await as(people.security)).get('/api/alerts')).json<Alert[]>();

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), text: readable(Buffer.concat(chunks).toString('latin1')) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    t = await startTestHub(store, {
      HDH_SMTP_URL: `smtp://127.0.0.1:${port}`, HDH_WORKSPACE_MEMORY_MB: '512', HDH_WORKSPACE_THREADS: '1',
      // LOG-08: the first release (six rows) is above this threshold.
      HDH_AIRLOCK_LARGE_EXPORT_ROWS: '5',
    });
    await withDemoCatalogue(t);
    cast = new Cast(t);
    await syntheticLake(t, 300);
    project = await activeProject(t, cast);
    // A researcher of the team who is also an output reviewer.
    const end = utcDay(new Date(t.clock.now().getTime() + 300 * 86_400_000));
    await t.hub.database.db.transaction().execute(async (tx) => {
      const user = await t.hub.services.identity.createUser(systemActor('test'), { email: REVIEWER_MEMBER, displayName: 'Rémi Relecteur-Chercheur', roles: ['project_member', 'output_reviewer'], endOfRights: end, password: t.demo.password }, tx);
      const { secret } = await t.hub.services.auth.provisionTotp(tx, user.id);
      t.demo.accounts.push({ email: REVIEWER_MEMBER, displayName: 'Rémi Relecteur-Chercheur', roles: ['project_member', 'output_reviewer'], organisation: '', totpSecret: secret });
    });
    const id = (await (await as(REVIEWER_MEMBER)).get('/api/session')).json<{ user: { id: string } }>().user.id;
    const added = await (await as(people.lead)).post(`/api/projects/${project.id}/members`, { userId: id, roleInProject: 'statisticien', endDate: end < '2027-06-30' ? end : '2027-06-30' });
    expect(added.statusCode, added.body).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it('EXP-05, SDC-01: a member captures a query result with a cell of 4 — checked at once, the cell flagged', async () => {
    const member = await as(people.member);
    const request = await newRequest(member, 'Effectifs par âge et sexe');
    expect(request).toMatchObject({ status: 'draft', projectReference: project.reference, createdBy: { name: 'Marc Chercheur' }, files: [], canEdit: true, canSubmit: false, canVote: false, round: 1 });
    const file = await addQuery(member, request.id, SMALL_CELL_SQL);
    expect(file).toMatchObject({ name: 'effectifs_age_sexe', kind: 'table', version: 1, source: { kind: 'query', sql: SMALL_CELL_SQL }, published: false, preview: { header: ['age_band', 'sex', 'n'], rowCount: 6 } });
    expect(file.preview.rows[1]).toEqual(['18-39', 'M', 4]);
    expect(file.report.verdict).toBe('fail');
    expect(file.report.findings).toContainEqual(expect.objectContaining({ rule: 'SDC-01', verdict: 'fail', row: 1, column: 'n' }));
    expect(file.readable.length).toBeGreaterThan(0);
    expect(file.sha256).toBeUndefined();
    flow.requestId = request.id;
    flow.fileId = file.id;
    const events = await t.superuserSql(`select actor_label, details from audit_events where action = 'airlock.file.add' and target_id = '${file.id}'`);
    expect(events).toEqual([expect.objectContaining({ actor_label: people.member, details: expect.objectContaining({ source: 'query', rows: 6, verdict: 'fail', requestId: request.id }) })]);
  });

  it('EXP-08: submitting a failing file quarantines the request; the proposed suppression makes a new version that passes', async () => {
    const member = await as(people.member);
    const submitted = await member.post(out(`/${flow.requestId}/submit`), {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'quarantined', override: { requested: false } });
    expect(submitted.json<OutputRequestView>().events.map((e) => e.action)).toEqual(['create', 'file_added', 'submit', 'check_fail']);
    const fixed = await member.post(out(`/${flow.requestId}/files/${flow.fileId}/fix`), { suppress: true });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const file = fixed.json<OutputFileView>();
    expect(file.version).toBe(2);
    expect(file.report.verdict).not.toBe('fail');
    expect(file.preview.rows[1]![2]).toBe(SUPPRESSED);
    expect(file.versions.map((v) => v.version)).toEqual([1, 2]);
    // The first version stays as it was checked.
    const v1 = (await member.get(out(`/${flow.requestId}/files/${flow.fileId}/versions/1`))).json<{ preview: { rows: unknown[][] }; report: { verdict: string } }>();
    expect(v1.preview.rows[1]).toEqual(['18-39', 'M', 4]);
    expect(v1.report.verdict).toBe('fail');
    // A change moves the quarantined request back to draft.
    expect((await view(member, flow.requestId)).status).toBe('draft');
    expect((await t.superuserSql(`select count(*)::int as n from airlock_file_versions where file_id = '${flow.fileId}'`))[0]).toEqual({ n: 2 });
    await expect(t.superuserSql(`update airlock_file_versions set row_count = 0 where file_id = '${flow.fileId}'`)).rejects.toThrow(/immutable/);
  });

  it('EXP-08: the fixed request goes to review; the author and a project member holding the reviewer role cannot vote (SDC-10)', async () => {
    const member = await as(people.member);
    const res = await member.post(out(`/${flow.requestId}/submit`), {});
    expect(res.json()).toMatchObject({ status: 'under_review', canEdit: false });
    const author = await member.post(out(`/${flow.requestId}/votes`), { decision: 'approve' });
    expect(author.statusCode).toBe(403);
    const reviewerMember = await as(REVIEWER_MEMBER);
    const refused = await reviewerMember.post(out(`/${flow.requestId}/votes`), { decision: 'approve' });
    expect(refused.statusCode).toBe(403);
    expect(errorCode(refused)).toBe('airlock.reviewer_is_member');
    expect((await view(reviewerMember, flow.requestId)).canVote).toBe(false);
    const denied = await t.superuserSql(`select actor_label from audit_events where action = 'airlock.vote' and outcome = 'denied' and target_id = '${flow.requestId}'`);
    expect(denied).toHaveLength(2);
    // The queue: a reviewer sees it; the reviewer who is a member does not; a researcher may not read it.
    const queue = (await (await as(people.reviewer)).get('/api/airlock/queue')).json<{ requestId: string; priority: string; verdict: string; myVote: null; votes: number; projectTitle: string }[]>();
    expect(queue).toContainEqual(expect.objectContaining({ requestId: flow.requestId, priority: 'normal', myVote: null, votes: 0, projectTitle: expect.any(String) }));
    expect((await reviewerMember.get('/api/airlock/queue')).json<{ requestId: string }[]>().some((q) => q.requestId === flow.requestId)).toBe(false);
    expect((await member.get('/api/airlock/queue')).statusCode).toBe(403);
  });

  it('SDC-10: blind review — the first vote is hidden from the second reviewer and from the author until both voted', async () => {
    const r1 = await as(people.reviewer);
    const first = await r1.post(out(`/${flow.requestId}/votes`), { decision: 'approve', comment: 'Cellule supprimée, marges non recalculables.' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<OutputRequestView>().votes).toEqual([expect.objectContaining({ reviewer: expect.objectContaining({ name: 'Romain Relecteur' }), decision: 'approve' })]);
    expect((await r1.post(out(`/${flow.requestId}/votes`), { decision: 'approve' })).statusCode).toBe(409);
    const r2 = await as(REVIEWER2);
    const seen = await view(r2, flow.requestId);
    expect(seen).toMatchObject({ status: 'under_review', canVote: true, votes: [{ reviewer: null, decision: null, hidden: true }] });
    expect(JSON.stringify(seen)).not.toContain('marges non recalculables');
    expect((await view(await as(people.member), flow.requestId)).votes).toEqual([{ reviewer: null, decision: null, hidden: true }]);
    const queue = (await r1.get('/api/airlock/queue')).json<{ requestId: string; myVote: string | null; votes: number }[]>();
    expect(queue.find((q) => q.requestId === flow.requestId)).toMatchObject({ myVote: 'approve', votes: 1 });
  });

  it('EXP-08, SDC-10, LOG-08: two approvals release the file — written once, read-only, with its SHA-256; a large export is alerted', async () => {
    const r2 = await as(REVIEWER2);
    const res = await r2.post(out(`/${flow.requestId}/votes`), { decision: 'approve' });
    expect(res.statusCode, res.body).toBe(200);
    const released = res.json<OutputRequestView>();
    expect(released).toMatchObject({ status: 'released', releasedAt: expect.any(String) });
    expect(released.votes.map((v) => v.decision)).toEqual(['approve', 'approve']);
    expect(released.events.map((e) => e.action).slice(-4)).toEqual(['vote', 'vote', 'approve', 'release']);
    const member = await as(people.member);
    const mine = await view(member, flow.requestId);
    expect(mine).toMatchObject({ canDownload: true, canPublish: false });
    const file = mine.files[0]!;
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.releasedVersion).toBe(2);
    const [row] = (await t.superuserSql(`select released_path from airlock_files where id = '${flow.fileId}'`)) as { released_path: string }[];
    const onDisk = path.join(t.hub.config.airlock.dir, row!.released_path);
    expect(fs.statSync(onDisk).mode & 0o777).toBe(0o444);
    expect(row!.released_path).toBe(`${project.id}/${flow.requestId}/${flow.fileId}-v2.csv`);
    const large = (await alerts()).find((a) => a.rule === 'large_export' && a.details.fileId === flow.fileId);
    expect(large).toMatchObject({ severity: 'medium', projectId: project.id, details: { rows: 6, thresholds: { rows: 5 } } });
    flow.sha256 = file.sha256!;
  });

  it('EXP-08: a member downloads the released file (audited); a non-member cannot (LOG-08 alert)', async () => {
    const member = await as(people.member);
    const res = await member.get(out(`/${flow.requestId}/files/${flow.fileId}/download`));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="effectifs_age_sexe\.csv"/);
    expect(res.headers['x-content-sha256']).toBe(flow.sha256);
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = res.body.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/age_band.*sex.*n/);
    expect(lines.find((l) => l.includes('18-39') && l.includes('M'))).not.toMatch(/,4$/);
    const audited = await t.superuserSql(`select actor_label, outcome, details from audit_events where action = 'airlock.download' and target_id = '${flow.fileId}' and outcome = 'success'`);
    expect(audited).toEqual([expect.objectContaining({ actor_label: people.member, details: expect.objectContaining({ sha256: flow.sha256 }) })]);
    // A reviewer may read the request, not take its files out; someone outside the project gets nothing.
    const reviewer = await (await as(people.reviewer)).get(out(`/${flow.requestId}/files/${flow.fileId}/download`));
    expect(reviewer.statusCode).toBe(403);
    expect(errorCode(reviewer)).toBe('airlock.members_only');
    const outsider = await (await as(people.producer)).get(out(`/${flow.requestId}/files/${flow.fileId}/download`));
    expect(outsider.statusCode).toBe(404);
    expect((await (await as(people.producer)).get(out())).statusCode).toBe(404);
    const raised = (await alerts()).filter((a) => a.rule === 'unauthorised_download');
    expect(raised.map((a) => a.actor).sort()).toEqual([people.producer, people.reviewer].sort());
  });

  it('EXP-08, LOG-08: an unreleased file is refused (403) and the security officers are alerted, listed and e-mailed', async () => {
    const member = await as(people.member);
    const request = await newRequest(member, 'Brouillon non relu');
    const file = await addQuery(member, request.id, SMALL_CELL_SQL);
    const res = await member.get(out(`/${request.id}/files/${file.id}/download`), { 'accept-language': 'en' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'airlock.not_released', message: expect.stringMatching(/not released/) } });
    const fr = await member.get(out(`/${request.id}/files/${file.id}/download`));
    expect(fr.json<{ error: { message: string } }>().error.message).toMatch(/n’est pas libéré/);
    const list = await alerts();
    expect(list.filter((a) => a.rule === 'unreleased_download' && a.details.fileId === file.id)).toHaveLength(2);
    expect(list[0]).toMatchObject({ actor: people.member, projectId: project.id });
    expect((await member.get('/api/alerts')).statusCode).toBe(403);
    const alertMails = () => received.filter((m) => /Consultez la liste des alertes/.test(m.text));
    await expect.poll(() => alertMails().filter((m) => m.to.includes(people.security) && m.text.includes('non libéré')).length, { timeout: 10_000 }).toBe(2);
    // Only the security officers get them; the mail names the rule, not the data.
    expect(alertMails().every((m) => m.to.every((to) => to === people.security))).toBe(true);
    expect(alertMails().some((m) => m.text.includes('18-39'))).toBe(false);
    await expect.poll(async () => (await alerts()).find((a) => a.details.fileId === file.id)?.emailed, { timeout: 10_000 }).toBe(true);
    const denied = await t.superuserSql(`select count(*)::int as n from audit_events where action = 'airlock.download' and outcome = 'denied' and target_id = '${file.id}'`);
    expect(denied[0]).toEqual({ n: 2 });
    // The author withdraws it.
    expect((await member.post(out(`/${request.id}/withdraw`))).json()).toMatchObject({ status: 'withdrawn', canEdit: false });
  });

  it('SDC-10: an override of a failing rule needs the author’s justification and each reviewer’s', async () => {
    const member = await as(people.member);
    const request = await newRequest(member, 'Dérogation : effectifs publiés');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="4"/></svg>';
    const notPng = await member.post(out(`/${request.id}/files`), { name: 'graphique', context: CONTEXT, source: { kind: 'csv', content: 'a,n\nx,20\n' }, attachments: [{ name: 'g.png', mediaType: 'image/png', contentBase64: Buffer.from(svg).toString('base64') }] });
    expect(notPng.statusCode).toBe(400);
    expect(notPng.json<{ error: { code: string; details: { location: string }[] } }>().error).toMatchObject({ code: 'airlock.attachment_invalid', details: [{ location: 'body.attachments[0].contentBase64' }] });
    const chart = await addQuery(member, request.id, SMALL_CELL_SQL, { attachments: [{ name: 'pyramide.svg', mediaType: 'image/svg+xml', contentBase64: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` }] });
    expect(chart).toMatchObject({ kind: 'chart', attachments: [{ name: 'pyramide.svg', mediaType: 'image/svg+xml', size: svg.length }] });
    const early = await member.get(out(`/${request.id}/files/${chart.id}/attachments/${chart.attachments[0]!.id}`));
    expect(early.statusCode).toBe(403);
    expect(errorCode(early)).toBe('airlock.not_released');
    expect((await member.post(out(`/${request.id}/submit`), {})).json()).toMatchObject({ status: 'quarantined' });
    const res = await member.post(out(`/${request.id}/submit`), { overrideJustification: 'Ces effectifs sont déjà publiés par le registre national.' });
    expect(res.json()).toMatchObject({ status: 'under_review', override: { requested: true, justification: 'Ces effectifs sont déjà publiés par le registre national.' }, verdict: 'fail' });
    const queue = (await (await as(people.reviewer)).get('/api/airlock/queue')).json<{ requestId: string; priority: string; verdict: string }[]>();
    expect(queue.find((q) => q.requestId === request.id)).toMatchObject({ priority: 'high', verdict: 'fail' });
    const r1 = await as(people.reviewer);
    // Reviewers see the chart they judge, inline, as a view (audited), before any release; hub staff see no content.
    const viewUrl = out(`/${request.id}/files/${chart.id}/attachments/${chart.attachments[0]!.id}/view`);
    const viewed = await r1.get(viewUrl);
    expect(viewed.statusCode).toBe(200);
    expect(viewed.headers['content-disposition']).toMatch(/^inline;/);
    expect(viewed.headers['content-security-policy']).toContain('sandbox');
    expect(viewed.body).toBe(svg);
    expect((await (await as(people.instructor)).get(viewUrl)).statusCode).toBe(403);
    const views = await t.superuserSql(`SELECT actor_label FROM audit_events WHERE action = 'airlock.attachment_view' AND target_id = '${chart.attachments[0]!.id}'`);
    expect(views).toEqual([expect.objectContaining({ actor_label: people.reviewer })]);
    const bare = await r1.post(out(`/${request.id}/votes`), { decision: 'approve' });
    expect(bare.statusCode).toBe(400);
    expect(errorCode(bare)).toBe('airlock.vote_invalid');
    expect(bare.json<{ error: { details: { location: string }[] } }>().error.details[0]!.location).toBe('body.overrideJustification');
    expect((await r1.post(out(`/${request.id}/votes`), { decision: 'approve', overrideJustification: 'Source publique vérifiée.' })).statusCode).toBe(200);
    const r2 = await as(REVIEWER2);
    expect((await r2.post(out(`/${request.id}/votes`), { decision: 'approve' })).statusCode).toBe(400);
    const done = await r2.post(out(`/${request.id}/votes`), { decision: 'approve', overrideJustification: 'Vérifié sur le site du registre.' });
    expect(done.json()).toMatchObject({ status: 'released' });
    expect(done.json<OutputRequestView>().votes.map((v) => v.overrideJustification)).toEqual(['Source publique vérifiée.', 'Vérifié sur le site du registre.']);
    // The chart leaves with its table, checked like it.
    const image = await member.get(out(`/${request.id}/files/${chart.id}/attachments/${chart.attachments[0]!.id}`));
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/svg+xml');
    expect(image.headers['content-security-policy']).toContain('sandbox');
    expect(image.body).toBe(svg);
  });

  it('EXP-08: changes requested need a comment and open a new round after the author’s edit', async () => {
    const member = await as(people.member);
    const request = await newRequest(member, 'Effectifs à reprendre');
    const file = await addQuery(member, request.id, "SELECT * FROM (VALUES ('Nord', 150), ('Sud', 240)) AS t(region, n)", { columns: [{ name: 'region', role: 'dimension' }, { name: 'n', role: 'count' }] });
    expect((await member.post(out(`/${request.id}/submit`), {})).json()).toMatchObject({ status: 'under_review', round: 1 });
    const r1 = await as(people.reviewer);
    const noComment = await r1.post(out(`/${request.id}/votes`), { decision: 'changes_requested' });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json<{ error: { details: { location: string }[] } }>().error.details[0]!.location).toBe('body.comment');
    expect((await r1.post(out(`/${request.id}/votes`), { decision: 'changes_requested', comment: 'Précisez la période dans le contexte.' })).statusCode).toBe(200);
    const decided = (await (await as(REVIEWER2)).post(out(`/${request.id}/votes`), { decision: 'approve' })).json<OutputRequestView>();
    expect(decided).toMatchObject({ status: 'changes_requested', round: 1 });
    expect(decided.votes.find((v) => v.decision === 'changes_requested')).toMatchObject({ comment: 'Précisez la période dans le contexte.' });
    expect(decided.events.at(-1)).toMatchObject({ action: 'request_changes', comment: expect.stringContaining('Précisez la période') });
    const edited = await member.patch(out(`/${request.id}/files/${file.id}`), { context: `${CONTEXT} Période : 2019.` });
    expect(edited.json()).toMatchObject({ version: 2, context: expect.stringContaining('Période : 2019') });
    expect((await view(member, request.id)).status).toBe('changes_requested');
    // The body of a submission is optional.
    const again = (await member.post(out(`/${request.id}/submit`))).json<OutputRequestView>();
    expect(again).toMatchObject({ status: 'under_review', round: 2, votes: [] });
    expect((await view(r1, request.id)).canVote).toBe(true);
  });

  it('SDC-09: a table that differs from an earlier release of the project by a small group is flagged', async () => {
    const member = await as(people.member);
    const request = await newRequest(member, 'Mise à jour des effectifs');
    // The first release had 40-64 / F = 230; three more people isolate a group of 3.
    const file = await addQuery(member, request.id, SMALL_CELL_SQL.replace("('18-39', 'M', 4)", "('18-39', 'M', 14)").replace("('40-64', 'F', 230)", "('40-64', 'F', 233)"));
    expect(file.report.findings.filter((f) => f.rule === 'SDC-09').length).toBeGreaterThan(0);
    expect(file.report.rules.find((r) => r.rule === 'SDC-09')!.verdict).not.toBe('pass');
  });

  it('SDC-07: a table of the extract (row-level) read through the workspace fails; a member’s own aggregate table and a CSV are captured too', async () => {
    const member = await as(people.member);
    const request = await newRequest(member, 'Sources diverses');
    const rowLevel = await member.post(out(`/${request.id}/files`), { name: 'beneficiaires', context: CONTEXT, source: { kind: 'table', table: 'IR_BEN_R' } });
    expect(rowLevel.statusCode, rowLevel.body).toBe(201);
    expect(rowLevel.json<OutputFileView>()).toMatchObject({ source: { kind: 'table', table: 'IR_BEN_R' }, report: { verdict: 'fail' } });
    expect(rowLevel.json<OutputFileView>().report.findings.some((f) => f.rule === 'SDC-07')).toBe(true);
    expect((await runSql(member, project.id, 'CREATE OR REPLACE TABLE agg_sexe AS SELECT BEN_SEX_COD AS sexe, count(*) AS n FROM IR_BEN_R GROUP BY 1')).body.status).toBe('done');
    const scratch = await member.post(out(`/${request.id}/files`), { name: 'agg_sexe', context: CONTEXT, source: { kind: 'table', table: 'agg_sexe' } });
    expect(scratch.statusCode, scratch.body).toBe(201);
    expect(scratch.json<OutputFileView>().preview.rowCount).toBe(2);
    const csv = await member.post(out(`/${request.id}/files`), { name: 'programme', context: CONTEXT, source: { kind: 'csv', content: 'region,n\nNord,120\nSud,3\n' }, columns: [{ name: 'region', role: 'dimension' }, { name: 'n', role: 'count' }] });
    expect(csv.statusCode, csv.body).toBe(201);
    expect(csv.json<OutputFileView>().report.findings).toContainEqual(expect.objectContaining({ rule: 'SDC-01', row: 1, column: 'n' }));
    // Bad input is located.
    const badRoles = await member.post(out(`/${request.id}/files`), { name: 'x', context: CONTEXT, source: { kind: 'csv', content: 'a,b\n1,2\n' }, columns: [{ name: 'a', role: 'count' }, { name: 'zz', role: 'count' }] });
    expect(badRoles.statusCode).toBe(400);
    expect(badRoles.json<{ error: { details: { location: string }[] } }>().error.details.map((d) => d.location)).toEqual(['body.columns[1].name', 'body.columns']);
    expect((await member.post(out(`/${request.id}/files`), { name: 'x', context: 'trop court', source: { kind: 'csv', content: 'a\n1\n' } })).statusCode).toBe(400);
    const missing = await member.post(out(`/${request.id}/files`), { name: 'x', context: CONTEXT, source: { kind: 'table', table: 'no_such_table' } });
    expect(errorCode(missing)).toBe('workspace.table_not_found');
    // Reviewers see no draft.
    expect((await (await as(people.reviewer)).get(out(`/${request.id}`))).statusCode).toBe(404);
    const removed = await member.delete(out(`/${request.id}/files/${rowLevel.json<OutputFileView>().id}`));
    expect(removed.statusCode).toBe(204);
    expect((await view(member, request.id)).files.map((f) => f.name)).toEqual(['agg_sexe', 'programme']);
  });

  it('EXP-08, LOG-08: a released file altered on disk is refused at download and alerted', async () => {
    const [row] = (await t.superuserSql(`select released_path from airlock_files where id = '${flow.fileId}'`)) as { released_path: string }[];
    const onDisk = path.join(t.hub.config.airlock.dir, row!.released_path);
    const original = fs.readFileSync(onDisk);
    fs.chmodSync(onDisk, 0o644);
    fs.writeFileSync(onDisk, original.toString('utf8').replace('120', '121'));
    try {
      const res = await (await as(people.member)).get(out(`/${flow.requestId}/files/${flow.fileId}/download`));
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('airlock.file_altered');
      expect((await alerts()).find((a) => a.rule === 'altered_file')).toMatchObject({ severity: 'high', details: { fileId: flow.fileId, expected: flow.sha256 } });
    } finally {
      fs.writeFileSync(onDisk, original);
      fs.chmodSync(onDisk, 0o444);
    }
  });

  it('PR-06: the lead publishes a released file to the public registry entry; anyone downloads it there (audited)', async () => {
    const member = await as(people.member);
    expect((await member.post(out(`/${flow.requestId}/publish`), { fileIds: [flow.fileId] })).statusCode).toBe(403);
    const lead = await as(people.lead);
    expect((await view(lead, flow.requestId)).canPublish).toBe(true);
    const published = await lead.post(out(`/${flow.requestId}/publish`), { fileIds: [flow.fileId] });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json<OutputRequestView>().files[0]).toMatchObject({ published: true });
    const anonymous = t.client();
    const entry = (await anonymous.get(`/api/registry/projects/${project.reference}`)).json<{ outputs: { fileId: string; sha256: string; url: string; context: string }[] }>();
    expect(entry.outputs).toEqual([expect.objectContaining({ fileId: flow.fileId, requestId: flow.requestId, sha256: flow.sha256, context: CONTEXT, url: `/api/registry/results/${flow.fileId}` })]);
    const res = await anonymous.get(entry.outputs[0]!.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-sha256']).toBe(flow.sha256);
    expect(await t.superuserSql(`select actor_label from audit_events where action = 'airlock.registry_download' and target_id = '${flow.fileId}'`)).toEqual([{ actor_label: 'anonymous' }]);
    // An unpublished file is not public.
    const [other] = (await t.superuserSql(`select id from airlock_files where released_at is not null and published_at is null limit 1`)) as { id: string }[];
    expect((await anonymous.get(`/api/registry/results/${other!.id}`)).statusCode).toBe(404);
  });

  it('SDC-01, SDC-08: settings per hub and per dataset; a project is checked with the strictest over its perimeter’s datasets', async () => {
    const reviewer = await as(people.reviewer);
    const current = (await reviewer.get('/api/airlock/settings')).json<{ hub: { threshold: number }; datasets: unknown[] }>();
    expect(current).toMatchObject({ hub: { threshold: 10 }, datasets: [] });
    expect((await reviewer.request('PUT', '/api/airlock/settings/hub', { ...current.hub, threshold: 11 })).statusCode).toBe(403);
    const admin = await as(people.admin);
    expect((await admin.request('PUT', '/api/airlock/settings/hub', { ...current.hub, threshold: 11 })).json()).toMatchObject({ hub: { threshold: 11 } });
    expect((await admin.request('PUT', '/api/airlock/settings/datasets/snds-dcir', { roundingBase: 5 })).json()).toMatchObject({ datasets: [{ dataset: 'snds-dcir', overrides: { roundingBase: 5 } }] });
    expect((await admin.request('PUT', '/api/airlock/settings/datasets/no-such-dataset', { roundingBase: 5 })).statusCode).toBe(404);
    const member = await as(people.member);
    const request = await newRequest(member, 'Avec arrondi');
    const file = await addQuery(member, request.id, "SELECT * FROM (VALUES ('Nord', 150), ('Sud', 242)) AS t(region, n)", { columns: [{ name: 'region', role: 'dimension' }, { name: 'n', role: 'count' }] });
    expect(file.report.settings).toMatchObject({ threshold: 11, roundingBase: 5 });
    expect(file.report.findings.some((f) => f.rule === 'SDC-08')).toBe(true);
    expect((await admin.delete('/api/airlock/settings/datasets/snds-dcir')).statusCode).toBe(204);
    expect((await admin.delete('/api/airlock/settings/datasets/snds-dcir')).statusCode).toBe(404);
    const events = await t.superuserSql(`select action from audit_events where action like 'airlock.settings.%' order by seq`);
    expect(events).toEqual([{ action: 'airlock.settings.hub' }, { action: 'airlock.settings.dataset' }, { action: 'airlock.settings.dataset_remove' }]);
  });

  it('the airlock’s routes are in the OpenAPI document', async () => {
    const doc = (await t.client().get('/api/docs/json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/projects/{id}/outputs', '/api/projects/{id}/outputs/{rid}/submit', '/api/projects/{id}/outputs/{rid}/votes', '/api/airlock/queue', '/api/airlock/settings/hub', '/api/alerts', '/api/registry/results/{fileId}']));
  });

  it('SDC-10: someone who wrote a request cannot review it, even after leaving the project', async () => {
    const author = await as(REVIEWER_MEMBER);
    const request = await newRequest(author, 'Écrite par un relecteur');
    const file = await addQuery(author, request.id, "SELECT * FROM (VALUES ('Nord', 150), ('Sud', 240)) AS t(region, n)", { columns: [{ name: 'region', role: 'dimension' }, { name: 'n', role: 'count' }] });
    expect(file.report.verdict).not.toBe('fail');
    expect((await author.post(out(`/${request.id}/submit`), {})).json()).toMatchObject({ status: 'under_review' });
    const id = (await author.get('/api/session')).json<{ user: { id: string } }>().user.id;
    expect((await (await as(people.lead)).delete(`/api/projects/${project.id}/members/${id}`)).statusCode).toBe(204);
    const res = await author.post(out(`/${request.id}/votes`), { decision: 'approve' });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('airlock.own_request');
    expect((await author.get('/api/airlock/queue')).json<{ requestId: string }[]>().some((q) => q.requestId === request.id)).toBe(false);
  });
});
