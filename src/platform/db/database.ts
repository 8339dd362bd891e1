/**
 * Opens the metadata store: PGlite (embedded PostgreSQL, in the data directory) by default, or a
 * PostgreSQL server when HDH_DATABASE_URL is set. Both go through node-postgres and Kysely's
 * PostgresDialect, so every query, migration and type conversion follows one code path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Tables } from './tables.js';

export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;
/** Either the database or an open transaction: repos accept both. */
export type Executor = Db | Tx;

// One representation on both stores: int8 as number (sequence numbers stay far below 2^53),
// DATE as its ISO string (a calendar day has no time zone).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** Extensions opened with every PGlite instance (PGlite needs them at each open). */
export const pgliteExtensions = { pg_trgm, unaccent };

export interface OpenedDatabase {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Embedded store only: the PGlite instance (tests dump and load it as a template). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

export interface OpenOptions {
  /** PostgreSQL URL; when absent the embedded store is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded store; `memory://` for an in-memory one. */
  pgliteDir?: string;
  /** Embedded store only: start from this dump instead of an empty cluster (tests). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.pgliteDir ?? 'memory://', options.loadDataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<OpenedDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at HDH_DATABASE_URL (${redactUrl(url)}): ${detail}`,
      { cause },
    );
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPglite(dir: string, loadDataDir?: Blob): Promise<OpenedDatabase> {
  const inMemory = dir.startsWith('memory://');
  const releaseLock = inMemory ? () => undefined : acquireDirLock(dir);
  let lite: PGlite;
  try {
    lite = await PGlite.create({
      ...(inMemory ? {} : { dataDir: dir }),
      ...(loadDataDir ? { loadDataDir } : {}),
      extensions: pgliteExtensions,
    });
  } catch (cause) {
    releaseLock();
    throw new DatabaseUnavailableError(`Cannot open the embedded database in ${dir}`, { cause });
  }
  // node-postgres over PGlite: pool of one, since PGlite has one connection.
  const pool = new pg.Pool(createPgConfig(lite));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    pglite: lite,
    async close() {
      await db.destroy();
      await lite.close();
      releaseLock();
    },
  };
}

/**
 * Two processes on one PGlite folder silently lose commits: the folder is held by a lock file
 * with the owner's pid. A lock left by a dead process is taken over.
 */
function acquireDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, '..', `${path.basename(dir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseUnavailableError(
          `The embedded database ${dir} is in use by process ${owner} (lock ${lockPath}). ` +
            'Stop that process, or point HDH_DATA_DIR elsewhere.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseUnavailableError(`Could not lock the embedded database ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Server version, for /api/health and the benchmark report. */
export async function databaseVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ v: string }>`select version() as v`.execute(db);
  return rows[0]?.v ?? 'unknown';
}
