/**
 * Who may do what with synthetic data: reading and downloading a synthetic release is public
 * (no personal data: everyone may write and test programs before any authorisation); only
 * administrators generate a release from the web.
 */
import { assertDataAccess, hasRole, type AnyActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import type { ReleaseManifest } from '../platform/lake/lake.js';

/** Only releases marked synthetic are served without authorisation. */
export function assertPublicRelease(manifest: ReleaseManifest | null, name: string, version: number): ReleaseManifest {
  if (!manifest || !manifest.synthetic) throw new HdhError('synthetic.release_not_found', 404, { name, version });
  return manifest;
}

export function assertCanGenerate(actor: AnyActor): void {
  if (actor.kind === 'system') return;
  if (!hasRole(actor, 'administrator')) throw new HdhError('auth.forbidden', 403);
  assertDataAccess(actor);
}
