/**
 * Who may link: the hub acts as trusted third party (tiers de confiance), so only hub staff —
 * instructors and administrators, with a full session and the charter accepted — upload identity
 * files, run linkages and read their reports; an operator at the command line too. Only that
 * operator may name files on the server's disk: from the web, inputs are uploads.
 */
import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import './messages.js';

export const LINKAGE_ROLES = ['hub_instructor', 'administrator'] as const;

export function assertCanLink(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  if (!hasRole(actor, ...LINKAGE_ROLES)) throw new HdhError('auth.forbidden', 403);
  assertDataAccess(actor);
}

export function assertCanUseLocalFiles(actor: AnyActor): void {
  if (actor.kind !== 'system') throw new HdhError('linkage.local_paths_forbidden', 403);
}
