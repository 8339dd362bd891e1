import { HdhError } from './errors.js';

/**
 * Who is calling: the security context every service receives. Built by the HTTP layer from the
 * server-side session (or by the CLI for an operator), never from anything the client claims.
 */

/** Roles of the hub. A citizen needs no account: public pages take no actor. */
export const roles = [
  'project_member',
  'project_lead',
  'data_producer',
  'hub_instructor',
  'output_reviewer',
  'security_officer',
  'administrator',
] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  kind: 'user';
  userId: string;
  email: string;
  displayName: string;
  organisationId: string | null;
  roles: Role[];
  /** True when the session passed every factor the account requires (AUTH-01). */
  mfa: boolean;
  /** The current user charter is accepted (AUTH-05). */
  charterAccepted: boolean;
  sessionId: string | null;
  ip: string | null;
}

/** An operator at the command line (`hdh …`): traced under the OS user, with no web session. */
export interface SystemActor {
  kind: 'system';
  label: string;
  ip: null;
}

export type AnyActor = Actor | SystemActor;

export function systemActor(label: string): SystemActor {
  return { kind: 'system', label, ip: null };
}

export function hasRole(actor: AnyActor | null | undefined, ...wanted: Role[]): boolean {
  return !!actor && actor.kind === 'user' && actor.roles.some((r) => wanted.includes(r));
}

/**
 * Any access to restricted data — data, audit trails, project files: a full session (every
 * factor checked, AUTH-01) and the current user charter accepted (AUTH-05).
 */
export function assertDataAccess(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  if (!actor.mfa) throw new HdhError('auth.mfa_required', 403);
  if (!actor.charterAccepted) throw new HdhError('auth.charter_required', 403);
}
