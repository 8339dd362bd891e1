/**
 * Who may run and see extractions: hub staff start one on demand; the project's lead and team,
 * and hub staff, read the delivered versions' manifests; nobody else learns the project exists.
 */
import { assertDataAccess, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import { isHubStaff } from '../projects/policy.js';
import type { ProjectAccess } from '../projects/service.js';

export function assertCanExtract(actor: AnyActor): void {
  assertDataAccess(actor);
  if (!isHubStaff(actor)) throw new HdhError('auth.forbidden', 403);
}

export function assertCanSeeExtracts(actor: AnyActor, project: ProjectAccess | null): asserts project is ProjectAccess {
  assertDataAccess(actor);
  if (!project) throw new HdhError('project.not_found', 404);
  if (isHubStaff(actor)) return;
  if (actor.kind === 'user' && (actor.userId === project.leadId || project.members.some((m) => m.userId === actor.userId))) return;
  throw new HdhError('project.not_found', 404);
}
