/**
 * Who may do what with projects. The project lead (porteur, role project_lead and lead of this
 * project) files, edits and withdraws their own projects; project members read theirs; hub
 * instructors run the procedure on every project; administrators do everything; everyone else
 * sees nothing — and gets 404 rather than 403 on a project they cannot see, so identifiers
 * cannot be enumerated.
 */
import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import type { Side } from './procedure.js';

export interface ProjectAccessFacts {
  leadId: string;
  /** The caller is on the project's team. */
  isMember: boolean;
}

export function isHubStaff(actor: AnyActor): boolean {
  return actor.kind === 'system' || hasRole(actor, 'hub_instructor', 'administrator');
}

export function isLeadOf(actor: AnyActor, facts: ProjectAccessFacts): boolean {
  return actor.kind === 'user' && hasRole(actor, 'project_lead') && actor.userId === facts.leadId;
}

export function canSee(actor: AnyActor, facts: ProjectAccessFacts): boolean {
  return isHubStaff(actor) || isLeadOf(actor, facts) || (actor.kind === 'user' && facts.isMember);
}

/** Sides of the procedure the caller holds on this project (an administrator holds both). */
export function sidesOf(actor: AnyActor, facts: ProjectAccessFacts): Side[] {
  if (actor.kind === 'system') return ['system'];
  const sides: Side[] = [];
  if (isLeadOf(actor, facts) || hasRole(actor, 'administrator')) sides.push('lead');
  if (hasRole(actor, 'hub_instructor', 'administrator')) sides.push('hub');
  return sides;
}

/** Reading or changing a project file is access to restricted data: full MFA session and charter (AUTH-01, AUTH-05). */
export function assertCanSee(actor: AnyActor, facts: ProjectAccessFacts): void {
  assertDataAccess(actor);
  if (!canSee(actor, facts)) throw new HdhError('project.not_found', 404);
}

export function assertCanCreate(actor: AnyActor): void {
  assertDataAccess(actor);
  if (!hasRole(actor, 'project_lead', 'administrator')) throw new HdhError('auth.forbidden', 403);
}

/** Editing the file, the perimeter, the team and the declarations: the lead, or an administrator. */
export function assertCanEdit(actor: AnyActor, facts: ProjectAccessFacts): void {
  assertCanSee(actor, facts);
  if (!isLeadOf(actor, facts) && !hasRole(actor, 'administrator')) throw new HdhError('auth.forbidden', 403);
}

/** Staff views (dashboard of every file): instructors and administrators. */
export function assertHubStaff(actor: AnyActor): void {
  assertDataAccess(actor);
  if (!isHubStaff(actor)) throw new HdhError('auth.forbidden', 403);
}

/** Exchanges on a file: its lead and members on the applicant side, hub staff on the other. */
export function messageSide(actor: AnyActor, facts: ProjectAccessFacts): 'applicant' | 'hub' {
  return isHubStaff(actor) && !isLeadOf(actor, facts) && !facts.isMember ? 'hub' : 'applicant';
}
