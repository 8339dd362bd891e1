/**
 * The output airlock — sas de sortie (EXP-01..EXP-08, SDC-01..SDC-10, LOG-08): members of a
 * project ask for the release of result files taken from their workspace; each file is checked
 * for statistical disclosure at once (./sdc), can be fixed by a proposed suppression or rounding,
 * and a request that fails a rule is quarantined; two independent reviewers, blind to each other's
 * vote, approve, ask for changes or reject; approved files are written once, hashed and served to
 * the project's members only. Every step is audited in its transaction; the request row is locked
 * for each change of state.
 */
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { AnyActor } from '../platform/actor.js';
import { HdhError, registerMessages, type Locale } from '../platform/errors.js';
import { AirlockCore, type AirlockDeps, type Caller } from './core.js';
import { AirlockFiles } from './files.js';
import { assertCanVote, assertReviewer, isLead, isMember } from './policy.js';
import { tableOf } from './presenters.js';
import { AirlockReleases } from './releases.js';
import * as repo from './repo.js';
import type { OutputRequestView } from './schema.js';
import type { ProjectAccess } from '../projects/service.js';
import { checkOutcome, decide, transition, voteProblems, worstVerdict, type VoteInput } from './workflow.js';

export type { AirlockDeps } from './core.js';
export type { RegistryOutput } from './schema.js';

registerMessages({
  'airlock.no_files': { fr: 'Ajoutez au moins un fichier avant de soumettre la demande.', en: 'Add at least one file before submitting the request.' },
  'airlock.author_only': { fr: 'Seul l’auteur de la demande ou le porteur du projet peut la retirer.', en: 'Only the request’s author or the project lead can withdraw it.' },
  'airlock.already_voted': { fr: 'Vous avez déjà voté pour ce tour de relecture.', en: 'You have already voted in this review round.' },
  'airlock.vote_invalid': { fr: 'Vote incomplet : {summary}', en: 'Incomplete vote: {summary}' },
});

const DAY_MS = 86_400_000;

export class AirlockService {
  readonly core: AirlockCore;
  readonly files: AirlockFiles;
  readonly releases: AirlockReleases;

  constructor(deps: AirlockDeps) {
    this.core = new AirlockCore(deps);
    this.files = new AirlockFiles(this.core);
    this.releases = new AirlockReleases(this.core);
  }

  get settings() {
    return this.core.settings;
  }

  private get db() {
    return this.core.deps.db;
  }

  private get audit() {
    return this.core.deps.audit;
  }

  /** The project's requests, newest first, without cells (members: all; reviewers and staff: those submitted). */
  async list(actor: AnyActor, projectId: string, locale: Locale): Promise<OutputRequestView[]> {
    const caller = await this.core.caller(actor, projectId, 'read');
    return this.db.transaction().execute(async (tx) => {
      const rows = caller.standing === 'member' ? await repo.projectRequests(tx, projectId) : await repo.submittedRequestsOfProject(tx, projectId);
      const views: OutputRequestView[] = [];
      for (const r of rows) views.push(await this.core.view(tx, caller, r, locale, { cells: false }));
      await this.audit.record(tx, { actor, action: 'airlock.request.list', target: { type: 'project', id: projectId }, projectId, details: { count: rows.length } });
      return views;
    });
  }

  /** A new request (draft), by a member of an active project. */
  async create(actor: AnyActor, projectId: string, input: { title: string }, locale: Locale): Promise<OutputRequestView> {
    const caller = await this.core.caller(actor, projectId, 'member');
    // Read outside the transaction (its own audited read): the queue shows the project's title to reviewers.
    const project = await this.core.deps.projects.get(actor, projectId);
    const id = crypto.randomUUID();
    await this.db.transaction().execute(async (tx) => {
      const now = this.core.now();
      const a = caller.actor;
      await repo.insertRequest(tx, { id, project_id: projectId, project_reference: project.reference, project_title: project.title, title: input.title, status: 'draft', created_at: now, created_by: a.userId, created_by_name: a.displayName, submitted_at: null, released_at: null, override_justification: null, updated_at: now });
      const request = (await repo.findRequest(tx, projectId, id))!;
      await this.core.event(tx, request, a, 'create', 'draft', { from: undefined });
      await this.audit.record(tx, { actor, action: 'airlock.request.create', target: { type: 'airlock_request', id }, projectId, details: { title: input.title } });
    });
    return this.current(caller, id, locale);
  }

  /** One request with its files' cells (members, reviewers) and history; the read is audited. */
  async get(actor: AnyActor, projectId: string, requestId: string, locale: Locale): Promise<OutputRequestView> {
    const caller = await this.core.caller(actor, projectId, 'read');
    return this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, requestId);
      await this.audit.record(tx, { actor, action: 'airlock.request.read', target: { type: 'airlock_request', id: requestId }, projectId, details: { status: request.status, standing: caller.standing } });
      return this.core.view(tx, caller, request, locale);
    });
  }

  private async current(caller: Caller, requestId: string, locale: Locale): Promise<OutputRequestView> {
    return this.core.view(this.db, caller, await this.core.request(this.db, caller, requestId), locale);
  }

  /**
   * Submission (EXP-08): every file is checked again (an earlier release may have come meanwhile,
   * SDC-09); a failing rule quarantines the request unless the author asks for an override with a
   * written justification; otherwise it goes to the reviewers. Resubmitting after changes were
   * requested opens a new review round.
   */
  async submit(actor: AnyActor, projectId: string, requestId: string, overrideJustification: string | undefined, locale: Locale): Promise<OutputRequestView> {
    const caller = await this.core.caller(actor, projectId, 'member');
    const before = await this.core.request(this.db, caller, requestId);
    transition(before.status, 'submit');
    const files = await repo.filesOf(this.db, [requestId]);
    if (files.length === 0) throw new HdhError('airlock.no_files', 409);
    const versions = await repo.currentVersions(this.db, files);
    const { check } = await this.core.checker(projectId, requestId);
    const rechecked = files.map((f) => {
      const version = versions.get(f.id)!;
      const report = check(tableOf(version));
      // jsonb does not keep key order: compare values, not texts.
      return { file: f, version, report, changed: !isDeepStrictEqual(report, version.report) };
    });
    await this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, requestId, true);
      const submitted = transition(request.status, 'submit');
      const now = await repo.filesOf(tx, [requestId]);
      if (now.length !== files.length || now.some((f) => f.current_version !== versions.get(f.id)?.version)) throw new HdhError('airlock.changed_meanwhile', 409);
      for (const r of rechecked.filter((x) => x.changed)) {
        await this.core.insertVersion(tx, caller.actor, r.file.id, r.version.version + 1, 're-checked at submission', r.version.header, tableOf(r.version), r.report);
        await repo.updateFile(tx, r.file.id, { current_version: r.version.version + 1 });
      }
      const round = request.status === 'changes_requested' ? request.round + 1 : request.round;
      await this.core.event(tx, request, caller.actor, 'submit', submitted, { round });
      const verdicts = rechecked.map((r) => r.report.verdict);
      const outcome = checkOutcome(verdicts, overrideJustification);
      const to = transition(submitted, outcome);
      const failing = [...new Set(rechecked.flatMap((r) => r.report.rules.filter((x) => x.verdict === 'fail').map((x) => x.rule)))];
      await repo.updateRequest(tx, requestId, { status: to, round, submitted_at: this.core.now(), override_justification: outcome === 'check_override' ? overrideJustification!.trim() : null, updated_at: this.core.now() });
      await this.core.event(tx, request, caller.actor, outcome, to, { from: submitted, round, comment: outcome === 'check_override' ? overrideJustification!.trim() : failing.length ? failing.join(', ') : null });
      await this.audit.record(tx, { actor, action: 'airlock.submit', target: { type: 'airlock_request', id: requestId }, projectId, details: { round, files: files.length, verdict: worstVerdict(verdicts), outcome, status: to, failingRules: failing, override: outcome === 'check_override', rechecked: rechecked.filter((r) => r.changed).length } });
    });
    return this.current(caller, requestId, locale);
  }

  /** The author (or the project lead) withdraws a request not under review. */
  async withdraw(actor: AnyActor, projectId: string, requestId: string, locale: Locale): Promise<OutputRequestView> {
    const caller = await this.core.caller(actor, projectId, 'member');
    await this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, requestId, true);
      if (request.created_by !== caller.actor.userId && !isLead(actor, caller.project)) throw new HdhError('airlock.author_only', 403);
      const to = transition(request.status, 'withdraw');
      await repo.updateRequest(tx, requestId, { status: to, updated_at: this.core.now() });
      await this.core.event(tx, request, caller.actor, 'withdraw', to);
      await this.audit.record(tx, { actor, action: 'airlock.withdraw', target: { type: 'airlock_request', id: requestId }, projectId, details: { from: request.status } });
    });
    return this.current(caller, requestId, locale);
  }

  /**
   * A reviewer's vote (SDC-10): never an author, never a member; one per reviewer and round; a
   * comment to ask for changes; a justification to approve a file that fails a rule. The second
   * vote decides; two approvals release the files at once (./releases.ts).
   */
  async vote(actor: AnyActor, projectId: string, requestId: string, input: VoteInput, locale: Locale): Promise<OutputRequestView> {
    const caller = await this.core.caller(actor, projectId, 'read');
    const before = await this.core.request(this.db, caller, requestId);
    try {
      assertCanVote(actor, caller.project, await this.core.authors(this.db, before));
    } catch (err) {
      if (err instanceof HdhError) await this.audit.recordStandalone({ actor, action: 'airlock.vote', target: { type: 'airlock_request', id: requestId }, projectId, outcome: 'denied', details: { code: err.code } });
      throw err;
    }
    let alerts = 0;
    await this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, requestId, true);
      if (request.status !== 'under_review') throw new HdhError('airlock.transition_refused', 409, { action: 'vote', status: request.status });
      const votes = await repo.votesOf(tx, requestId, request.round);
      if (votes.some((v) => v.reviewer_id === caller.actor.userId)) throw new HdhError('airlock.already_voted', 409);
      const files = await repo.filesOf(tx, [requestId]);
      const failing = [...(await repo.currentReports(tx, files)).values()].some((v) => v.verdict === 'fail');
      const problems = voteProblems(input, failing);
      if (problems.length) throw new HdhError('airlock.vote_invalid', 400, { summary: problems.map((p) => `${p.location}: ${p.message}`).join('; ') }, problems);
      const now = this.core.now();
      const mine = { request_id: requestId, round: request.round, reviewer_id: caller.actor.userId, reviewer_name: caller.actor.displayName, decision: input.decision, comment: input.comment?.trim() || null, override_justification: input.overrideJustification?.trim() || null, at: now };
      await repo.insertVote(tx, mine);
      // Blind review: the history says a vote came in, not which.
      await this.core.event(tx, request, caller.actor, 'vote', request.status);
      await this.audit.record(tx, { actor, action: 'airlock.vote', target: { type: 'airlock_request', id: requestId }, projectId, details: { round: request.round, decision: input.decision, override: mine.override_justification !== null, failingRules: failing } });
      const all = [...votes, mine];
      const outcome = decide(all.map((v) => v.decision));
      if (!outcome) return;
      const decided = transition(request.status, outcome);
      const comments = all.filter((v) => v.comment).map((v) => `${v.reviewer_name}: ${v.comment}`).join('\n');
      await repo.updateRequest(tx, requestId, { status: decided, updated_at: now });
      await this.core.event(tx, request, caller.actor, outcome, decided, { comment: comments || null });
      await this.audit.record(tx, { actor, action: 'airlock.decide', target: { type: 'airlock_request', id: requestId }, projectId, details: { round: request.round, outcome, status: decided, votes: all.map((v) => v.decision), override: failing } });
      if (decided !== 'approved') return;
      alerts = await this.releases.release(tx, caller.actor, request);
      const released = transition(decided, 'release');
      await repo.updateRequest(tx, requestId, { status: released, released_at: now, updated_at: now });
      await this.core.event(tx, request, caller.actor, 'release', released, { from: decided, comment: `${files.length} file(s)` });
    });
    if (alerts > 0) this.core.deps.alerts.notifySoon();
    return this.current(caller, requestId, locale);
  }

  async publish(actor: AnyActor, projectId: string, requestId: string, fileIds: string[], locale: Locale): Promise<OutputRequestView> {
    const caller = await this.releases.publish(actor, projectId, requestId, fileIds);
    return this.current(caller, requestId, locale);
  }

  /**
   * The reviewer's queue (EXP-08): requests under review that the caller may vote on, oldest
   * first; an override (a failing rule the author asks to release anyway) is high priority.
   */
  async queue(actor: AnyActor) {
    assertReviewer(actor);
    const rows = await repo.requestsUnderReview(this.db);
    const facts = new Map<string, ProjectAccess | null>();
    for (const id of new Set(rows.map((r) => r.project_id))) facts.set(id, await this.core.deps.projects.accessFacts(id));
    const open: typeof rows = [];
    for (const r of rows) {
      const project = facts.get(r.project_id);
      if (!project || (actor.kind === 'user' && isMember(actor, project))) continue;
      if (actor.kind === 'user' && (await this.core.authors(this.db, r)).has(actor.userId)) continue;
      open.push(r);
    }
    const votes = await repo.currentRoundVotes(this.db, open);
    const files = await repo.filesOf(this.db, open.map((r) => r.id));
    const reports = await repo.currentReports(this.db, files);
    const now = this.core.now().getTime();
    const me = actor.kind === 'user' ? actor.userId : null;
    const items = open.map((r) => {
      const mine = votes.find((v) => v.request_id === r.id && v.reviewer_id === me);
      const submitted = r.submitted_at ?? r.created_at;
      return {
        projectId: r.project_id, projectReference: r.project_reference, projectTitle: r.project_title, requestId: r.id, title: r.title, status: r.status,
        submittedAt: submitted.toISOString(), ageDays: Math.floor((now - submitted.getTime()) / DAY_MS),
        priority: r.override_justification !== null ? ('high' as const) : ('normal' as const),
        verdict: worstVerdict(files.filter((f) => f.request_id === r.id).map((f) => reports.get(f.id)?.verdict ?? 'pass')),
        myVote: mine?.decision ?? null, votes: votes.filter((v) => v.request_id === r.id).length,
      };
    });
    await this.audit.recordStandalone({ actor, action: 'airlock.queue.read', details: { count: items.length } });
    return items;
  }
}
