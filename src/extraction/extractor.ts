/**
 * Turns an extraction plan into Parquet files, streaming in one DuckDB session (memory bounded by
 * its limit, spilling to the draft's folder):
 *
 * 1. views over the lake files of every planned table;
 * 2. on opposition (PR-01): the opted-out lake pseudonyms, widened to every identifier of the same
 *    person (a beneficiary row ties BEN_NIR_PSA, BEN_NIR_ANO and BEN_IDT_ANO together), then each
 *    table keeps the rows none of whose own identifiers is excluded — or, without identifiers,
 *    the rows that follow a kept row of its anchor;
 * 3. the period, by row where the plan says so;
 * 4. every distinct identifier value to deliver is hashed once with the project key (DP-03) and
 *    joined back; SNDS placeholders (xxx…, XXX…D/S) identify no one and stay as they are;
 * 5. one ZSTD Parquet file per table.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Pseudonymiser } from '../platform/crypto/pseudonym.js';
import { quoteIdent as q, quoteLiteral as lit, type EngineSession } from '../platform/engine/engine.js';
import { sha256File } from '../platform/lake/lake.js';
import type { ExtractionPlan, PeriodRule, PlannedTable } from './plan.js';
import type { ExtractTableManifest } from './schema.js';

export interface ExtractorInput {
  plan: ExtractionPlan;
  session: EngineSession;
  pseudonymiser: Pseudonymiser;
  /** Lake pseudonyms of people who opposed; null when opposition does not apply (PR-02). */
  optedOut: string[] | null;
  period: { from: string; to: string };
  /** The draft folder the files go to. */
  outDir: string;
  /** Distinct identifiers hashed per batch (memory of the Node side). */
  batchSize?: number;
}

export interface ExtractorOutput {
  tables: ExtractTableManifest[];
  personsExcluded: number;
  totalRows: number;
  /** Distinct identifier values re-pseudonymised. */
  identifiers: number;
}

const PLACEHOLDER = `'^[xX]+[DS]?$'`;
const src = (i: number) => `hdh_src_${i}`;
const kept = (i: number) => `hdh_kept_${i}`;

function periodCondition(rule: PeriodRule | null, period: { from: string; to: string }): string | null {
  if (!rule || rule.kind === 'year_in_name') return null;
  const from = `DATE ${lit(period.from)}`;
  const to = `DATE ${lit(period.to)}`;
  if (rule.kind === 'within') return `CAST(s.${q(rule.column)} AS DATE) BETWEEN ${from} AND ${to}`;
  // In force during the period; the SNDS writes an open end as empty or 1600-01-01.
  const end = `CAST(s.${q(rule.end)} AS DATE)`;
  return `CAST(s.${q(rule.start)} AS DATE) <= ${to} AND (${end} IS NULL OR ${end} >= ${from} OR ${end} = DATE '1600-01-01')`;
}

export function describePeriod(t: PlannedTable, filtered: boolean): string {
  const r = t.period;
  if (r?.kind === 'year_in_name') return `year ${r.year} (table of that year)`;
  if (r?.kind === 'within') return `${r.column} within the period`;
  if (r?.kind === 'overlaps') return `${r.start}..${r.end} overlapping the period`;
  if (t.anchor && filtered) return `follows ${t.anchor.table}`;
  return 'none (not dated)';
}

export function describePersonFilter(t: PlannedTable, opposition: boolean): string {
  if (!opposition) return 'none (opposition does not apply)';
  if (t.personColumns.length) return `own identifiers: ${t.personColumns.join(', ')}`;
  if (t.anchor) return `follows ${t.anchor.table} on ${t.anchor.keys.map(([a, b]) => (a === b ? a : `${a}=${b}`)).join(', ')}`;
  return 'none (no person in this table)';
}

export async function runExtraction(input: ExtractorInput): Promise<ExtractorOutput> {
  const { plan, session, optedOut, period } = input;
  const all = [...new Map([...plan.tables, ...plan.closureTables].map((t) => [t.name, t])).values()];
  const index = new Map(all.map((t, i) => [t.name, i]));
  for (const t of all) await session.run(`CREATE OR REPLACE VIEW ${src(index.get(t.name)!)} AS SELECT * FROM read_parquet([${t.files.map(lit).join(', ')}])`);

  let personsExcluded = 0;
  if (optedOut) {
    await session.run('CREATE OR REPLACE TABLE hdh_optout (id VARCHAR)');
    for (let i = 0; i < optedOut.length; i += 50_000) await session.append('hdh_optout', optedOut.slice(i, i + 50_000).map((v) => [v]));
    await session.run('CREATE OR REPLACE TABLE hdh_excluded AS SELECT DISTINCT id FROM hdh_optout WHERE id IS NOT NULL');
    // Widen to every identifier of an excluded person, until nothing new comes in.
    for (let pass = 0; pass < 5; pass++) {
      let added = 0;
      for (const t of plan.closureTables) {
        const cols = t.personColumns.map((c) => `CAST(s.${q(c)} AS VARCHAR)`);
        const rows = await session.query(`INSERT INTO hdh_excluded SELECT DISTINCT v FROM (SELECT unnest([${cols.join(', ')}]) AS v FROM ${src(index.get(t.name)!)} s WHERE ${cols.map((c) => `${c} IN (SELECT id FROM hdh_excluded)`).join(' OR ')}) WHERE v IS NOT NULL AND v NOT IN (SELECT id FROM hdh_excluded)`);
        added += Number(Object.values(rows[0] ?? {})[0] ?? 0);
      }
      if (added === 0) break;
    }
    const seenIn = all.filter((t) => t.personColumns.length).flatMap((t) => t.personColumns.map((c) => `SELECT CAST(${q(c)} AS VARCHAR) AS v FROM ${src(index.get(t.name)!)}`));
    if (seenIn.length) {
      // The data streams past the (small) opposition list, which is the side held in memory.
      const found = await session.query(`SELECT count(DISTINCT u.v) AS n FROM (${seenIn.join(' UNION ALL ')}) u WHERE u.v IN (SELECT id FROM hdh_optout)`);
      personsExcluded = Number(found[0]?.n ?? 0);
    }
  }

  // Kept rows of each table, anchors first (plan order).
  const filtered = new Map<string, boolean>();
  const ownConditions = new Map<string, string[]>();
  for (const t of plan.tables) {
    const i = index.get(t.name)!;
    const conditions: string[] = [];
    const own = periodCondition(t.period, period);
    if (own) conditions.push(own);
    if (optedOut) for (const c of t.personColumns) conditions.push(`(s.${q(c)} IS NULL OR CAST(s.${q(c)} AS VARCHAR) NOT IN (SELECT id FROM hdh_excluded))`);
    ownConditions.set(t.name, conditions);
    let from = `${src(i)} s`;
    let follows = false;
    if (t.anchor && filtered.get(t.anchor.table) === true) {
      follows = true;
      const anchor = plan.tables.find((x) => x.name === t.anchor!.table)!;
      const on = (alias: string) => t.anchor!.keys.map(([mine, theirs]) => `s.${q(mine)} = ${alias}.${q(theirs)}`).join(' AND ');
      const unique = anchor.primaryKey.length > 0 && anchor.primaryKey.every((k) => t.anchor!.keys.some(([, theirs]) => theirs === k));
      if (!anchor.anchor && unique) {
        // Few rows are removed (opposition, or dates outside the period): the child drops the rows of
        // the removed parents, a small hash table, rather than matching every kept parent row.
        const conds = ownConditions.get(anchor.name)!;
        const removed = `(SELECT ${t.anchor.keys.map(([, theirs]) => `s.${q(theirs)}`).join(', ')} FROM ${src(index.get(anchor.name)!)} s WHERE NOT coalesce(${conds.join(' AND ')}, false))`;
        const n = Number((await session.query(`SELECT count(*) AS n FROM ${removed}`))[0]?.n ?? 0);
        if (n === 0) follows = false;
        else from += ` ANTI JOIN ${removed} r ON ${on('r')}`;
      } else {
        from += ` SEMI JOIN ${kept(index.get(anchor.name)!)} a ON ${on('a')}`;
      }
    }
    filtered.set(t.name, conditions.length > 0 || follows);
    await session.run(`CREATE OR REPLACE VIEW ${kept(i)} AS SELECT s.* FROM ${from}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`);
  }

  // One hash per distinct identifier delivered, joined back.
  const outputs = plan.tables.filter((t) => t.output);
  const idSources = outputs.flatMap((t) => t.pseudonymised.map((c) => `SELECT CAST(${q(c)} AS VARCHAR) AS v FROM ${kept(index.get(t.name)!)}`));
  await session.run('CREATE OR REPLACE TABLE hdh_pseudonyms (v VARCHAR, p VARCHAR)');
  let identifiers = 0;
  if (idSources.length) {
    // Numbered, so batches are read by range while the pseudonyms are appended on the same connection.
    await session.run(`CREATE OR REPLACE TABLE hdh_ids AS SELECT row_number() OVER () AS n, v FROM (SELECT DISTINCT v FROM (${idSources.join(' UNION ALL ')}) WHERE v IS NOT NULL AND NOT regexp_full_match(v, ${PLACEHOLDER}))`);
    const total = Number((await session.query('SELECT count(*) AS n FROM hdh_ids'))[0]?.n ?? 0);
    const batch = input.batchSize ?? 100_000;
    for (let lo = 0; lo < total; lo += batch) {
      const values = (await session.query(`SELECT v FROM hdh_ids WHERE n > ${lo} AND n <= ${lo + batch}`)).map((r) => String(r.v));
      const hashed = input.pseudonymiser.pseudonymise(values);
      await session.append('hdh_pseudonyms', values.map((v, j) => [v, hashed[j]!]));
      identifiers += values.length;
    }
    // Every identifier delivered must have its project pseudonym, or it would come out empty.
    const missing = Number((await session.query('SELECT count(*) AS n FROM hdh_ids i ANTI JOIN hdh_pseudonyms p USING (v)'))[0]?.n ?? 0);
    if (missing !== 0 || identifiers !== total) throw new Error(`re-pseudonymisation incomplete: ${missing} identifier(s) without a pseudonym`);
    await session.run('DROP TABLE hdh_ids');
  }

  const tables: ExtractTableManifest[] = [];
  let totalRows = 0;
  for (const t of outputs) {
    const i = index.get(t.name)!;
    const joins: string[] = [];
    const select = t.columns.map((c) => {
      if (!t.pseudonymised.includes(c)) return `k.${q(c)}`;
      const m = `m${joins.length}`;
      const v = `CAST(k.${q(c)} AS VARCHAR)`;
      joins.push(`LEFT JOIN hdh_pseudonyms ${m} ON ${m}.v = ${v}`);
      return `CASE WHEN ${v} IS NULL THEN NULL WHEN regexp_full_match(${v}, ${PLACEHOLDER}) THEN ${v} ELSE ${m}.p END AS ${q(c)}`;
    });
    const dir = path.join(input.outDir, t.name);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'part-00000.parquet');
    const copied = await session.query(`COPY (SELECT ${select.join(', ')} FROM ${kept(i)} k ${joins.join(' ')}) TO ${lit(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
    const rows = Number(Object.values(copied[0] ?? {})[0] ?? 0);
    const columns = (await session.query(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM read_parquet(${lit(file)}))`)).map((r) => ({ name: String(r.name), type: String(r.type) }));
    fs.chmodSync(file, 0o444);
    const personFilter = describePersonFilter(t, !!optedOut);
    tables.push({
      name: t.name, source: { release: t.release.name, version: t.release.version, table: t.name }, rows, columns,
      pseudonymisedColumns: t.pseudonymised, personFilter, periodFilter: describePeriod(t, filtered.get(t.anchor?.table ?? '') === true),
      files: [{ path: `${t.name}/part-00000.parquet`, rows, bytes: fs.statSync(file).size, sha256: sha256File(file) }],
    });
    totalRows += rows;
  }
  tables.sort((a, b) => a.name.localeCompare(b.name));
  return { tables, personsExcluded, totalRows, identifiers };
}
