/**
 * Who may change the catalogue. Reading it needs nobody (all metadata is public). Imports:
 * hub staff (hub_instructor, administrator) or an operator at the command line. Edits of a
 * dataset, its tables and variables: hub staff, or a data producer of the producing organisation.
 */
import { hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';

export function isHubStaff(actor: AnyActor | null): boolean {
  return !!actor && (actor.kind === 'system' || hasRole(actor, 'hub_instructor', 'administrator'));
}

export function assertCanImportCatalogue(actor: AnyActor): void {
  if (!isHubStaff(actor)) throw new HdhError('auth.forbidden', 403);
}

/**
 * `producerOrganisations`: organisations of the producers concerned (a table may belong to several
 * datasets). A data producer edits when one of them is theirs.
 */
export function assertCanEditCatalogue(actor: AnyActor, producerOrganisations: (string | null)[]): void {
  if (isHubStaff(actor)) return;
  if (actor.kind === 'user' && hasRole(actor, 'data_producer') && actor.organisationId && producerOrganisations.includes(actor.organisationId)) return;
  throw new HdhError('auth.forbidden', 403);
}
