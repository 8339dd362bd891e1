/** Who reads the security alerts (LOG-08): the security officers (RSSI), with a full session and the charter. */
import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';

export function assertCanReadAlerts(actor: AnyActor): void {
  assertDataAccess(actor);
  if (actor.kind === 'system' || hasRole(actor, 'security_officer')) return;
  throw new HdhError('auth.forbidden', 403);
}
