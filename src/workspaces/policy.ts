/**
 * Who may enter a project's workspace: a member of the project's team (or its lead) — nobody
 * else, not even hub staff (AUTH-04, AUTH-12) — with a full MFA session and the current charter
 * accepted (AUTH-01, AUTH-05), within their own end date and the project's (AUTH-03), while the
 * project is active. Outsiders get 404, so projects cannot be probed. The deletion certificate
 * (DP-13) is for hub staff and the project's lead.
 */
import { assertDataAccess, type AnyActor } from '../platform/actor.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { isHubStaff } from '../projects/policy.js';
import type { ProjectAccess } from '../projects/service.js';

registerMessages({
  'workspace.not_open': { fr: 'L’espace de travail n’est pas ouvert (projet au statut {status}).', en: 'The workspace is not open (project status {status}).' },
  'workspace.membership_ended': { fr: 'Votre accès à ce projet a pris fin le {endDate}.', en: 'Your access to this project ended on {endDate}.' },
  'workspace.project_ended': { fr: 'Le projet a pris fin le {endDate} : son espace est fermé.', en: 'The project ended on {endDate}: its workspace is closed.' },
});

/** The caller's own end date on the project, or null when not on its team. */
export function memberEnd(actor: AnyActor, project: ProjectAccess): string | null {
  if (actor.kind !== 'user') return null;
  if (actor.userId === project.leadId) return project.endDate ?? '9999-12-31';
  return project.members.find((m) => m.userId === actor.userId)?.endDate ?? null;
}

/** Entering the workspace (queries, programs, jobs). `statuses`: project statuses accepted (reading the status also accepts provisioning). */
export function assertWorkspaceAccess(actor: AnyActor, project: ProjectAccess | null, today: string, statuses: readonly string[] = ['active']): asserts project is ProjectAccess {
  assertDataAccess(actor);
  if (!project || actor.kind !== 'user') throw new HdhError('project.not_found', 404);
  const end = memberEnd(actor, project);
  if (end === null) throw new HdhError('project.not_found', 404);
  if (end < today) throw new HdhError('workspace.membership_ended', 403, { endDate: end });
  if (project.endDate && project.endDate < today) throw new HdhError('workspace.project_ended', 403, { endDate: project.endDate });
  if (!statuses.includes(project.status)) throw new HdhError('workspace.not_open', 409, { status: project.status });
}

export function assertCanSeeDeletion(actor: AnyActor, project: ProjectAccess | null): asserts project is ProjectAccess {
  assertDataAccess(actor);
  if (!project) throw new HdhError('project.not_found', 404);
  if (isHubStaff(actor) || (actor.kind === 'user' && actor.userId === project.leadId)) return;
  throw new HdhError('project.not_found', 404);
}
