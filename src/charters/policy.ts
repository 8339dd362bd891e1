import { hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';

/** Charters are published by administrators, or by an operator at the command line. */
export function assertCanPublishCharter(actor: AnyActor): void {
  if (actor.kind === 'system' || hasRole(actor, 'administrator')) return;
  throw new HdhError('auth.forbidden', 403);
}
