/**
 * Probabilistic linkage — appariement probabiliste (Fellegi–Sunter) of a source without NIR to a
 * reference with NIR, run by the hub as trusted third party. One DuckDB session does the heavy
 * lifting (blocking joins, comparison levels, weights, one-to-one resolution); TypeScript runs
 * EM over the distinct comparison patterns. The identity traits live only in that session and
 * its spill folder under the run's working folder, which the caller deletes afterwards.
 *
 * Output: a lake release with one table, LINKAGE(pseudonym, source_record_id, match_weight,
 * match_probability), published atomically; and a quality report (counts, model, histogram).
 */
import path from 'node:path';
import type { AnalyticsEngine, EngineSession } from '../platform/engine/engine.js';
import { quoteLiteral } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import type { Lake } from '../platform/lake/lake.js';
import { blockedPairSelects, BITS_PER_COMPARISON, comparisons, DEFAULT_BLOCKING, pairProjectionSql, patternSql, rulesMaskSql, touchedBy, type BlockingRuleKey } from './comparisons.js';
import { levelFrequencies, levelWeights, patternWeight, trainModel, weightOf, type PatternCount } from './model.js';
import { prepareInputs, type InputFile, type PseudonymiseFn, type ReferenceColumns, type SourceColumns } from './prepare.js';
import type { ProbabilisticReport } from './schema.js';
import './messages.js';

export const LINKAGE_TABLE = 'LINKAGE';

export interface ProbabilisticSettings {
  blocking: BlockingRuleKey[];
  uEstimation: 'em' | 'random_pairs';
  termFrequency: boolean;
  /** Match probability a link needs. */
  threshold: number;
  maxIterations: number;
  /** Random pairs drawn to estimate u (uEstimation = random_pairs). */
  randomPairs: number;
  seed: number;
}

export const DEFAULT_SETTINGS: ProbabilisticSettings = {
  blocking: [...DEFAULT_BLOCKING],
  uEstimation: 'random_pairs',
  termFrequency: true,
  threshold: 0.5,
  maxIterations: 200,
  randomPairs: 2_000_000,
  seed: 42,
};

export interface ProbabilisticJob {
  reference: InputFile;
  referenceColumns: ReferenceColumns;
  source: InputFile;
  sourceColumns: SourceColumns;
  settings: ProbabilisticSettings;
  /** Temporary folder of this run (DuckDB's spill files); deleted by the caller. */
  workDir: string;
  /** Lake release the linkage table is published under. */
  outputName: string;
  pseudonymise: PseudonymiseFn;
  key: { id: string; version: number };
  threads: number;
  memoryLimit: string;
  /** Extra generator parameters recorded in the release manifest (the run id). */
  provenance?: Record<string, unknown>;
}

export interface ProbabilisticDeps {
  engine: AnalyticsEngine;
  lake: Lake;
  now: () => Date;
}

const HISTOGRAM_RANGE = 40;

export async function runProbabilisticLinkage(deps: ProbabilisticDeps, job: ProbabilisticJob, onPhase?: (phase: string) => void): Promise<ProbabilisticReport> {
  const started = Date.now();
  const draft = deps.lake.beginRelease(job.outputName);
  const allowed = [...new Set([path.dirname(job.reference.path), path.dirname(job.source.path), job.workDir, draft.dir])];
  let session: EngineSession | null = null;
  try {
    session = await deps.engine.open({ threads: job.threads, memoryLimit: job.memoryLimit, tempDirectory: path.join(job.workDir, 'spill'), allowedDirectories: allowed });
    const s = session;
    onPhase?.('prepare');
    const prepared = await prepareInputs(s, {
      reference: job.reference,
      source: job.source,
      referenceColumns: job.referenceColumns,
      sourceColumns: job.sourceColumns,
      pseudonymise: job.pseudonymise,
      termFrequency: job.settings.termFrequency,
    });
    if (prepared.referencePersons === 0) throw new HdhError('linkage.no_reference_person', 400, { file: job.reference.label }, [{ location: 'reference.file', file: job.reference.label, message: 'no valid NIR' }]);

    onPhase?.('compare');
    let t = Date.now();
    const cpu = process.cpuUsage();
    await comparePairs(s, job.settings.blocking);
    const compareMs = Date.now() - t;
    const compareCpu = process.cpuUsage(cpu);
    // CPU time, not wall time: on a shared machine the wall clock measures the neighbours too.
    const compareCpuMs = (compareCpu.user + compareCpu.system) / 1000;
    const byRules = (await s.query('SELECT rules, pattern, count(*)::BIGINT AS n FROM pairs GROUP BY ALL')).map((r) => ({ rules: Number(r.rules), pattern: Number(r.pattern), count: Number(r.n) }));
    const patterns = sumByPattern(byRules);
    const pairsScored = patterns.reduce((sum, p) => sum + p.count, 0);

    onPhase?.('estimate');
    t = Date.now();
    const fixedU = job.settings.uEstimation === 'random_pairs' ? levelFrequencies(comparisons, await randomPairPatterns(s, job.settings)) : undefined;
    const expectedLinks = Math.min(prepared.sourceRecords, prepared.referencePersons);
    const model = trainModel(
      comparisons,
      job.settings.blocking.map((rule, i) => ({ rule, touched: touchedBy(rule), patterns: sumByPattern(byRules.filter((p) => p.rules & (1 << i))) })),
      { maxIterations: job.settings.maxIterations, candidates: patterns, totalPairs: prepared.sourceRecords * prepared.referenceRowsUsed, expectedMatches: expectedLinks, ...(fixedU ? { fixedU } : {}) },
    );
    const estimateMs = Date.now() - t;

    onPhase?.('score');
    t = Date.now();
    const weights = levelWeights(comparisons, model);
    await s.run('CREATE TABLE pw (pattern INTEGER, w DOUBLE)');
    if (patterns.length) await s.run(`INSERT INTO pw VALUES ${patterns.map((p) => `(${p.pattern}, ${patternWeight(comparisons, model, p.pattern, weights)})`).join(', ')}`);
    const thresholdWeight = weightOf(job.settings.threshold);
    const pairBins = await s.query(`SELECT floor(least(${HISTOGRAM_RANGE - 0.5}, greatest(${-HISTOGRAM_RANGE}, pw.w + pr.tfa)))::INTEGER AS bin, count(*)::BIGINT AS n FROM pairs pr JOIN pw ON pw.pattern = pr.pattern GROUP BY bin`);
    await s.run(
      `CREATE TABLE cand AS SELECT pr.s_row, r.p_id, max(pw.w + pr.tfa) AS w FROM pairs pr JOIN pw ON pw.pattern = pr.pattern JOIN ref r ON r.row = pr.r_row WHERE pw.w + pr.tfa >= ${thresholdWeight} GROUP BY pr.s_row, r.p_id`,
    );
    await s.run('DROP TABLE pairs');
    const scoreMs = Date.now() - t;

    onPhase?.('resolve');
    t = Date.now();
    const rounds = await resolveOneToOne(s);
    const resolveMs = Date.now() - t;
    const linkBins = await s.query(`SELECT floor(least(${HISTOGRAM_RANGE - 0.5}, greatest(${-HISTOGRAM_RANGE}, w)))::INTEGER AS bin, count(*)::BIGINT AS n FROM links GROUP BY bin`);
    const summary = (await s.query('SELECT count(*)::BIGINT AS n, coalesce(sum(1 / (1 + pow(2, -w))), 0) AS expected FROM links'))[0]!;
    const links = Number(summary.n);
    const expectedTrue = Number(summary.expected);

    onPhase?.('publish');
    t = Date.now();
    const dir = draft.tableDir(LINKAGE_TABLE);
    const file = path.join(dir, 'part-0.parquet');
    await s.run(
      `COPY (SELECT p.pseudonym, x.rid AS source_record_id, round(l.w, 4)::DOUBLE AS match_weight, round(1 / (1 + pow(2, -l.w)), 6)::DOUBLE AS match_probability
             FROM links l JOIN persons p ON p.p_id = l.p_id JOIN src x ON x.row = l.s_row ORDER BY source_record_id)
       TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await session.close();
    session = null;
    const manifest = draft.publish({
      synthetic: false,
      createdAt: deps.now(),
      generator: { name: 'linkage/probabilistic', parameters: { ...job.provenance, key: job.key, threshold: job.settings.threshold, uEstimation: job.settings.uEstimation, blocking: job.settings.blocking, termFrequency: job.settings.termFrequency } },
      tables: [{ name: LINKAGE_TABLE, rowsByFile: { [`${LINKAGE_TABLE}/part-0.parquet`]: links } }],
    });
    const publishMs = Date.now() - t;

    const expectedMatches = model.lambda * prepared.sourceRecords * prepared.referenceRowsUsed;
    const levelCounts = comparisons.map((c) => c.levels.map(() => 0));
    for (const p of patterns) {
      for (let ci = 0; ci < comparisons.length; ci++) levelCounts[ci]![(p.pattern >> (BITS_PER_COMPARISON * ci)) & 7]! += p.count;
    }
    const histogram = mergeBins(pairBins, linkBins);
    return {
      kind: 'probabilistic',
      reference: { file: job.reference.label, rows: prepared.referenceRows, rowsUsed: prepared.referenceRowsUsed, persons: prepared.referencePersons, nirExcluded: prepared.nirExcluded },
      source: { file: job.source.label, records: prepared.sourceRecords },
      settings: { blocking: job.settings.blocking, uEstimation: job.settings.uEstimation, termFrequency: job.settings.termFrequency, threshold: job.settings.threshold, thresholdWeight, maxIterations: job.settings.maxIterations, randomPairs: job.settings.randomPairs },
      key: job.key,
      blocking: job.settings.blocking.map((rule, i) => ({ rule, pairs: byRules.filter((p) => lowestBit(p.rules) === i).reduce((sum, p) => sum + p.count, 0) })),
      pairsScored,
      model: {
        lambda: model.lambda,
        sessions: model.sessions,
        patterns: patterns.length,
        lastNameAgreement: prepared.lastNameAgreement,
        comparisons: comparisons.map((c, ci) => ({
          key: c.key,
          levels: c.levels.map((l, li) => ({ key: l.key, m: model.m[ci]![li]!, u: model.u[ci]![li]!, weight: weights[ci]![li]!, pairs: levelCounts[ci]![li]! })),
        })),
      },
      links,
      matchRate: prepared.sourceRecords ? links / prepared.sourceRecords : 0,
      referenceMatchRate: prepared.referencePersons ? links / prepared.referencePersons : 0,
      estimatedPrecision: links ? expectedTrue / links : 1,
      estimatedRecall: expectedMatches > 0 ? Math.min(1, expectedTrue / Math.min(expectedMatches, expectedLinks)) : 1,
      resolutionRounds: rounds,
      histogram,
      release: { name: manifest.name, version: manifest.version, table: LINKAGE_TABLE },
      durationMs: {
        load: prepared.durations.loadMs,
        pseudonymise: prepared.durations.pseudonymiseMs,
        normalise: prepared.durations.normaliseMs,
        compare: compareMs,
        estimate: estimateMs,
        score: scoreMs,
        resolve: resolveMs,
        publish: publishMs,
        total: Date.now() - started,
      },
      threads: job.threads,
      compareCpuMs: Math.round(compareCpuMs),
      pairsPerSecondPerCore: compareCpuMs > 0 ? pairsScored / (compareCpuMs / 1000) : 0,
    };
  } catch (err) {
    draft.abort();
    throw err;
  } finally {
    await session?.close();
  }
}

/**
 * Every blocked pair with its packed comparison pattern, the blocking rules it satisfies and the
 * term-frequency adjustment of its last name when the names agree exactly (0 otherwise).
 */
async function comparePairs(s: EngineSession, rules: readonly BlockingRuleKey[]): Promise<void> {
  const tfLevels = comparisons.flatMap((c, ci) => c.levels.flatMap((l, li) => (l.termFrequency ? [`((pattern >> ${BITS_PER_COMPARISON * ci}) & 7) = ${li}`] : [])));
  const selects = blockedPairSelects(rules, (_rule, i) => `SELECT ${pairProjectionSql()}, (${rulesMaskSql(rules, i)})::TINYINT AS rules`);
  await s.run(
    `CREATE TABLE pairs AS
     SELECT s_row, r_row, rules, pattern, (CASE WHEN ${tfLevels.length ? tfLevels.join(' OR ') : 'FALSE'} THEN tfa ELSE 0 END)::FLOAT AS tfa
     FROM (SELECT s_row, r_row, rules, tfa, (${patternSql()})::INTEGER AS pattern FROM (${selects.join(' UNION ALL ')}))`,
  );
}

/** Patterns of random (source, reference) pairs: nearly all non-matches, so their level frequencies estimate u. */
async function randomPairPatterns(s: EngineSession, settings: ProbabilisticSettings): Promise<PatternCount[]> {
  const sizes = (await s.query('SELECT (SELECT count(*) FROM src)::BIGINT AS ns, (SELECT count(*) FROM ref)::BIGINT AS nr'))[0]!;
  const ns = Number(sizes.ns);
  const nr = Number(sizes.nr);
  const n = Math.min(settings.randomPairs, ns * nr);
  if (!n) return [];
  const rows = await s.query(
    `SELECT (${patternSql()})::INTEGER AS pattern, count(*)::BIGINT AS n FROM (
       SELECT ${pairProjectionSql()} FROM (SELECT (hash(i, ${settings.seed}) % ${ns})::INTEGER AS sr, (hash(i, ${settings.seed + 1}) % ${nr})::INTEGER AS rr FROM range(${n}) t(i)) x
       JOIN src s ON s.row = x.sr JOIN ref r ON r.row = x.rr)
     GROUP BY ALL`,
  );
  return rows.map((r) => ({ pattern: Number(r.pattern), count: Number(r.n) }));
}

/**
 * One-to-one resolution — each source record and each reference person used at most once, best
 * weights first. Rounds of "mutual best" pairs (the best of its record and of its person, ties
 * broken by ids): with a strict order on pairs this gives exactly the greedy best-first matching,
 * in a few set-based rounds instead of a row-by-row loop.
 */
export async function resolveOneToOne(s: EngineSession): Promise<number> {
  await s.run('CREATE OR REPLACE TABLE links (s_row INTEGER, p_id INTEGER, w DOUBLE)');
  let rounds = 0;
  for (;;) {
    await s.run(
      `CREATE OR REPLACE TABLE round AS SELECT s_row, p_id, w FROM (
         SELECT s_row, p_id, w,
                row_number() OVER (PARTITION BY s_row ORDER BY w DESC, p_id) AS by_record,
                row_number() OVER (PARTITION BY p_id ORDER BY w DESC, s_row) AS by_person
         FROM cand) WHERE by_record = 1 AND by_person = 1`,
    );
    const accepted = Number((await s.query('SELECT count(*)::BIGINT AS n FROM round'))[0]!.n);
    if (accepted === 0) break;
    rounds++;
    await s.run('INSERT INTO links SELECT * FROM round');
    await s.run('CREATE OR REPLACE TABLE cand AS SELECT c.* FROM cand c ANTI JOIN round a ON c.s_row = a.s_row ANTI JOIN round b ON c.p_id = b.p_id');
  }
  return rounds;
}

function sumByPattern(rows: readonly { pattern: number; count: number }[]): PatternCount[] {
  const sums = new Map<number, number>();
  for (const r of rows) sums.set(r.pattern, (sums.get(r.pattern) ?? 0) + r.count);
  return [...sums].map(([pattern, count]) => ({ pattern, count }));
}

function lowestBit(mask: number): number {
  return mask ? 31 - Math.clz32(mask & -mask) : -1;
}

function mergeBins(pairs: Record<string, unknown>[], links: Record<string, unknown>[]): ProbabilisticReport['histogram'] {
  const bins = new Map<number, { from: number; pairs: number; links: number }>();
  const bin = (from: number) => bins.get(from) ?? bins.set(from, { from, pairs: 0, links: 0 }).get(from)!;
  for (const r of pairs) bin(Number(r.bin)).pairs += Number(r.n);
  for (const r of links) bin(Number(r.bin)).links += Number(r.n);
  return [...bins.values()].sort((a, b) => a.from - b.from);
}
