import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';

/**
 * The audit trail is read by security officers only (it holds personal data about users), with
 * a full session and the charter accepted, like any restricted data. Operators at the console
 * (`hdh audit verify`) may read and verify it.
 */
export function assertCanReadAudit(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  if (!hasRole(actor, 'security_officer')) throw new HdhError('auth.forbidden', 403);
  assertDataAccess(actor);
}
