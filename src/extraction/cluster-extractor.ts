/**
 * The extraction of a plan on the ClickHouse cluster — same plan, same rules, same output as the
 * DuckDB extractor (extractor.ts), with the work done where the rows are:
 *
 * 1. opposition (PR-01): the opted-out lake pseudonyms are copied to every shard; they are widened
 *    to every identifier of the same person through the tables that tie identifiers together
 *    (small results gathered here and copied back), until nothing new comes in;
 * 2. each table's kept rows are a WHERE on its shard-local table: the period, the opposition, and
 *    for a table that follows an anchor, its anchor's rows on the same shard (the lake put each
 *    row with its anchor — cluster-routing.ts; else the anchor is read through its Distributed table);
 * 3. each shard's distinct identifiers to deliver are streamed here, hashed with the project key
 *    (DP-03) in batches and loaded back into that shard as a Join table: one `joinGet` per value;
 * 4. each shard's rows of a table are exported as CSV (the server answers only once the query has
 *    finished, so a failure is never half a file), and DuckDB writes the one ZSTD Parquet file of
 *    the table with the lake's column types restored.
 *
 * Work tables are named `hdh_x_<run>_…` in the hub's database on every node and dropped at the end.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pseudonymiser } from '../platform/crypto/pseudonym.js';
import type { ClickhouseSession } from '../platform/engine/clickhouse/engine.js';
import { quoteClickhouseIdent as q, quoteClickhouseLiteral as lit, tsvRow } from '../platform/engine/clickhouse/sql.js';
import { quoteIdent, quoteLiteral, type AnalyticsEngine } from '../platform/engine/engine.js';
import type { ClusterTable } from '../platform/lake/clickhouse-lake.js';
import { sha256File } from '../platform/lake/lake.js';
import { describePeriod, describePersonFilter, type ExtractorOutput } from './extractor.js';
import type { ExtractionPlan, PeriodRule, PlannedTable } from './plan.js';
import type { ExtractTableManifest } from './schema.js';

export interface ClusterExtractorInput {
  plan: ExtractionPlan;
  /** The cluster's tables of the planned release versions, by lake table name. */
  tables: ReadonlyMap<string, ClusterTable>;
  session: ClickhouseSession;
  /** Writes the Parquet files. */
  duckdb: AnalyticsEngine;
  pseudonymiser: Pseudonymiser;
  optedOut: string[] | null;
  period: { from: string; to: string };
  outDir: string;
  batchSize?: number;
  memoryLimit?: string;
  threads?: number;
}

const PLACEHOLDER = lit('^[xX]+[DS]?$');
const text = (c: string) => `toString(${q(c)})`;
/** The date part of a DATE, TIMESTAMP or ISO text column (the lake keeps them as ISO text on the cluster). */
const day = (c: string) => `substring(${text(c)}, 1, 10)`;

function periodCondition(rule: PeriodRule | null, period: { from: string; to: string }): string | null {
  if (!rule || rule.kind === 'year_in_name') return null;
  const from = lit(period.from);
  const to = lit(period.to);
  if (rule.kind === 'within') return `${day(rule.column)} BETWEEN ${from} AND ${to}`;
  // In force during the period; the SNDS writes an open end as empty or 1600-01-01.
  return `${day(rule.start)} <= ${to} AND (isNull(${q(rule.end)}) OR ${day(rule.end)} >= ${from} OR ${day(rule.end)} = '1600-01-01')`;
}

export async function runClusterExtraction(input: ClusterExtractorInput): Promise<ExtractorOutput> {
  const { plan, session, optedOut, period } = input;
  const run = crypto.randomBytes(6).toString('hex');
  const db = session.database;
  const work = (what: string) => `hdh_x_${run}_${what}`;
  const qualified = (name: string) => `${q(db)}.${q(name)}`;
  const nodes = Array.from({ length: session.shards }, (_, i) => i);
  const all = [...new Map([...plan.tables, ...plan.closureTables].map((t) => [t.name, t])).values()];
  const cluster = (t: PlannedTable): ClusterTable => {
    const found = input.tables.get(t.name);
    if (!found) throw new Error(`${t.name} (${t.release.name} v${t.release.version}) is not loaded on the cluster`);
    return found;
  };
  // A copied table is whole on every shard: read once, on the first.
  const nodesOf = (t: PlannedTable) => (cluster(t).routing.kind === 'copy' ? [0] : nodes);
  const onNodes = <T>(list: number[], fn: (node: number) => Promise<T>) => Promise.all(list.map(fn));

  await dropStale(session);
  await session.ddlSteps(async (exec, on) => {
    await exec(`CREATE TABLE ${qualified(work('optout'))}${on} (id String) ENGINE = Memory`);
    await exec(`CREATE TABLE ${qualified(work('excluded'))}${on} (id String) ENGINE = Memory`);
    await exec(`CREATE TABLE ${qualified(work('pseudonyms'))}${on} (v String, p String) ENGINE = Join(ANY, LEFT, v)`);
  });
  const workDir = path.join(input.outDir, '.cluster-parts');
  try {
    const toEveryNode = async (table: string, values: Iterable<string>) => {
      const rows = [...values].map((v) => [v]);
      if (rows.length) await onNodes(nodes, (node) => session.insertText(node, `${db}.${table}`, 'TabSeparated', Readable.from(tsvChunks(rows))));
    };
    const excludedSql = `(SELECT id FROM ${qualified(work('excluded'))})`;

    let personsExcluded = 0;
    if (optedOut) {
      const excluded = new Set(optedOut);
      await toEveryNode(work('optout'), excluded);
      await toEveryNode(work('excluded'), excluded);
      // Widen to every identifier of an excluded person, until nothing new comes in.
      for (let pass = 0; pass < 5; pass++) {
        const added = new Set<string>();
        for (const t of plan.closureTables) {
          const cols = t.personColumns.map(text);
          const sql = `SELECT DISTINCT v FROM (SELECT arrayJoin([${cols.join(', ')}]) AS v FROM ${cluster(t).local} WHERE ${cols.map((c) => `${c} IN ${excludedSql}`).join(' OR ')}) WHERE isNotNull(v) AND v NOT IN ${excludedSql}`;
          for (const rows of await onNodes(nodesOf(t), (node) => session.queryOnNode(node, sql))) for (const r of rows) if (!excluded.has(String(r.v))) added.add(String(r.v));
        }
        if (added.size === 0) break;
        for (const v of added) excluded.add(v);
        await toEveryNode(work('excluded'), added);
      }
      const seenIn = all.filter((t) => t.personColumns.length);
      const found = new Set<string>();
      for (const t of seenIn) {
        const sql = `SELECT DISTINCT v FROM (${t.personColumns.map((c) => `SELECT ${text(c)} AS v FROM ${cluster(t).local} WHERE ${text(c)} IN (SELECT id FROM ${qualified(work('optout'))})`).join(' UNION ALL ')})`;
        for (const rows of await onNodes(nodesOf(t), (node) => session.queryOnNode(node, sql))) for (const r of rows) found.add(String(r.v));
      }
      personsExcluded = found.size;
    }

    // Kept rows of each table: a WHERE on its shard-local table (anchors first: plan order).
    const filtered = new Map<string, boolean>();
    const own = new Map<string, string[]>();
    const where = new Map<string, string[]>();
    for (const t of plan.tables) {
      const conditions: string[] = [];
      const p = periodCondition(t.period, period);
      if (p) conditions.push(p);
      if (optedOut) for (const c of t.personColumns) conditions.push(`(isNull(${q(c)}) OR ${text(c)} NOT IN ${excludedSql})`);
      own.set(t.name, [...conditions]);
      let follows = false;
      if (t.anchor && filtered.get(t.anchor.table) === true) {
        follows = true;
        const anchor = plan.tables.find((x) => x.name === t.anchor!.table)!;
        const mine = t.anchor.keys.map(([m]) => q(m)).join(', ');
        const theirs = t.anchor.keys.map(([, th]) => q(th)).join(', ');
        const routing = cluster(t).routing;
        const colocated = routing.kind === 'anchor' && routing.table === anchor.name && cluster(anchor).routing.kind !== 'copy';
        const source = colocated ? cluster(anchor).local : cluster(anchor).sql;
        const unique = anchor.primaryKey.length > 0 && anchor.primaryKey.every((k) => t.anchor!.keys.some(([, th]) => th === k));
        if (!anchor.anchor && unique) {
          // As the DuckDB extractor: drop the children of the (few) removed anchor rows.
          const removed = `NOT coalesce(${own.get(anchor.name)!.join(' AND ')}, 0)`;
          const n = Number((await session.query(`SELECT count() AS n FROM ${cluster(anchor).sql} WHERE ${removed}`))[0]?.n ?? 0);
          if (n === 0) follows = false;
          else conditions.push(`(${mine}) NOT IN (SELECT ${theirs} FROM ${source} WHERE ${removed})`);
        } else {
          const kept = where.get(anchor.name)!;
          conditions.push(`(${mine}) IN (SELECT ${theirs} FROM ${source}${kept.length ? ` WHERE ${kept.join(' AND ')}` : ''})`);
        }
      }
      filtered.set(t.name, own.get(t.name)!.length > 0 || follows);
      where.set(t.name, conditions);
    }
    // The filter runs in a subquery: ClickHouse lets a SELECT alias shadow a column in WHERE, and the
    // pseudonym is aliased to its column's name (the opposition would then test the project pseudonym).
    const kept = (t: PlannedTable, select: string) => `SELECT ${select} FROM (SELECT * FROM ${cluster(t).local}${where.get(t.name)!.length ? ` WHERE ${where.get(t.name)!.join(' AND ')}` : ''})`;

    // One pseudonym per distinct identifier of each shard, hashed here and joined there.
    const outputs = plan.tables.filter((t) => t.output);
    const batch = input.batchSize ?? 100_000;
    const idsOn = (node: number) => {
      const sources = outputs.filter((t) => nodesOf(t).includes(node)).flatMap((t) => t.pseudonymised.map((c) => kept(t, `${text(c)} AS v`)));
      return sources.length ? `SELECT DISTINCT v FROM (${sources.join(' UNION ALL ')}) WHERE isNotNull(v) AND NOT match(v, ${PLACEHOLDER})` : null;
    };
    let identifiers = 0;
    await onNodes(nodes, async (node) => {
      const sql = idsOn(node);
      if (!sql) return;
      let values: string[] = [];
      const flush = async () => {
        const hashed = input.pseudonymiser.pseudonymise(values);
        await session.insertText(node, `${db}.${work('pseudonyms')}`, 'TabSeparated', Readable.from(tsvChunks(values.map((v, j) => [v, hashed[j]!]))));
        values = [];
      };
      for await (const rows of session.streamOn(node, sql)) {
        for (const r of rows) values.push(String(r.v));
        if (values.length >= batch) await flush();
      }
      if (values.length) await flush();
      // Every identifier delivered must have its project pseudonym, or it would come out empty.
      // (joinGet gets a non-Nullable key: 18.16 crashes on a Nullable one.)
      const missing = Number((await session.queryOnNode(node, `SELECT count() AS n FROM (${sql}) WHERE joinGet(${lit(work('pseudonyms'))}, 'p', assumeNotNull(v)) = ''`))[0]?.n ?? 0);
      if (missing !== 0) throw new Error(`re-pseudonymisation incomplete on shard ${node + 1}: ${missing} identifier(s) without a pseudonym`);
    });
    const everywhere = outputs.flatMap((t) => t.pseudonymised.map((c) => `SELECT ${text(c)} AS v FROM ${cluster(t).sql}${where.get(t.name)!.length ? ` WHERE ${where.get(t.name)!.join(' AND ')}` : ''}`));
    if (everywhere.length) identifiers = Number((await session.query(`SELECT uniqExact(v) AS n FROM (${everywhere.join(' UNION ALL ')}) WHERE isNotNull(v) AND NOT match(v, ${PLACEHOLDER})`))[0]?.n ?? 0);

    const duck = await input.duckdb.open({ memoryLimit: input.memoryLimit ?? '1GB', threads: input.threads ?? 2, tempDirectory: path.join(workDir, '.spill'), preserveInsertionOrder: false });
    const tables: ExtractTableManifest[] = [];
    let totalRows = 0;
    try {
      for (const t of outputs) {
        const ct = cluster(t);
        const select = t.columns.map((c) =>
          t.pseudonymised.includes(c) ? `multiIf(isNull(${q(c)}), NULL, match(${text(c)}, ${PLACEHOLDER}), ${text(c)}, joinGet(${lit(work('pseudonyms'))}, 'p', ifNull(${text(c)}, ''))) AS ${q(c)}` : q(c),
        );
        const parts = path.join(workDir, t.name);
        fs.mkdirSync(parts, { recursive: true });
        const files = await onNodes(nodesOf(t), async (node) => {
          const file = path.join(parts, `shard-${node + 1}.csv`);
          const { body, done } = await session.exportText(node, kept(t, select.join(', ')), 'CSVWithNames');
          try {
            await pipeline(body, fs.createWriteStream(file));
          } finally {
            done();
          }
          return file;
        });
        const types = new Map(ct.columns.map((c) => [c.name, c.type]));
        const cast = t.columns.map((c) => (t.pseudonymised.includes(c) ? quoteIdent(c) : `CAST(${quoteIdent(c)} AS ${types.get(c) ?? 'VARCHAR'}) AS ${quoteIdent(c)}`));
        const dir = path.join(input.outDir, t.name);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, 'part-00000.parquet');
        const csv = `read_csv([${files.map(quoteLiteral).join(', ')}], header = true, all_varchar = true, nullstr = '\\N', allow_quoted_nulls = false, quote = '"', escape = '"', delim = ',')`;
        const copied = await duck.query(`COPY (SELECT ${cast.join(', ')} FROM ${csv}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
        fs.rmSync(parts, { recursive: true, force: true });
        const rows = Number(Object.values(copied[0] ?? {})[0] ?? 0);
        const columns = (await duck.query(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)}))`)).map((r) => ({ name: String(r.name), type: String(r.type) }));
        fs.chmodSync(file, 0o444);
        tables.push({
          name: t.name, source: { release: t.release.name, version: t.release.version, table: t.name }, rows, columns,
          pseudonymisedColumns: t.pseudonymised, personFilter: describePersonFilter(t, !!optedOut), periodFilter: describePeriod(t, filtered.get(t.anchor?.table ?? '') === true),
          files: [{ path: `${t.name}/part-00000.parquet`, rows, bytes: fs.statSync(file).size, sha256: sha256File(file) }],
        });
        totalRows += rows;
      }
    } finally {
      await duck.close();
    }
    tables.sort((a, b) => a.name.localeCompare(b.name));
    return { tables, personsExcluded, totalRows, identifiers };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    await session.ddlSteps(async (exec, on) => {
      for (const w of ['optout', 'excluded', 'pseudonyms']) await exec(`DROP TABLE IF EXISTS ${qualified(work(w))}${on}`).catch(() => undefined);
    });
  }
}

/** Work tables of runs that crashed (older than a day) are dropped; a running extraction's are recent. */
async function dropStale(session: ClickhouseSession): Promise<void> {
  for (let node = 0; node < session.shards; node++) {
    const stale = await session.queryOnNode(node, `SELECT name FROM system.tables WHERE database = ${lit(session.database)} AND startsWith(name, 'hdh_x_') AND metadata_modification_time < now() - 86400`);
    for (const r of stale) await session.runOnNode(node, `DROP TABLE IF EXISTS ${q(session.database)}.${q(String(r.name))}`);
  }
}

function* tsvChunks(rows: readonly (readonly (string | null)[])[]): Generator<string> {
  let buf = '';
  for (const row of rows) {
    buf += tsvRow(row);
    if (buf.length >= 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
