/**
 * The lake on a ClickHouse cluster: a release of the file lake (Parquet + manifest, lake.ts stays
 * the source of truth) is loaded into MergeTree tables on each shard behind Distributed tables.
 *
 * - **Sharded by person.** Each row goes to the shard of its person: `md5 lower 64 bits of the
 *   pseudonym mod shards` (DuckDB `md5_number_lower`, ClickHouse
 *   `reinterpretAsUInt64(substring(MD5(x), 9, 8))` — the same number, so the Distributed table's
 *   sharding key agrees with the loader). A table without a person column follows its anchor (an
 *   outpatient drug line goes where its claim went, a diagnosis where its stay went), so per-person
 *   joins and the extraction's filters run shard-locally. Tables tied to nobody (referentials) are
 *   copied whole to every shard.
 * - **Versions kept, atomic switch.** A release version is loaded into its own tables
 *   (`<name>__v<version>__<TABLE>`), counted on every shard against the manifest, then marked
 *   `ready` and `current` in a small pointer table on every node, and only then the convenience
 *   views (`<database>_current.<TABLE>`) are swapped by RENAME. A load that fails or is interrupted
 *   leaves no pointer: the previous release stays current; its leftovers are dropped by the next
 *   load of that version.
 *
 * The data never goes through SQL text: DuckDB reads the Parquet files and writes one TSV file per
 * shard (ClickHouse 18.16 has no Parquet input), which is streamed into that shard's table.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClickhouseEngine, ClickhouseSession } from '../engine/clickhouse/engine.js';
import { quoteClickhouseIdent as id, quoteClickhouseLiteral as lit } from '../engine/clickhouse/sql.js';
import type { AnalyticsEngine, EngineSession } from '../engine/engine.js';
import { quoteIdent as duckIdent, quoteLiteral as duckLit } from '../engine/engine.js';
import type { Lake, ReleaseManifest } from './lake.js';

/** Where a table's rows go. */
export type TableRouting =
  /** To the shard of the person in `column`. */
  | { kind: 'person'; column: string }
  /** With the rows of `table` (same release) whose `keys` match: [this table's column, anchor's column]. */
  | { kind: 'anchor'; table: string; keys: [string, string][] }
  /** A whole copy on every shard (referentials, small). */
  | { kind: 'copy' };

export interface ClusterColumn {
  name: string;
  /** The lake's (DuckDB) type, restored when data leaves the cluster as Parquet. */
  type: string;
}

export interface ClusterTable {
  name: string;
  rows: number;
  columns: ClusterColumn[];
  routing: TableRouting;
  /** Qualified name to query: the Distributed table, or the local copy for `copy` tables. */
  sql: string;
  /** Qualified name of the table on each shard (what shard-local subqueries read). */
  local: string;
}

export interface ClusterRelease {
  name: string;
  version: number;
  shards: number;
  manifest: ReleaseManifest;
  tables: ClusterTable[];
}

export interface LoadOptions {
  /** Called after each table is loaded and counted (progress; tests interrupt a load here). */
  onTable?: (table: string) => void | Promise<void>;
  /** Make the release current once loaded (default true). */
  switchTo?: boolean;
}

export interface ClickhouseLakeDeps {
  engine: ClickhouseEngine;
  files: Lake;
  /** Reads the Parquet files and writes the per-shard TSV files. */
  duckdb: AnalyticsEngine;
  /** Scratch folder for the TSV files (emptied after each table). */
  workDir: string;
  duckdbMemoryLimit?: string;
  duckdbThreads?: number;
}

const POINTERS = 'hdh_lake_releases';
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SHARD = 'hdh_shard';

export class ClusterLakeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterLakeError';
  }
}

/** ClickHouse column type for a lake (DuckDB) type. Dates and timestamps stay ISO text: see the ADR. */
export function clickhouseType(duckType: string): string {
  const t = duckType.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  const base: Record<string, string> = {
    BOOLEAN: 'UInt8', TINYINT: 'Int8', SMALLINT: 'Int16', INTEGER: 'Int32', BIGINT: 'Int64',
    UTINYINT: 'UInt8', USMALLINT: 'UInt16', UINTEGER: 'UInt32', UBIGINT: 'UInt64', FLOAT: 'Float32', DOUBLE: 'Float64',
  };
  const inner = decimal && Number(decimal[1]) <= 38 ? `Decimal(${decimal[1]}, ${decimal[2]})` : (base[t] ?? 'String');
  return `Nullable(${inner})`;
}

/**
 * How DuckDB writes a column into the TabSeparated text ClickHouse reads (TSV parses about twice as
 * fast as CSV in 18.16, and has one spelling of NULL, `\N`, distinct from the text "\N"): text is
 * escaped the TSV way, so no tab or line break is left raw and DuckDB never needs to quote.
 */
function exportExpression(column: ClusterColumn): string {
  const c = `s.${duckIdent(column.name)}`;
  const type = column.type.toUpperCase();
  if (type === 'BOOLEAN') return `CAST(${c} AS INTEGER)`;
  if (clickhouseType(column.type) !== 'Nullable(String)') return c;
  const text = type === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`;
  // Backslash first, then the bytes TSV (or this writer's quote character, 0x01) would misread.
  const escapes: [string, string][] = [["'\\'", "'\\\\'"], ['chr(9)', "'\\t'"], ['chr(10)', "'\\n'"], ['chr(13)', "'\\r'"], ['chr(0)', "'\\0'"], ['chr(1)', "'\\x01'"]];
  return escapes.reduce((e, [from, to]) => `replace(${e}, ${from}, ${to})`, text);
}

/** The shard of a person value (DuckDB side); the ClickHouse expression below gives the same number. */
const duckShard = (expr: string, shards: number) => `CAST(md5_number_lower(coalesce(CAST(${expr} AS VARCHAR), '')) % ${shards} AS INTEGER)`;
export const clickhouseShardKey = (column: string) => `reinterpretAsUInt64(substring(MD5(ifNull(toString(${id(column)}), '')), 9, 8))`;

export class ClickhouseLake {
  constructor(private readonly deps: ClickhouseLakeDeps) {}

  get database(): string {
    return this.deps.engine.config.database;
  }

  /** Database of the views naming each table of the current releases (`ER_PRS_F`…). */
  get viewsDatabase(): string {
    return `${this.database}_current`;
  }

  private pointers(): string {
    return `${id(this.database)}.${id(POINTERS)}`;
  }

  private tableName(release: { name: string; version: number }, table: string, local: boolean): string {
    return `${release.name}__v${release.version}__${table}${local ? '__local' : ''}`;
  }

  private qualified(name: string): string {
    return `${id(this.database)}.${id(name)}`;
  }

  async init(session: ClickhouseSession): Promise<void> {
    await session.ddl((on) => `CREATE DATABASE IF NOT EXISTS ${id(this.viewsDatabase)}${on}`);
    await session.ddl(
      (on) =>
        `CREATE TABLE IF NOT EXISTS ${this.pointers()}${on} (name String, version UInt32, state String, at UInt64, shards UInt16, manifest String, tables String) ENGINE = MergeTree() ORDER BY (name, version, at)`,
    );
  }

  /** Every loaded version and its last state, read from the entry node. */
  async releases(): Promise<(ClusterRelease & { state: 'ready' | 'current' | 'dropped' })[]> {
    const session = await this.deps.engine.open();
    try {
      // Read on the entry node only (no DDL): the pointer answers even while a shard is down.
      const exists = await session.query(`SELECT count() AS n FROM system.tables WHERE database = ${lit(this.database)} AND name = ${lit(POINTERS)}`);
      if (Number(exists[0]?.n) === 0) return [];
      const rows = await session.query(`SELECT name, version, state, shards, manifest, tables FROM ${this.pointers()} ORDER BY at, version`);
      const last = new Map<string, (typeof rows)[number]>();
      for (const r of rows) last.set(`${String(r.name)}@${Number(r.version)}`, r);
      // "current" is the newest switch of each name; earlier current versions are ready again.
      const currentOf = new Map<string, number>();
      for (const r of rows) if (r.state === 'current') currentOf.set(String(r.name), Number(r.version));
      return [...last.values()].map((r) => {
        const name = String(r.name);
        const version = Number(r.version);
        const state = r.state === 'dropped' ? 'dropped' : currentOf.get(name) === version ? 'current' : 'ready';
        return { name, version, state, shards: Number(r.shards), manifest: JSON.parse(String(r.manifest)) as ReleaseManifest, tables: JSON.parse(String(r.tables)) as ClusterTable[] };
      });
    } finally {
      await session.close();
    }
  }

  /** The current version of each release name (what extractions and views read). */
  async current(): Promise<ClusterRelease[]> {
    return (await this.releases()).filter((r) => r.state === 'current');
  }

  /** Loads one version of a file-lake release into the cluster (idempotent: a loaded version is returned as is). */
  async load(manifest: ReleaseManifest, routing: Record<string, TableRouting>, options: LoadOptions = {}): Promise<ClusterRelease> {
    if (!NAME.test(manifest.name) || !Number.isInteger(manifest.version)) throw new ClusterLakeError(`invalid release ${manifest.name} v${manifest.version}`);
    const existing = (await this.releases()).find((r) => r.name === manifest.name && r.version === manifest.version && r.state !== 'dropped');
    if (existing) {
      if (options.switchTo !== false && existing.state !== 'current') await this.switchTo(existing);
      return existing;
    }
    const session = await this.deps.engine.open();
    const duck = await this.deps.duckdb.open({ memoryLimit: this.deps.duckdbMemoryLimit ?? '2GB', threads: this.deps.duckdbThreads ?? 2, preserveInsertionOrder: false, tempDirectory: path.join(this.deps.workDir, '.spill') });
    fs.mkdirSync(this.deps.workDir, { recursive: true });
    const work = fs.mkdtempSync(path.join(this.deps.workDir, `${manifest.name}-v${manifest.version}-`));
    try {
      await this.init(session);
      await this.dropTables(session, manifest);
      for (const t of manifest.tables) {
        const files = this.deps.files.tableFiles(manifest, t.name)!;
        await duck.run(`CREATE OR REPLACE VIEW ${duckIdent(`src_${t.name}`)} AS SELECT * FROM read_parquet([${files.map(duckLit).join(', ')}])`);
      }
      const tables: ClusterTable[] = [];
      for (const t of loadOrder(manifest, routing)) {
        const columns = (await duck.query(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM ${duckIdent(`src_${t.name}`)})`)).map((r) => ({ name: String(r.name), type: String(r.type) }));
        tables.push(await this.loadTable(session, duck, work, manifest, t, columns, routing));
        await options.onTable?.(t.name);
      }
      const release: ClusterRelease = { name: manifest.name, version: manifest.version, shards: session.shards, manifest, tables: tables.sort((a, b) => a.name.localeCompare(b.name)) };
      await this.mark(session, release, 'ready');
      if (options.switchTo !== false) await this.switchTo(release, session);
      return release;
    } finally {
      await duck.close();
      await session.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  private async loadTable(session: ClickhouseSession, duck: EngineSession, work: string, release: ReleaseManifest, t: { name: string; rows: number }, columns: ClusterColumn[], all: Record<string, TableRouting>): Promise<ClusterTable> {
    const { name, rows } = t;
    const routing = all[name] ?? { kind: 'copy' };
    const shards = session.shards;
    const local = this.tableName(release, name, true);
    const dist = this.tableName(release, name, false);
    const defs = columns.map((c) => `${id(c.name)} ${clickhouseType(c.type)}`).join(', ');
    await session.ddl((on) => `CREATE TABLE ${this.qualified(local)}${on} (${defs}) ENGINE = MergeTree() ORDER BY tuple()`);
    if (routing.kind !== 'copy') {
      const key = routing.kind === 'person' ? clickhouseShardKey(routing.column) : null;
      // Anchored tables have no key of their own: inserting through their Distributed table is refused; only the loader routes them.
      await session.ddl((on) => `CREATE TABLE ${this.qualified(dist)}${on} AS ${this.qualified(local)} ENGINE = Distributed(${id(this.deps.engine.config.cluster)}, ${id(this.database)}, ${id(local)}${key ? `, ${key}` : ''})`);
    }

    const select = columns.map(exportExpression).join(', ');
    let from = `${duckIdent(`src_${name}`)} s`;
    let shardOf: string | null = null;
    if (routing.kind === 'person') shardOf = duckShard(`s.${duckIdent(routing.column)}`, shards);
    if (routing.kind === 'anchor') {
      const anchor = all[routing.table];
      if (anchor?.kind !== 'person' || !release.tables.some((x) => x.name === routing.table)) throw new ClusterLakeError(`${name} follows ${routing.table}, which must be in the same release and routed by a person column`);
      const keys = routing.keys.map(([, theirs]) => duckIdent(theirs)).join(', ');
      // One shard per anchor key (a key shared by two people keeps one); orphans go by their own key.
      from += ` LEFT JOIN (SELECT ${keys}, min(${duckShard(duckIdent(anchor.column), shards)}) AS ${SHARD} FROM ${duckIdent(`src_${routing.table}`)} GROUP BY ${keys}) a ON ${routing.keys.map(([mine, theirs]) => `s.${duckIdent(mine)} = a.${duckIdent(theirs)}`).join(' AND ')}`;
      shardOf = `coalesce(a.${SHARD}, ${duckShard(`concat_ws('|', ${routing.keys.map(([mine]) => `s.${duckIdent(mine)}`).join(', ')})`, shards)})`;
    }
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    // TSV from DuckDB's CSV writer: tab-delimited, NULL as \N, and a quote character (0x01) that
    // escaped text cannot contain, so no value is ever quoted. Shards are fed in parallel.
    const tsv = `FORMAT csv, HEADER false, DELIMITER '\t', QUOTE '\x01', ESCAPE '\x01', NULLSTR '\\N'`;
    if (shardOf) {
      await duck.run(`COPY (SELECT ${select}, ${shardOf} AS ${SHARD} FROM ${from}) TO ${duckLit(dir)} (${tsv}, PARTITION_BY (${SHARD}), OVERWRITE_OR_IGNORE true)`);
      await Promise.all(
        Array.from({ length: shards }, async (_, shard) => {
          for (const file of dataFiles(path.join(dir, `${SHARD}=${shard}`))) await this.send(session, shard, local, file);
        }),
      );
    } else {
      const file = path.join(dir, 'all.tsv');
      await duck.run(`COPY (SELECT ${select} FROM ${from}) TO ${duckLit(file)} (${tsv})`);
      await Promise.all(Array.from({ length: shards }, (_, shard) => this.send(session, shard, local, file)));
    }
    fs.rmSync(dir, { recursive: true, force: true });

    // Counted on every shard: the cluster holds what the manifest says, or the load fails.
    const counts: number[] = [];
    for (let shard = 0; shard < shards; shard++) counts.push(Number((await session.queryOnNode(shard, `SELECT count() AS n FROM ${this.qualified(local)}`))[0]?.n ?? -1));
    const total = routing.kind === 'copy' ? counts[0]! : counts.reduce((a, b) => a + b, 0);
    if (total !== rows || (routing.kind === 'copy' && counts.some((c) => c !== rows))) {
      throw new ClusterLakeError(`${name}: the cluster holds ${counts.join(' + ')} rows, the release ${rows}`);
    }
    return { name, rows, columns, routing, sql: this.qualified(routing.kind === 'copy' ? local : dist), local: this.qualified(local) };
  }

  /** Streams one TSV file into a shard's table. */
  private async send(session: ClickhouseSession, shard: number, table: string, file: string): Promise<void> {
    await session.insertText(shard, `${this.database}.${table}`, 'TabSeparated', fs.createReadStream(file, { highWaterMark: 1 << 20 }));
  }

  /** Marks the version current on every node, then swaps the views of its tables (RENAME per node). */
  async switchTo(release: Pick<ClusterRelease, 'name' | 'version' | 'shards' | 'manifest' | 'tables'>, open?: ClickhouseSession): Promise<void> {
    const session = open ?? (await this.deps.engine.open());
    try {
      await this.init(session);
      await this.mark(session, release, 'current');
      const view = (name: string) => `${id(this.viewsDatabase)}.${id(name)}`;
      await session.ddlSteps(async (exec, on) => {
        for (const t of release.tables) {
          await exec(`DROP TABLE IF EXISTS ${view(`${t.name}__next`)}${on}`);
          await exec(`DROP TABLE IF EXISTS ${view(`${t.name}__old`)}${on}`);
          await exec(`CREATE VIEW ${view(`${t.name}__next`)}${on} AS SELECT * FROM ${t.sql}`);
          await exec(`CREATE VIEW IF NOT EXISTS ${view(t.name)}${on} AS SELECT * FROM ${t.sql}`);
        }
        // One RENAME per node for all the release's views: readers see the old set or the new one.
        await exec(`RENAME TABLE ${release.tables.map((t) => `${view(t.name)} TO ${view(`${t.name}__old`)}, ${view(`${t.name}__next`)} TO ${view(t.name)}`).join(', ')}${on}`);
        for (const t of release.tables) await exec(`DROP TABLE IF EXISTS ${view(`${t.name}__old`)}${on}`);
      });
    } finally {
      if (!open) await session.close();
    }
  }

  /** Drops a version that is not current (its tables and its pointer). */
  async drop(name: string, version: number): Promise<void> {
    const found = (await this.releases()).find((r) => r.name === name && r.version === version);
    if (!found || found.state === 'dropped') return;
    if (found.state === 'current') throw new ClusterLakeError(`${name} v${version} is current: switch to another version first`);
    const session = await this.deps.engine.open();
    try {
      await this.mark(session, found, 'dropped');
      await this.dropTables(session, found.manifest);
    } finally {
      await session.close();
    }
  }

  private async mark(session: ClickhouseSession, release: Pick<ClusterRelease, 'name' | 'version' | 'shards' | 'manifest' | 'tables'>, state: 'ready' | 'current' | 'dropped'): Promise<void> {
    const values = [release.name, release.version, state, Date.now(), release.shards, JSON.stringify(release.manifest), JSON.stringify(release.tables)].map(lit).join(', ');
    // One row per node, each insert atomic: a node shows the old pointer or the new one.
    for (let node = 0; node < session.shards; node++) await session.runOnNode(node, `INSERT INTO ${this.pointers()} (name, version, state, at, shards, manifest, tables) VALUES (${values})`);
  }

  private async dropTables(session: ClickhouseSession, release: { name: string; version: number }): Promise<void> {
    const prefix = `${release.name}__v${release.version}__`;
    for (let node = 0; node < session.shards; node++) {
      const names = await session.queryOnNode(node, `SELECT name FROM system.tables WHERE database = ${lit(this.database)} AND startsWith(name, ${lit(prefix)})`);
      // Distributed tables first: they read the local ones.
      for (const r of names.sort((a, b) => Number(String(a.name).endsWith('__local')) - Number(String(b.name).endsWith('__local')))) {
        await session.runOnNode(node, `DROP TABLE IF EXISTS ${this.qualified(String(r.name))}`);
      }
    }
  }
}

/** Tables whose rows follow an anchor come after it; the rest keep the manifest's order. */
function loadOrder(manifest: ReleaseManifest, routing: Record<string, TableRouting>): { name: string; rows: number }[] {
  const rank = (name: string) => (routing[name]?.kind === 'anchor' ? 1 : 0);
  return [...manifest.tables].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

function dataFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.csv') || f.endsWith('.tsv'))
    .sort()
    .map((f) => path.join(dir, f));
}
