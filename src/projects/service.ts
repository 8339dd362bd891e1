/**
 * Projects — projets: the project file (fiche projet), its versioned perimeter, team,
 * declarations of interest and documents, and the access procedure with its legal deadlines.
 * Every change and every read of a file is audited in the transaction that makes it; state
 * changes hold a row lock on the project.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { assertDataAccess, type AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Executor, Tx } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import type { CharterService } from '../charters/service.js';
import type { IdentityService } from '../identity/service.js';
import type { Mailer } from '../platform/mail/mailer.js';
import { parisDay } from './calendar.js';
import { DocumentStore } from './documents.js';
import { ruleFor } from './deadlines.js';
import { checkPerimeter, type PerimeterCatalogue } from './perimeter.js';
import { assertCanCreate, assertCanEdit, assertCanSee, assertHubStaff, isHubStaff, sidesOf, type ProjectAccessFacts } from './policy.js';
import { availableActions, editableStatuses, type Status } from './procedure.js';
import { presentDocument, presentMember, presentProject, presentSummary, presentTransition, projectEnd, terminalStatuses } from './presenters.js';
import * as repo from './repo.js';
import type { DocumentKind, ProjectRow } from './repo.js';
import type { MemberInput, Perimeter, ProjectFileInput, TransitionInput } from './schema.js';
import { applyTacitOutcome, runTransition, type TacitOutcome } from './workflow.js';
import { buildDashboard } from './dashboard.js';
import { fileColumns } from './file-columns.js';
import { Exchanges } from './exchanges.js';
import { Registry, type PublishedOutputs } from './registry.js';

import './messages.js';

export type { PerimeterCatalogue } from './perimeter.js';
export type { TacitOutcome } from './workflow.js';
export { FrictionlessFolderCatalogue, defaultCatalogueDir } from './perimeter.js';
/** The calendar day in Paris: the day legal dates and end dates are counted in. */
export { parisDay } from './calendar.js';

export interface ProjectServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  charters: CharterService;
  identity: IdentityService;
  catalogue: PerimeterCatalogue;
  /** Where uploaded documents live: `<dir>/<project id>/documents/`. */
  projectsDir: string;
  /** AUTH-08: how often the lead confirms the team (HDH_ACCESS_REVIEW_MONTHS, 12 by default). */
  reviewMonths?: number;
  /** Set when SMTP is configured: notifications are e-mailed as well. */
  mailer?: Mailer | undefined;
  /** Told after each committed change of status (extraction at provisioning, workspace closure at the end). */
  onStatusChanged?: ((change: ProjectStatusChange) => void) | undefined;
  /** Results published from the output airlock, shown on the registry entries. */
  publishedOutputs?: PublishedOutputs | undefined;
}

export interface ProjectStatusChange {
  projectId: string;
  from: Status;
  to: Status;
  action: string;
  automatic: boolean;
}

/** Who may reach a project's data, and until when (for the extraction and workspace checks). */
export interface ProjectAccess {
  id: string;
  reference: string;
  status: Status;
  leadId: string;
  startDate: string | null;
  endDate: string | null;
  publicServiceMission: boolean;
  members: { userId: string; endDate: string }[];
}

registerMessages({
  'project.not_found': { fr: 'Projet introuvable.', en: 'Project not found.' },
});

export class ProjectService {
  readonly registry: Registry;
  readonly exchanges: Exchanges;
  private readonly documentStore: DocumentStore;

  constructor(private readonly deps: ProjectServiceDeps) {
    this.registry = new Registry({ db: deps.db, clock: deps.clock, publishedOutputs: deps.publishedOutputs });
    this.exchanges = new Exchanges({
      db: deps.db, clock: deps.clock, audit: deps.audit, mailer: deps.mailer,
      load: (tx, actor, id) => this.loadVisible(tx, actor, id),
      recipient: async (userId) => {
        const user = await deps.identity.getUser(userId).catch(() => null);
        return user && user.status === 'active' ? { email: user.email, locale: user.locale } : null;
      },
    });
    this.documentStore = new DocumentStore(deps.projectsDir);
  }

  private get now(): Date {
    return this.deps.clock.now();
  }

  /** The project and what the caller may see of it; 404 when it does not exist or is hidden. */
  private async loadVisible(db: Executor, actor: AnyActor, id: string, lock = false): Promise<{ project: ProjectRow; facts: ProjectAccessFacts }> {
    const project = lock ? await repo.lockProject(db, id) : await repo.findProject(db, id);
    if (!project) {
      assertDataAccess(actor);
      throw new HdhError('project.not_found', 404);
    }
    const facts = { leadId: project.lead_id, isMember: actor.kind === 'user' && !!(await repo.isMember(db, id, actor.userId, parisDay(this.now))) };
    assertCanSee(actor, facts);
    return { project, facts };
  }

  private async view(db: Executor, actor: AnyActor, project: ProjectRow, facts: ProjectAccessFacts) {
    const [members, documents, interests, acceptances, perimeter] = await Promise.all([
      repo.members(db, project.id), repo.documents(db, project.id), repo.interests(db, project.id), repo.conventionAcceptances(db, project.id), repo.latestPerimeter(db, project.id),
    ]);
    const charterAccepted = await this.charterAccepted(db, members);
    return presentProject(project, { members, charterAccepted, documents, interests, acceptances, perimeterVersion: perimeter?.version ?? null, availableActions: availableActions(project.status, project.legal_route, sidesOf(actor, facts)) }, this.now);
  }

  /** Which of these members accepted the current user charter (AUTH-05). */
  private async charterAccepted(db: Executor, members: { user_id: string }[]): Promise<Set<string>> {
    const accepted = new Set<string>();
    for (const m of members) if (await this.deps.charters.hasAcceptedCurrent(db, m.user_id)) accepted.add(m.user_id);
    return accepted;
  }

  /** `anyStatus`: any status but the terminal ones; `ownCheck`: the run checks the status itself (results after closing). */
  private async edit<T>(actor: AnyActor, id: string, action: string, run: (tx: Tx, project: ProjectRow, facts: ProjectAccessFacts) => Promise<{ result: T; details: Record<string, unknown> }>, options: { anyStatus?: boolean; ownCheck?: boolean } = {}): Promise<T> {
    return this.deps.db.transaction().execute(async (tx) => {
      const { project, facts } = await this.loadVisible(tx, actor, id, true);
      assertCanEdit(actor, facts);
      if (!options.ownCheck && !options.anyStatus && !editableStatuses.includes(project.status)) throw new HdhError('project.not_editable', 409, { status: project.status });
      if (!options.ownCheck && options.anyStatus && terminalStatuses.includes(project.status)) throw new HdhError('project.not_editable', 409, { status: project.status });
      const { result, details } = await run(tx, project, facts);
      await repo.updateProject(tx, id, { updated_at: this.now });
      await this.deps.audit.record(tx, { actor, action, target: { type: 'project', id }, projectId: id, details: { reference: project.reference, ...details } });
      return result;
    });
  }

  async create(actor: AnyActor, input: ProjectFileInput & { title: string; legalRoute: ProjectRow['legal_route'] }) {
    assertCanCreate(actor);
    if (actor.kind !== 'user') throw new HdhError('auth.forbidden', 403);
    return this.deps.db.transaction().execute(async (tx) => {
      const now = this.now;
      const id = crypto.randomUUID();
      const reference = `HDH-${parisDay(now).slice(0, 4)}-${String(await repo.nextReferenceNumber(tx)).padStart(4, '0')}`;
      await repo.insertProject(tx, {
        id, reference, title: input.title, legal_route: input.legalRoute, lead_id: actor.userId, status: 'draft',
        ...fileColumns(input), created_at: now, updated_at: now,
      });
      await repo.insertTransition(tx, { id: crypto.randomUUID(), project_id: id, from_status: null, to_status: 'draft', action: 'create', at: now, actor_id: actor.userId, actor_label: actor.email, automatic: false, reference: null, note: null, due_date: null, details: repo.json({}) });
      await this.deps.audit.record(tx, { actor, action: 'project.create', target: { type: 'project', id }, projectId: id, details: { reference, legalRoute: input.legalRoute } });
      const project = (await repo.findProject(tx, id))!;
      return this.view(tx, actor, project, { leadId: actor.userId, isMember: false });
    });
  }

  async list(actor: AnyActor) {
    assertDataAccess(actor);
    const rows = await repo.listProjects(this.deps.db, isHubStaff(actor) || actor.kind !== 'user' ? {} : { visibleTo: actor.userId, today: parisDay(this.now) });
    await this.deps.audit.recordStandalone({ actor, action: 'project.list', details: { count: rows.length } });
    return rows.map((p) => presentSummary(p, this.now));
  }

  async get(actor: AnyActor, id: string) {
    return this.deps.db.transaction().execute(async (tx) => {
      const { project, facts } = await this.loadVisible(tx, actor, id);
      await this.deps.audit.record(tx, { actor, action: 'project.read', target: { type: 'project', id }, projectId: id });
      return this.view(tx, actor, project, facts);
    });
  }

  async update(actor: AnyActor, id: string, input: ProjectFileInput) {
    await this.edit(actor, id, 'project.update', async (tx, project) => {
      // The route decides the procedure: it can change only before the file is examined.
      if (input.legalRoute && input.legalRoute !== project.legal_route && project.status !== 'draft' && project.status !== 'returned') {
        throw new HdhError('project.route_locked', 409, {}, [{ location: 'body.legalRoute', message: 'the legal route is fixed once the file is examined' }]);
      }
      await repo.updateProject(tx, id, { ...fileColumns(input), ...(input.title ? { title: input.title } : {}), ...(input.legalRoute ? { legal_route: input.legalRoute } : {}) });
      return { result: undefined, details: { fields: Object.keys(input) } };
    });
    return this.get(actor, id);
  }

  /** A new version of the requested perimeter, validated against the catalogue; old versions stay. */
  async setPerimeter(actor: AnyActor, id: string, perimeter: Perimeter) {
    const problems = await checkPerimeter(perimeter, this.deps.catalogue);
    if (problems.length) throw new HdhError('project.perimeter_invalid', 400, { summary: problems.map((p) => `${p.location}: ${p.message}`).join('; ') }, problems);
    return this.edit(actor, id, 'project.perimeter.set', async (tx) => {
      const version = ((await repo.latestPerimeter(tx, id))?.version ?? 0) + 1;
      const createdBy = actor.kind === 'user' ? actor.email : `system:${actor.label}`;
      await repo.insertPerimeter(tx, { project_id: id, version, permit: repo.json(perimeter), created_at: this.now, created_by: createdBy });
      return { result: { version, perimeter, createdAt: this.now.toISOString(), createdBy }, details: { version, tables: perimeter.tables.length } };
    });
  }

  async perimeter(actor: AnyActor, id: string, version?: number) {
    return this.deps.db.transaction().execute(async (tx) => {
      await this.loadVisible(tx, actor, id);
      const rows = version ? [await repo.perimeterVersion(tx, id, version)] : await repo.perimeterVersions(tx, id);
      if (version && !rows[0]) throw new HdhError('project.perimeter_not_found', 404, { version });
      await this.deps.audit.record(tx, { actor, action: 'project.perimeter.read', target: { type: 'project', id }, projectId: id, details: { version: version ?? 'all' } });
      return rows.filter((r) => !!r).map((r) => ({ version: r.version, perimeter: r.permit as Perimeter, createdAt: r.created_at.toISOString(), createdBy: r.created_by }));
    });
  }

  /** Team member: a hub user (by id or e-mail), their role in the project, an end date no later than the project's (AUTH-03). */
  async addMember(actor: AnyActor, id: string, input: MemberInput) {
    // Read outside the transaction: the identity service uses its own connection (one on PGlite).
    const user = await (input.userId ? this.deps.identity.getUser(input.userId) : this.deps.identity.getUserByEmail(input.email ?? '')).catch(() => null);
    return this.edit(actor, id, 'project.member.add', async (tx, project) => {
      if (!user || user.status !== 'active') throw new HdhError('project.member_unknown', 400, {}, [input.userId ? { location: 'body.userId', message: 'no active account with this id' } : { location: 'body.email', message: 'no active account with this e-mail' }]);
      const end = projectEnd(project);
      if (!end) throw new HdhError('project.end_date_required', 409, {}, [{ location: 'project.requestedEndDate', message: 'set the project end date first' }]);
      if (input.endDate > end) throw new HdhError('project.member_end_after_project', 400, { end }, [{ location: 'body.endDate', message: `after the project end date ${end}` }]);
      if (input.endDate > user.endOfRights) throw new HdhError('project.member_end_after_rights', 400, { end: user.endOfRights }, [{ location: 'body.endDate', message: `after the account's end of rights ${user.endOfRights}` }]);
      const row = { project_id: id, user_id: user.id, email: user.email, display_name: user.displayName, role_in_project: input.roleInProject, end_date: input.endDate, added_at: this.now, last_confirmed_at: this.now };
      await repo.upsertMember(tx, row);
      return { result: presentMember(row, await this.deps.charters.hasAcceptedCurrent(tx, user.id)), details: { userId: user.id, roleInProject: input.roleInProject, endDate: input.endDate } };
    }, { anyStatus: true });
  }

  async removeMember(actor: AnyActor, id: string, userId: string) {
    await this.edit(actor, id, 'project.member.remove', async (tx) => {
      const res = await repo.removeMember(tx, id, userId);
      if (Number(res.numDeletedRows) === 0) throw new HdhError('project.member_not_found', 404);
      return { result: undefined, details: { userId } };
    }, { anyStatus: true });
  }

  /** Declarations of interest — déclarations d'intérêts — kept with the file (PR-10). */
  async addInterest(actor: AnyActor, id: string, input: { personName: string; capacity: 'data_controller' | 'research_lead' | 'team_member'; statement: string; signedOn: string }) {
    return this.edit(actor, id, 'project.interest.add', async (tx) => {
      const row = { id: crypto.randomUUID(), project_id: id, person_name: input.personName, capacity: input.capacity, statement: input.statement, signed_on: input.signedOn, recorded_at: this.now, recorded_by: actor.kind === 'user' ? actor.email : 'system' };
      await repo.insertInterest(tx, row);
      return { result: { id: row.id, personName: row.person_name, capacity: row.capacity, statement: row.statement, signedOn: row.signed_on, recordedAt: row.recorded_at.toISOString() }, details: { capacity: input.capacity } };
    }, { anyStatus: true });
  }

  /** A document version: stored under the data dir with its SHA-256 (LOG-02: every import traced). */
  async uploadDocument(actor: AnyActor, id: string, input: { kind: DocumentKind; name: string; mediaType: string; content: Buffer }) {
    const sha256 = crypto.createHash('sha256').update(input.content).digest('hex');
    const documentId = crypto.randomUUID();
    const stored = this.documentStore.write(id, documentId, input.content);
    try {
      return await this.edit(actor, id, 'project.document.upload', async (tx) => {
        const version = (await repo.lastDocumentVersion(tx, id, input.kind, input.name)) + 1;
        const row = { id: documentId, project_id: id, kind: input.kind, name: input.name, version, sha256, size_bytes: input.content.length, media_type: input.mediaType, stored_path: path.basename(stored), uploaded_at: this.now, uploaded_by: actor.kind === 'user' ? actor.email : 'system' };
        await repo.insertDocument(tx, row);
        return { result: presentDocument(row), details: { documentId, kind: input.kind, name: input.name, version, sha256, size: input.content.length } };
      }, { anyStatus: true });
    } catch (err) {
      this.documentStore.remove(stored);
      throw err;
    }
  }

  async downloadDocument(actor: AnyActor, id: string, documentId: string) {
    return this.deps.db.transaction().execute(async (tx) => {
      await this.loadVisible(tx, actor, id);
      const doc = await repo.findDocument(tx, id, documentId);
      if (!doc) throw new HdhError('project.document_not_found', 404);
      const content = this.documentStore.read(id, doc.stored_path);
      const sha256 = crypto.createHash('sha256').update(content).digest('hex');
      if (sha256 !== doc.sha256) throw new HdhError('project.document_corrupt', 500, { name: doc.name });
      await this.deps.audit.record(tx, { actor, action: 'project.document.download', target: { type: 'project_document', id: documentId }, projectId: id, details: { name: doc.name, version: doc.version, sha256 } });
      return { name: doc.name, mediaType: doc.media_type, sha256, content };
    });
  }

  /** One step of the procedure, under a row lock, audited with who decided and the decision's reference. */
  async transition(actor: AnyActor, id: string, input: TransitionInput) {
    try {
      let change: ProjectStatusChange | null = null;
      const view = await this.deps.db.transaction().execute(async (tx) => {
        const { project, facts } = await this.loadVisible(tx, actor, id, true);
        const to = await runTransition(tx, this.deps, actor, sidesOf(actor, facts), project, input, this.now);
        if (to !== project.status) change = { projectId: id, from: project.status, to, action: input.action, automatic: false };
        return this.view(tx, actor, (await repo.findProject(tx, id))!, facts);
      });
      this.sendEmailsSoon();
      if (change) this.deps.onStatusChanged?.(change);
      return view;
    } catch (err) {
      // LOG-03: a refused step is traced too (after the rollback, in its own transaction).
      if (err instanceof HdhError && err.status < 500) {
        await this.deps.audit.recordStandalone({ actor, action: `project.${input.action}`, target: { type: 'project', id }, outcome: err.status === 400 || err.status === 409 ? 'failure' : 'denied', details: { code: err.code } });
      }
      throw err;
    }
  }

  /** Messages on a file (threads between the applicant's team and the hub). */
  async postMessage(actor: AnyActor, id: string, input: { body: string; parentId?: string | undefined }) {
    const message = await this.exchanges.post(actor, id, input);
    this.sendEmailsSoon();
    return message;
  }

  /** After a commit: e-mail the new notifications without making the caller wait (failures are retried hourly). */
  private sendEmailsSoon(): void {
    if (this.deps.mailer) void this.exchanges.dispatchEmails().catch(() => undefined);
  }

  /** Pending e-mails, now (the hourly job; tests). */
  dispatchEmails(): Promise<number> {
    return this.exchanges.dispatchEmails();
  }

  /**
   * The scheduled job (hourly): tacit CESREES opinions, tacit CNIL authorisations and closures at
   * the authorised end date, for every step whose limit passed before today (Paris).
   */
  async applyDueTacitOutcomes(now: Date = this.now): Promise<TacitOutcome[]> {
    const due = await repo.projectsDueBefore(this.deps.db, ['cesrees_review', 'cnil_review', 'active'], parisDay(now));
    const applied: TacitOutcome[] = [];
    for (const { id } of due) {
      let from: Status | null = null;
      const outcome = await this.deps.db.transaction().execute(async (tx) => {
        const project = await repo.lockProject(tx, id);
        from = project?.status ?? null;
        return project ? applyTacitOutcome(tx, this.deps, project, now) : null;
      });
      if (outcome) {
        applied.push(outcome);
        if (from && from !== outcome.to) this.deps.onStatusChanged?.({ projectId: id, from, to: outcome.to, action: outcome.action, automatic: true });
      }
    }
    // The hourly run also retries e-mails that could not be sent earlier.
    await this.exchanges.dispatchEmails().catch(() => 0);
    return applied;
  }

  /** The applicant's view of where the file is (LC-06): every step, its due day, what comes next. */
  async timeline(actor: AnyActor, id: string) {
    return this.deps.db.transaction().execute(async (tx) => {
      const { project, facts } = await this.loadVisible(tx, actor, id);
      const rows = await repo.transitions(tx, id);
      await this.deps.audit.record(tx, { actor, action: 'project.timeline.read', target: { type: 'project', id }, projectId: id });
      const summary = presentSummary(project, this.now);
      return { reference: project.reference, status: project.status, dueDate: project.due_date, overdue: summary.overdue, deadlineRule: ruleFor(project.status, project.legal_route), transitions: rows.map(presentTransition), nextSteps: availableActions(project.status, project.legal_route, sidesOf(actor, facts)) };
    });
  }

  /** Staff dashboard: files per step, overdue files, median and 90th percentile of each step's duration. */
  async dashboard(actor: AnyActor) {
    assertHubStaff(actor);
    const [projects, transitions, lastSides] = await Promise.all([repo.listProjects(this.deps.db, {}), repo.allTransitions(this.deps.db), repo.lastMessageSides(this.deps.db)]);
    await this.deps.audit.recordStandalone({ actor, action: 'project.dashboard.read' });
    return buildDashboard(projects, transitions, lastSides, this.now);
  }

  /** Results — résultats — published to the registry (PR-06). */
  async publishResults(actor: AnyActor, id: string, input: { summary: string; url?: string | undefined }) {
    await this.edit(actor, id, 'project.results.publish', async (tx, project) => {
      const allowed: Status[] = ['active', 'closed', 'archived'];
      if (!allowed.includes(project.status)) throw new HdhError('project.results_too_early', 409, { status: project.status });
      await repo.updateProject(tx, id, { results_summary: input.summary, results_url: input.url ?? null, results_published_at: this.now });
      return { result: undefined, details: { url: input.url ?? null } };
    }, { ownCheck: true });
    return this.get(actor, id);
  }

  /** AUTH-08: the lead's annual review of the team — who still needs access. */
  async memberReview(actor: AnyActor, id: string) {
    const reviewMonths = this.deps.reviewMonths ?? 12;
    return this.deps.db.transaction().execute(async (tx) => {
      const { project, facts } = await this.loadVisible(tx, actor, id);
      assertCanEdit(actor, facts);
      const [members, last] = await Promise.all([repo.members(tx, id), repo.lastMemberReview(tx, id)]);
      const charterAccepted = await this.charterAccepted(tx, members);
      const cutoff = new Date(this.now);
      cutoff.setUTCMonth(cutoff.getUTCMonth() - reviewMonths);
      await this.deps.audit.record(tx, { actor, action: 'project.member_review.read', target: { type: 'project', id }, projectId: id });
      return {
        reference: project.reference,
        lastReviewedAt: last?.reviewed_at.toISOString() ?? null,
        reviewDue: !last || last.reviewed_at < cutoff,
        members: members.map((m) => ({ ...presentMember(m, charterAccepted.has(m.user_id)), confirmationDue: !m.last_confirmed_at || m.last_confirmed_at < cutoff, endPassed: m.end_date < parisDay(this.now) })),
      };
    });
  }

  async recordMemberReview(actor: AnyActor, id: string, input: { decisions: { userId: string; decision: 'keep' | 'remove' }[]; note: string }) {
    await this.edit(actor, id, 'project.member_review', async (tx) => {
      const team = new Set((await repo.members(tx, id)).map((m) => m.user_id));
      for (const [i, d] of input.decisions.entries()) if (!team.has(d.userId)) throw new HdhError('project.member_not_found', 404, {}, [{ location: `body.decisions[${i}].userId`, message: 'not on the team' }]);
      const keep = input.decisions.filter((d) => d.decision === 'keep').map((d) => d.userId);
      await repo.confirmMembers(tx, id, keep, this.now);
      for (const d of input.decisions.filter((x) => x.decision === 'remove')) await repo.removeMember(tx, id, d.userId);
      await repo.insertMemberReview(tx, { id: crypto.randomUUID(), project_id: id, reviewer_id: actor.kind === 'user' ? actor.userId : crypto.randomUUID(), decisions: repo.json(input.decisions), note: input.note, reviewed_at: this.now });
      return { result: undefined, details: { decisions: input.decisions, note: input.note } };
    }, { anyStatus: true });
  }

  /**
   * The permit the extraction and the workspace trust: the latest perimeter, the authorised
   * dates, the public-service flag (opposition filter, PR-02) and the team — only once the
   * project is provisioning or active.
   */
  async permit(actor: AnyActor, id: string) {
    return this.deps.db.transaction().execute(async (tx) => {
      const { project } = await this.loadVisible(tx, actor, id);
      if (project.status !== 'provisioning' && project.status !== 'active') throw new HdhError('project.not_authorised', 409, { status: project.status });
      const [perimeter, team] = await Promise.all([repo.latestPerimeter(tx, id), repo.members(tx, id)]);
      await this.deps.audit.record(tx, { actor, action: 'project.permit.read', target: { type: 'project', id }, projectId: id, details: { version: perimeter?.version ?? null } });
      return {
        projectId: id, reference: project.reference, status: project.status,
        perimeterVersion: perimeter?.version ?? null, perimeter: (perimeter?.permit as Perimeter | undefined) ?? null,
        startDate: project.start_date, endDate: projectEnd(project), publicServiceMission: project.public_service_mission,
        members: [{ userId: project.lead_id, endDate: projectEnd(project) }, ...team.map((m) => ({ userId: m.user_id, endDate: m.end_date }))],
      };
    });
  }

  /** Membership, dates and status of a project, for other domains' access checks; nothing of the file itself, so not audited. */
  async accessFacts(id: string): Promise<ProjectAccess | null> {
    const project = await repo.findProject(this.deps.db, id);
    if (!project) return null;
    const team = await repo.members(this.deps.db, id);
    return {
      id, reference: project.reference, status: project.status, leadId: project.lead_id, startDate: project.start_date, endDate: projectEnd(project),
      publicServiceMission: project.public_service_mission, members: team.map((m) => ({ userId: m.user_id, endDate: m.end_date })),
    };
  }

  /** The convention — convention — summary: parties, perimeter, duration, commitments, team readiness. */
  async convention(actor: AnyActor, id: string) {
    const view = await this.get(actor, id);
    const perimeter = view.perimeterVersion ? (await this.perimeter(actor, id, view.perimeterVersion))[0]!.perimeter : null;
    return {
      reference: view.reference, title: view.title, status: view.status,
      parties: [
        { party: 'applicant', names: view.dataControllers.map((c) => c.name), acceptedAt: view.convention.acceptances.find((a) => a.party === 'applicant')?.acceptedAt ?? null },
        { party: 'hub', names: ['Health Data Hub'], acceptedAt: view.convention.acceptances.find((a) => a.party === 'hub')?.acceptedAt ?? null },
      ],
      perimeterVersion: view.perimeterVersion, perimeter,
      duration: { start: view.startDate, end: view.authorisedEndDate ?? view.requestedEndDate },
      securityCommitments: securityCommitments,
      team: view.members,
    };
  }
}

/** The commitments every convention carries (référentiel de sécurité SNDS). */
export const securityCommitments = [
  'Access only from the hub’s isolated workspace, by the named team members (AUTH-04, AUTH-12).',
  'No attempt to re-identify any person; only pseudonymised data (DP-01).',
  'Only anonymous, reviewed outputs leave the workspace (EXP-01, EXP-08).',
  'Every action is traced and the traces may be audited (LOG-01, LOG-12).',
  'Data are deleted at the end of the authorised duration (DP-13, LC-10).',
];
