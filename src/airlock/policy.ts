/**
 * Who may do what in the output airlock. Members of the project (its team and lead — the same
 * check as the workspace, AUTH-04/AUTH-12) request releases and download released files;
 * output reviewers (relecteurs) read submitted requests and vote, never on a project they belong
 * to nor on a request they wrote (SDC-10); hub staff follow requests without their cells;
 * everyone else gets 404, so projects cannot be probed.
 */
import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { isHubStaff } from '../projects/policy.js';
import type { ProjectAccess } from '../projects/service.js';
import { memberEnd } from '../workspaces/policy.js';

registerMessages({
  'airlock.own_request': { fr: 'Vous ne pouvez pas relire une demande de sortie dont vous êtes l’auteur (SDC-10).', en: 'You cannot review a release request you wrote (SDC-10).' },
  'airlock.reviewer_is_member': { fr: 'Vous êtes membre de ce projet : vous ne pouvez pas relire ses demandes de sortie (SDC-10).', en: 'You are a member of this project: you cannot review its release requests (SDC-10).' },
  'airlock.members_only': { fr: 'Seuls les membres du projet peuvent faire cela.', en: 'Only the project’s members can do this.' },
  'airlock.lead_only': { fr: 'Seul le porteur du projet peut publier des résultats au répertoire.', en: 'Only the project lead can publish results to the registry.' },
});

/** How the caller stands towards a project's outputs. */
export type Standing = 'member' | 'reviewer' | 'staff';

export function isReviewer(actor: AnyActor): boolean {
  return hasRole(actor, 'output_reviewer');
}

export function isMember(actor: AnyActor, project: ProjectAccess): boolean {
  return memberEnd(actor, project) !== null;
}

/** The caller's standing; 404 for anyone with none (and for a project that does not exist). */
export function standingOf(actor: AnyActor, project: ProjectAccess | null): Standing {
  assertDataAccess(actor);
  if (!project || actor.kind !== 'user') throw new HdhError('project.not_found', 404);
  if (isMember(actor, project)) return 'member';
  if (isReviewer(actor)) return 'reviewer';
  if (isHubStaff(actor)) return 'staff';
  throw new HdhError('project.not_found', 404);
}

/** Adding, changing, submitting, withdrawing, downloading: the project's members only. */
export function assertMember(standing: Standing): void {
  if (standing !== 'member') throw new HdhError('airlock.members_only', 403);
}

/**
 * A vote (SDC-10): an output reviewer, never one of the request's authors, never a member of the
 * project (even one who also holds the reviewer role).
 */
export function assertCanVote(actor: AnyActor, project: ProjectAccess, authors: ReadonlySet<string>): asserts actor is Extract<AnyActor, { kind: 'user' }> {
  assertDataAccess(actor);
  if (actor.kind !== 'user' || !isReviewer(actor)) throw new HdhError('auth.forbidden', 403);
  if (authors.has(actor.userId)) throw new HdhError('airlock.own_request', 403);
  if (isMember(actor, project)) throw new HdhError('airlock.reviewer_is_member', 403);
}

/** The caller could vote on this project's requests (flags and queue; the vote itself checks again). */
export function mayVote(actor: AnyActor, project: ProjectAccess, authors: ReadonlySet<string>): boolean {
  return actor.kind === 'user' && actor.mfa && isReviewer(actor) && !authors.has(actor.userId) && !isMember(actor, project);
}

/** Publishing released files to the registry: the project's lead. */
export function isLead(actor: AnyActor, project: ProjectAccess): boolean {
  return actor.kind === 'user' && actor.userId === project.leadId && hasRole(actor, 'project_lead');
}

export function assertLead(actor: AnyActor, project: ProjectAccess): void {
  if (!isLead(actor, project)) throw new HdhError('airlock.lead_only', 403);
}

/** The reviewer queue. */
export function assertReviewer(actor: AnyActor): void {
  assertDataAccess(actor);
  if (!isReviewer(actor)) throw new HdhError('auth.forbidden', 403);
}

/** Reading the disclosure-control settings: reviewers and administrators. */
export function assertCanReadSettings(actor: AnyActor): void {
  assertDataAccess(actor);
  if (actor.kind === 'system' || isReviewer(actor) || hasRole(actor, 'administrator')) return;
  throw new HdhError('auth.forbidden', 403);
}

/** Changing them: administrators. */
export function assertCanChangeSettings(actor: AnyActor): void {
  assertDataAccess(actor);
  if (actor.kind === 'system' || hasRole(actor, 'administrator')) return;
  throw new HdhError('auth.forbidden', 403);
}
