/**
 * Applies the procedure (procedure.ts) to a locked project row: the checks each action needs,
 * the fields it sets, the due day of the step it opens, the transition record, the audit event
 * and the applicant's notifications — all in the caller's transaction.
 */
import crypto from 'node:crypto';
import type { AnyActor } from '../platform/actor.js';
import type { Tx } from '../platform/db/database.js';
import { HdhError } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import type { CharterService } from '../charters/service.js';
import { addCalendarDays, parisDay } from './calendar.js';
import { dueDate } from './deadlines.js';
import { conventionParties, decide, decisionTarget, type ConventionParty, type Side, type Status } from './procedure.js';
import { projectEnd } from './presenters.js';
import * as repo from './repo.js';
import type { ProjectPatch, ProjectRow } from './repo.js';
import type { TransitionInput } from './schema.js';

export interface WorkflowDeps {
  audit: AuditService;
  charters: CharterService;
}

interface Change {
  to: Status;
  patch: ProjectPatch;
  reference?: string | null | undefined;
  note?: string | null | undefined;
  details?: Record<string, unknown>;
}

/** Runs one action on a project locked by the caller (`select … for update`). */
export async function runTransition(tx: Tx, deps: WorkflowDeps, actor: AnyActor, sides: Side[], project: ProjectRow, input: TransitionInput, now: Date): Promise<Status> {
  const verdict = decide(input.action, project.status, project.legal_route, sides);
  if (!verdict.ok) {
    if (verdict.reason === 'wrong_side') throw new HdhError('auth.forbidden', 403);
    throw new HdhError('project.transition_refused', 409, { action: input.action, status: project.status, route: project.legal_route }, { reason: verdict.reason });
  }
  const today = parisDay(now);
  const change = await changeFor(tx, deps, actor, sides, project, input, verdict.to, today, now);
  await record(tx, deps, actor, project, input.action, change, today, now, false);
  return change.to;
}

/** Opens a new step: due day from its rule, counted from today. */
function stepFields(project: ProjectRow, to: Status, today: string, extra: ProjectPatch = {}): ProjectPatch {
  const merged = { ...project, ...extra } as ProjectRow;
  return { status: to, step_started_on: today, due_date: dueDate(to, project.legal_route, today, { endDate: projectEnd(merged) }), ...extra };
}

async function changeFor(tx: Tx, deps: WorkflowDeps, actor: AnyActor, sides: Side[], project: ProjectRow, input: TransitionInput, to: Status, today: string, now: Date): Promise<Change> {
  switch (input.action) {
    case 'submit': {
      const problems = await completenessProblems(tx, project);
      if (problems.length) throw new HdhError('project.incomplete', 400, { count: problems.length }, problems);
      return { to, note: input.note, patch: stepFields(project, to, today, { submitted_at: project.submitted_at ?? now }) };
    }
    case 'return':
      return { to, note: input.note, reference: input.reference, patch: stepFields(project, to, today) };
    case 'forward':
      return { to, note: input.note, reference: input.reference, patch: stepFields(project, to, today) };
    case 'record_opinion':
      if (input.decidedOn > today) throw new HdhError('project.date_in_future', 400, { field: 'decidedOn' }, [{ location: 'body.decidedOn', message: 'after today' }]);
      return { to, note: input.note, reference: input.reference, details: { outcome: input.outcome, decidedOn: input.decidedOn }, patch: stepFields(project, to, today, { cesrees_outcome: input.outcome, cesrees_decided_on: input.decidedOn, cesrees_reference: input.reference }) };
    case 'file_cnil':
      return { to, note: input.note, patch: stepFields(project, to, today, { cnil_renewed: false }) };
    case 'renew_cnil': {
      if (project.cnil_renewed) throw new HdhError('project.cnil_already_renewed', 409);
      const start = project.step_started_on ?? today;
      return { to, note: input.note, reference: input.reference, patch: { cnil_renewed: true, due_date: dueDate('cnil_review', project.legal_route, start, { renewed: true }) } };
    }
    case 'record_cnil_decision': {
      if (input.decidedOn > today) throw new HdhError('project.date_in_future', 400, { field: 'decidedOn' }, [{ location: 'body.decidedOn', message: 'after today' }]);
      const target = decisionTarget(input.outcome);
      const end = input.authorisedEndDate ?? project.requested_end_date;
      return { to: target, note: input.note, reference: input.number, details: { outcome: input.outcome, decidedOn: input.decidedOn },
        patch: stepFields(project, target, today, { cnil_outcome: input.outcome, cnil_decided_on: input.decidedOn, cnil_number: input.number, ...(target === 'convention' ? { authorised_end_date: end } : {}) }) };
    }
    case 'register':
      // LC-09: the declaration of conformity is checked at submission; the registry entry is recorded here.
      if (!project.conformity_reference) throw new HdhError('project.conformity_missing', 409);
      return { to, note: input.note, reference: input.reference ?? input.registryReference, details: { registryReference: input.registryReference }, patch: stepFields(project, to, today, { registry_reference: input.registryReference, authorised_end_date: project.requested_end_date }) };
    case 'approve':
      return { to, note: input.note, reference: input.reference, patch: stepFields(project, to, today, { authorised_end_date: input.authorisedEndDate ?? project.requested_end_date }) };
    case 'refuse':
      return { to, note: input.note, reference: input.reference, patch: stepFields(project, to, today) };
    case 'accept_convention':
      return acceptConvention(tx, deps, actor, sides, project, input.party, today, now);
    case 'provision':
      return { to, note: input.note, reference: input.reference, patch: stepFields(project, to, today, { start_date: today }) };
    case 'close':
    case 'archive':
    case 'withdraw':
      return { to, note: input.note, patch: { status: to, step_started_on: today, due_date: null } };
  }
}

/** PR-10 and the file's required fields, located like a validation error. */
async function completenessProblems(tx: Tx, p: ProjectRow): Promise<{ location: string; message: string }[]> {
  const problems: { location: string; message: string }[] = [];
  const required: [keyof ProjectRow, string][] = [['summary', 'summary'], ['purpose', 'purpose'], ['objectives', 'objectives'], ['public_interest', 'publicInterest'], ['methodology', 'methodology'], ['expected_results', 'expectedResults'], ['requested_end_date', 'requestedEndDate']];
  for (const [column, field] of required) if (!p[column]) problems.push({ location: `project.${field}`, message: 'required before submission' });
  if (!p.data_controllers.some((c) => c.kind === 'rt')) problems.push({ location: 'project.dataControllers', message: 'at least one data controller (RT) is required' });
  if (p.legal_route === 'reference_methodology') {
    if (!p.reference_methodology) problems.push({ location: 'project.referenceMethodology', message: 'MR-004, MR-005 or MR-006 is required on the reference-methodology route' });
    if (!p.conformity_reference) problems.push({ location: 'project.conformityDeclaration', message: 'a declaration of conformity is required before starting (LC-09)' });
  }
  if (!(await repo.latestPerimeter(tx, p.id))) problems.push({ location: 'project.perimeter', message: 'the requested perimeter is required' });
  const capacities = new Set((await repo.interests(tx, p.id)).map((i) => i.capacity));
  for (const capacity of ['data_controller', 'research_lead'] as const) {
    if (!capacities.has(capacity)) problems.push({ location: 'project.interests', message: `a declaration of interest of the ${capacity.replace('_', ' ')} is required (PR-10)` });
  }
  return problems;
}

/**
 * Each party accepts the convention; the team must be ready first: every member has accepted the
 * user charter (AUTH-05) and ends no later than the project (AUTH-03, LC-10). The last acceptance
 * opens data provisioning (LC-07).
 */
async function acceptConvention(tx: Tx, deps: WorkflowDeps, actor: AnyActor, sides: Side[], project: ProjectRow, asked: ConventionParty | undefined, today: string, now: Date): Promise<Change> {
  const party: ConventionParty | undefined = asked ?? (sides.includes('lead') && !sides.includes('hub') ? 'applicant' : !sides.includes('lead') && sides.includes('hub') ? 'hub' : undefined);
  if (!party) throw new HdhError('project.party_required', 400, {}, [{ location: 'body.party', message: 'say which party you accept for' }]);
  if ((party === 'applicant' && !sides.includes('lead')) || (party === 'hub' && !sides.includes('hub'))) throw new HdhError('auth.forbidden', 403);
  const accepted = await repo.conventionAcceptances(tx, project.id);
  if (accepted.some((a) => a.party === party)) throw new HdhError('project.convention_already_accepted', 409, { party });
  const end = projectEnd(project);
  const problems: { location: string; message: string }[] = [];
  const team = await repo.members(tx, project.id);
  for (const [i, m] of team.entries()) {
    if (!(await deps.charters.hasAcceptedCurrent(tx, m.user_id))) problems.push({ location: `members[${i}]`, message: `${m.email} has not accepted the current user charter` });
    if (end && m.end_date > end) problems.push({ location: `members[${i}].endDate`, message: `${m.email} ends on ${m.end_date}, after the project (${end})` });
  }
  if (problems.length) throw new HdhError('project.team_not_ready', 409, { count: problems.length }, problems);
  const label = actor.kind === 'user' ? actor.email : `system:${actor.label}`;
  await repo.insertConventionAcceptance(tx, { project_id: project.id, party, accepted_by: label, accepted_at: now });
  const all = conventionParties.every((p) => p === party || accepted.some((a) => a.party === p));
  const to: Status = all ? 'provisioning' : 'convention';
  return { to, details: { party, allAccepted: all }, patch: all ? stepFields(project, to, today) : {} };
}

async function record(tx: Tx, deps: WorkflowDeps, actor: AnyActor, project: ProjectRow, action: string, change: Change, today: string, now: Date, automatic: boolean): Promise<void> {
  const patch: ProjectPatch = { ...change.patch, updated_at: now };
  await repo.updateProject(tx, project.id, patch);
  const due = 'due_date' in patch ? (patch.due_date ?? null) : project.due_date;
  await repo.insertTransition(tx, {
    id: crypto.randomUUID(), project_id: project.id, from_status: project.status, to_status: change.to, action, at: now,
    actor_id: actor.kind === 'user' ? actor.userId : null, actor_label: actor.kind === 'user' ? actor.email : `system:${actor.label}`,
    automatic, reference: change.reference ?? null, note: change.note ?? null, due_date: due, details: repo.json(change.details ?? {}),
  });
  await deps.audit.record(tx, {
    actor, action: `project.${action}`, target: { type: 'project', id: project.id }, projectId: project.id,
    details: { reference: project.reference, from: project.status, to: change.to, decisionReference: change.reference ?? null, dueDate: due, automatic, day: today, ...(change.details ?? {}) },
  });
  await notifyApplicants(tx, project, 'project.status_changed', { reference: project.reference, from: project.status, to: change.to, action }, now);
}

/** In-app notifications to the lead and the team (LC-06: the applicant sees where the file is). */
export async function notifyApplicants(tx: Tx, project: ProjectRow, kind: string, details: Record<string, unknown>, now: Date, except?: string): Promise<void> {
  const team = await repo.members(tx, project.id);
  const recipients = new Set([project.lead_id, ...team.map((m) => m.user_id)]);
  if (except) recipients.delete(except);
  await repo.insertNotifications(tx, [...recipients].map((user_id) => ({ id: crypto.randomUUID(), user_id, project_id: project.id, kind, details: repo.json(details), created_at: now, read_at: null })));
}

export interface TacitOutcome {
  projectId: string;
  reference: string;
  action: string;
  to: Status;
  outcome: string | null;
}

/**
 * The scheduled job's body for one project, already locked: a passed CESREES limit is a tacit
 * favourable opinion (LC-02, LC-03); a passed CNIL limit is an authorisation (LC-05); a passed
 * authorised end date closes the project (LC-10). The outcome is dated the day after the limit.
 */
export async function applyTacitOutcome(tx: Tx, deps: WorkflowDeps, project: ProjectRow, now: Date): Promise<TacitOutcome | null> {
  const today = parisDay(now);
  if (!project.due_date || today <= project.due_date) return null;
  const system = { kind: 'system', label: 'procedure-scheduler', ip: null } as const;
  const lapsedOn = addCalendarDays(project.due_date, 1);
  let action: string;
  let change: Change;
  if (project.status === 'cesrees_review') {
    action = 'record_opinion';
    change = { to: 'cesrees_opinion', details: { outcome: 'tacit_favourable', decidedOn: lapsedOn, rule: 'LC-02' }, patch: stepFields(project, 'cesrees_opinion', today, { cesrees_outcome: 'tacit_favourable', cesrees_decided_on: lapsedOn }) };
  } else if (project.status === 'cnil_review') {
    action = 'record_cnil_decision';
    change = { to: 'convention', details: { outcome: 'tacit_authorisation', decidedOn: lapsedOn, rule: 'LC-05' }, patch: stepFields(project, 'convention', today, { cnil_outcome: 'tacit_authorisation', cnil_decided_on: lapsedOn, authorised_end_date: project.requested_end_date }) };
  } else if (project.status === 'active') {
    action = 'close';
    change = { to: 'closed', details: { rule: 'LC-10', endDate: project.due_date }, patch: { status: 'closed', step_started_on: today, due_date: null } };
  } else {
    return null;
  }
  await record(tx, deps, system, project, action, change, today, now, true);
  return { projectId: project.id, reference: project.reference, action, to: change.to, outcome: (change.details?.outcome as string | undefined) ?? null };
}
