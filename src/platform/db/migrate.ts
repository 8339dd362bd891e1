/**
 * Forward-only migrations, one change per file in ./migrations (NNNN_name.ts, listed in migrations/index.ts), the same on
 * PGlite and PostgreSQL. Number ranges keep rooms apart: 0001–0099 foundation, 0100–0199
 * catalogue, 0200–0299 synthetic data and lake, 0300–0399 projects, 0400+ later rooms.
 */
import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'hdh_migration',
    migrationLockTableName: 'hdh_migration_lock',
    // Rooms own number ranges and land in any order: a new catalogue migration (01xx) must still
    // apply to a store that already ran the projects ones (03xx). Each runs once, in name order.
    allowUnorderedMigrations: true,
  });
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const detail = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${detail}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
