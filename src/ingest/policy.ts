/**
 * Who may load data — qui peut charger: a data producer for the tables of datasets its
 * organisation produces; hub administrators for any table. Both need a full MFA session and the
 * current charter (data access).
 */
import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';

export function assertCanLoad(actor: AnyActor, table: string, producerOrganisations: (string | null)[]): void {
  if (actor.kind === 'system') return;
  assertDataAccess(actor);
  if (hasRole(actor, 'administrator')) return;
  if (hasRole(actor, 'data_producer') && actor.organisationId && producerOrganisations.includes(actor.organisationId)) return;
  throw new HdhError('ingest.forbidden', 403, { table });
}

/** Reading loads and reports: their author, producers of the same organisation's tables, administrators, security officers. */
export function assertCanReadLoads(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  assertDataAccess(actor);
  if (hasRole(actor, 'administrator', 'data_producer', 'security_officer')) return;
  throw new HdhError('ingest.forbidden', 403, { table: '*' });
}
