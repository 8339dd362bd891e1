/**
 * Distributions of catalogue tables: each published release (synthetic today) is registered here,
 * table by table, so the catalogue lists what can be downloaded and the DCAT export carries
 * `dcat:Distribution`s. Yearly tables (T_MCO19B) attach to their template (T_MCOaaB).
 */
import type { Selectable } from 'kysely';
import type { AuditService } from '../audit/service.js';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db/database.js';
import { assertCanImportCatalogue } from './policy.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    catalog_distributions: CatalogDistributionTable;
  }
}

export interface CatalogDistributionTable {
  release_name: string;
  release_version: number;
  table_name: string;
  catalog_table: string;
  synthetic: boolean;
  row_count: number;
  registered_at: Date;
}
export type DistributionRow = Selectable<CatalogDistributionTable>;

export interface ReleaseToRegister {
  name: string;
  version: number;
  synthetic: boolean;
  tables: { name: string; rows: number }[];
}

/** T_MCO19B → T_MCOaaB: the SNDS names yearly PMSI tables after a two-digit year. */
export function catalogTableOf(releaseTable: string): string {
  return releaseTable.replace(/^(T_[A-Z]{2,4})\d{2}([A-Z0-9]+)$/, '$1aa$2');
}

export async function insertDistributions(tx: Executor, release: ReleaseToRegister, at: Date): Promise<number> {
  if (!release.tables.length) return 0;
  await tx
    .insertInto('catalog_distributions')
    .values(release.tables.map((t) => ({ release_name: release.name, release_version: release.version, table_name: t.name, catalog_table: catalogTableOf(t.name), synthetic: release.synthetic, row_count: t.rows, registered_at: at })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return release.tables.length;
}

/** The distributions of the latest version of each release, by catalogue table. */
export async function latestDistributions(db: Executor): Promise<Map<string, DistributionRow[]>> {
  const rows = await db
    .selectFrom('catalog_distributions as d')
    .selectAll('d')
    .where((eb) => eb('d.release_version', '=', eb.selectFrom('catalog_distributions as l').select((e) => e.fn.max('l.release_version').as('v')).whereRef('l.release_name', '=', 'd.release_name')))
    .orderBy('d.table_name')
    .execute();
  const byTable = new Map<string, DistributionRow[]>();
  for (const r of rows) byTable.set(r.catalog_table, [...(byTable.get(r.catalog_table) ?? []), r]);
  return byTable;
}

/** Registers published releases in the catalogue, in one transaction with its audit event. */
export class DistributionService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService }) {}

  async registerRelease(actor: AnyActor, release: ReleaseToRegister): Promise<number> {
    assertCanImportCatalogue(actor);
    return this.deps.db.transaction().execute(async (tx) => {
      const count = await insertDistributions(tx, release, this.deps.clock.now());
      await this.deps.audit.record(tx, { actor, action: 'catalog.distribution_register', target: { type: 'release', id: `${release.name}/${release.version}` }, details: { synthetic: release.synthetic, tables: release.tables.map((t) => t.name) } });
      return count;
    });
  }

  latest(): Promise<Map<string, DistributionRow[]>> {
    return latestDistributions(this.deps.db);
  }
}
