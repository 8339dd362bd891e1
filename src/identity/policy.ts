/** Who may do what with accounts. Services call these; routes never decide access. */
import { hasRole, type AnyActor, type Role } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';

/**
 * AUTH-01: every role of the hub touches data or reviews it, so every account needs a second
 * factor. Kept as a function so a deployment with a read-only role can say otherwise here.
 */
export function roleRequiresMfa(_role: Role): boolean {
  return true;
}

export function requiresMfa(roles: readonly Role[]): boolean {
  return roles.length === 0 || roles.some(roleRequiresMfa);
}

export function assertAdministrator(actor: AnyActor): void {
  if (actor.kind === 'system' || hasRole(actor, 'administrator')) return;
  throw new HdhError('auth.forbidden', 403);
}

export { assertDataAccess } from '../platform/actor.js';
