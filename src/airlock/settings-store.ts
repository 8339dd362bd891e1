/**
 * Disclosure-control settings in the database — paramètres du contrôle du secret: the hub's
 * values (the documented defaults until an administrator changes them) and overrides per
 * catalogue dataset. A project's files are checked with the strictest value over the hub and the
 * datasets its perimeter reads (./sdc/settings.ts `strictest`).
 */
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import { systemActor, type AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { HdhError } from '../platform/errors.js';
import type { ProjectService } from '../projects/service.js';
import { assertCanChangeSettings, assertCanReadSettings } from './policy.js';
import * as repo from './repo.js';
import { defaultSettings, strictest } from './sdc/index.js';
import type { SdcSettings } from './sdc/types.js';

export interface SettingsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  catalog: Pick<CatalogService, 'getTable' | 'getDataset'>;
  projects: Pick<ProjectService, 'permit'>;
}

const HUB = 'hub';
const DATASET = 'dataset:';
const label = (actor: AnyActor) => (actor.kind === 'user' ? actor.email : `system:${actor.label}`);

export class AirlockSettings {
  constructor(private readonly deps: SettingsDeps) {}

  private async stored() {
    const rows = await repo.allSettings(this.deps.db);
    const hubRow = rows.find((r) => r.scope === HUB);
    // Stored hub values over the defaults: a rule added later gets its documented default.
    const hub: SdcSettings = { ...defaultSettings, ...hubRow?.settings };
    const datasets = rows.filter((r) => r.scope.startsWith(DATASET)).map((r) => ({ dataset: r.scope.slice(DATASET.length), overrides: r.settings }));
    return { hub, datasets };
  }

  async list(actor: AnyActor) {
    assertCanReadSettings(actor);
    return this.stored();
  }

  async setHub(actor: AnyActor, settings: SdcSettings) {
    assertCanChangeSettings(actor);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.upsertSettings(tx, HUB, settings, this.deps.clock.now(), label(actor));
      await this.deps.audit.record(tx, { actor, action: 'airlock.settings.hub', target: { type: 'airlock_settings', id: HUB }, details: { settings } });
    });
    return this.stored();
  }

  async setDataset(actor: AnyActor, slug: string, overrides: Partial<SdcSettings>) {
    assertCanChangeSettings(actor);
    // A catalogue dataset only: an override on a misspelt slug would silently never apply.
    await this.deps.catalog.getDataset(slug);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.upsertSettings(tx, DATASET + slug, overrides, this.deps.clock.now(), label(actor));
      await this.deps.audit.record(tx, { actor, action: 'airlock.settings.dataset', target: { type: 'airlock_settings', id: DATASET + slug }, details: { dataset: slug, overrides } });
    });
    return this.stored();
  }

  async removeDataset(actor: AnyActor, slug: string): Promise<void> {
    assertCanChangeSettings(actor);
    await this.deps.db.transaction().execute(async (tx) => {
      const res = await repo.deleteSettings(tx, DATASET + slug);
      if (Number(res.numDeletedRows) === 0) throw new HdhError('airlock.settings_not_found', 404, { dataset: slug });
      await this.deps.audit.record(tx, { actor, action: 'airlock.settings.dataset_remove', target: { type: 'airlock_settings', id: DATASET + slug }, details: { dataset: slug } });
    });
  }

  /** Catalogue datasets (slugs) covering the tables of the project's current perimeter. */
  async perimeterDatasets(projectId: string): Promise<string[]> {
    // Read as the system: the caller's own access was checked; the permit read is audited.
    const permit = await this.deps.projects.permit(systemActor('airlock'), projectId).catch((err: unknown) => {
      if (err instanceof HdhError && err.status === 409) return null;
      throw err;
    });
    const slugs = new Set<string>();
    for (const table of permit?.perimeter?.tables ?? []) {
      try {
        for (const d of (await this.deps.catalog.getTable(table.name)).datasets) slugs.add(d.slug);
      } catch (err) {
        if (!(err instanceof HdhError && err.status === 404)) throw err;
      }
    }
    return [...slugs].sort();
  }

  /** The settings a project's files are checked with: strictest over the hub and its perimeter's datasets. */
  async effective(projectId: string): Promise<{ settings: SdcSettings; datasets: string[] }> {
    const slugs = await this.perimeterDatasets(projectId);
    const { hub, datasets } = await this.stored();
    const overrides = datasets.filter((d) => slugs.includes(d.dataset)).map((d) => d.overrides);
    return { settings: strictest(hub, overrides), datasets: slugs };
  }
}
