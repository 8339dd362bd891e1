/**
 * Who may see what of the opposition registry. Recording and withdrawing need no account (the
 * receipt and the NIR are the proof). Hub staff see counts, never people. The pseudonyms leave
 * the registry only for the extraction job — a system actor, or hub staff running it — because
 * they are lake pseudonyms, which no project may hold (DP-04).
 */
import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';

export function assertCanReadOppositionCounts(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  if (!hasRole(actor, 'hub_instructor', 'security_officer', 'administrator')) throw new HdhError('auth.forbidden', 403);
}

export function assertCanReadOptedOutPseudonyms(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  if (!hasRole(actor, 'hub_instructor', 'administrator')) throw new HdhError('auth.forbidden', 403);
  assertDataAccess(actor);
}

/** A rotation bridge writes pseudonyms into the registry: an operator or an administrator. */
export function assertCanBridgeKeys(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  if (!hasRole(actor, 'administrator')) throw new HdhError('auth.forbidden', 403);
  assertDataAccess(actor);
}
