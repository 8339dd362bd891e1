/**
 * The Fellegi–Sunter model — modèle de Fellegi–Sunter: for each comparison level, m = P(level |
 * the pair is the same person) and u = P(level | different people); a pair's match weight is
 * log2(λ / (1 − λ)) + Σ log2(m / u) over its levels (null levels add nothing), its match
 * probability 2^w / (1 + 2^w).
 *
 * m, u and λ are estimated by expectation–maximisation over the distinct comparison-vector
 * patterns with their counts: one iteration costs the number of patterns (a few thousand), not
 * the number of pairs. u may instead be fixed (estimated beforehand on random pairs); then EM
 * estimates m and λ only.
 */
import { decodePattern, type Comparison } from './comparisons.js';

export interface PatternCount {
  pattern: number;
  count: number;
}

export interface ModelParameters {
  /** Proportion of matches among the pairs the model was fitted on. */
  lambda: number;
  /** m[c][level], u[c][level]; null levels hold 1. */
  m: number[][];
  u: number[][];
}

export interface EmOptions {
  maxIterations?: number;
  /** Stops when no parameter moves by more than this. */
  tolerance?: number;
  /** Fixed u (from random pairs): EM then updates m and λ only. */
  fixedU?: number[][];
  /** Starting values; default m from `initialM`, u from the level frequencies of the patterns. */
  initialM?: number[][];
  initialLambda?: number;
  /**
   * Comparisons taking part (default all). A comparison whose columns the pairs were blocked on
   * must sit out: every pair agrees on it, so it says nothing about matches there.
   */
  active?: readonly boolean[];
}

export interface EmResult extends ModelParameters {
  iterations: number;
  converged: boolean;
}

/** Probabilities never reach 0 or 1: a level never seen in one class must not veto a pair forever. */
const FLOOR = 1e-6;

/** Starting m: most mass on the strongest agreement level, decreasing to the "else" level. */
export function initialM(comparisons: readonly Comparison[]): number[][] {
  return comparisons.map((c) => {
    const live = c.levels.map((l, i) => (l.isNull ? -1 : i)).filter((i) => i >= 0);
    const weights = live.map((_, k) => 0.5 ** (k * 2));
    const total = weights.reduce((s, w) => s + w, 0);
    const m = c.levels.map(() => 1);
    live.forEach((level, k) => (m[level] = weights[k]! / total));
    return m;
  });
}

/**
 * Level frequencies over the given patterns: on random pairs (nearly all non-matches) this is u.
 * Half a pair is added to every level so a level never drawn keeps a small, not a null, u.
 */
export function levelFrequencies(comparisons: readonly Comparison[], patterns: readonly PatternCount[]): number[][] {
  const counts = comparisons.map((c) => c.levels.map(() => 0));
  for (const p of patterns) {
    decodePattern(p.pattern, comparisons.length).forEach((level, c) => {
      if (!comparisons[c]!.levels[level]!.isNull) counts[c]![level]! += p.count;
    });
  }
  return comparisons.map((c, ci) => {
    const live = c.levels.filter((l) => !l.isNull).length;
    const total = c.levels.reduce((s, l, i) => (l.isNull ? s : s + counts[ci]![i]!), 0) + 0.5 * live;
    return c.levels.map((l, i) => (l.isNull ? 1 : (counts[ci]![i]! + 0.5) / total));
  });
}

interface DecodedPattern {
  levels: number[];
  count: number;
}

function likelihood(table: number[][], levels: readonly number[], comparisons: readonly Comparison[], active: readonly boolean[]): number {
  let l = 1;
  for (let c = 0; c < levels.length; c++) if (active[c] && !comparisons[c]!.levels[levels[c]!]!.isNull) l *= table[c]![levels[c]!]!;
  return l;
}

/** Expectation–maximisation over the patterns (inactive comparisons keep their starting values). */
export function estimateByEm(comparisons: readonly Comparison[], patterns: readonly PatternCount[], options: EmOptions = {}): EmResult {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-7;
  const active = options.active ?? comparisons.map(() => true);
  const decoded: DecodedPattern[] = patterns.filter((p) => p.count > 0).map((p) => ({ levels: decodePattern(p.pattern, comparisons.length), count: p.count }));
  const total = decoded.reduce((s, p) => s + p.count, 0);
  let m = (options.initialM ?? initialM(comparisons)).map((r) => [...r]);
  let u = options.fixedU ? options.fixedU.map((r) => [...r]) : levelFrequencies(comparisons, patterns);
  let lambda = options.initialLambda ?? 1e-3;
  if (total === 0) return { lambda, m, u, iterations: 0, converged: true };

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const mSum = comparisons.map((c) => c.levels.map(() => 0));
    const uSum = comparisons.map((c) => c.levels.map(() => 0));
    let matches = 0;
    for (const p of decoded) {
      const lm = lambda * likelihood(m, p.levels, comparisons, active);
      const lu = (1 - lambda) * likelihood(u, p.levels, comparisons, active);
      const posterior = lm + lu > 0 ? lm / (lm + lu) : 0;
      const expectedMatches = p.count * posterior;
      matches += expectedMatches;
      for (let c = 0; c < p.levels.length; c++) {
        mSum[c]![p.levels[c]!]! += expectedMatches;
        uSum[c]![p.levels[c]!]! += p.count - expectedMatches;
      }
    }
    const nextLambda = Math.min(1 - FLOOR, Math.max(FLOOR, matches / total));
    const nextM = normalise(comparisons, mSum, m, active);
    const nextU = options.fixedU ? u : normalise(comparisons, uSum, u, active);
    const delta = Math.max(Math.abs(nextLambda - lambda), maxDelta(m, nextM), maxDelta(u, nextU));
    lambda = nextLambda;
    m = nextM;
    u = nextU;
    converged = delta < tolerance;
  }
  return { lambda, m, u, iterations, converged };
}

function normalise(comparisons: readonly Comparison[], sums: number[][], previous: number[][], active: readonly boolean[]): number[][] {
  return comparisons.map((c, ci) => {
    if (!active[ci]) return previous[ci]!;
    const total = c.levels.reduce((s, l, i) => (l.isNull ? s : s + sums[ci]![i]!), 0);
    return c.levels.map((l, i) => (l.isNull ? 1 : Math.min(1, Math.max(FLOOR, total > 0 ? sums[ci]![i]! / total : 0))));
  });
}

function maxDelta(a: number[][], b: number[][]): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i]!.length; j++) d = Math.max(d, Math.abs(a[i]![j]! - b[i]![j]!));
  return d;
}

/** log2 Bayes factor m/u of each level (0 for null levels). */
export function levelWeights(comparisons: readonly Comparison[], params: Pick<ModelParameters, 'm' | 'u'>): number[][] {
  return comparisons.map((c, ci) => c.levels.map((l, i) => (l.isNull ? 0 : Math.log2(params.m[ci]![i]! / params.u[ci]![i]!))));
}

/** Match weight of a pattern, prior included (before any term-frequency adjustment). */
export function patternWeight(comparisons: readonly Comparison[], params: ModelParameters, pattern: number, weights = levelWeights(comparisons, params)): number {
  const prior = Math.log2(params.lambda / (1 - params.lambda));
  return decodePattern(pattern, comparisons.length).reduce((w, level, c) => w + weights[c]![level]!, prior);
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** The weight a probability threshold corresponds to. */
export function weightOf(probability: number): number {
  return Math.log2(probability / (1 - probability));
}

/** The pairs one blocking rule finds, with the comparisons its columns touch (sitting out of its EM). */
export interface TrainingSession {
  rule: string;
  touched: readonly boolean[];
  patterns: readonly PatternCount[];
}

export interface SessionResult {
  rule: string;
  pairs: number;
  /** Share of matches among this rule's pairs. */
  lambda: number;
  iterations: number;
  converged: boolean;
}

export interface TrainedModel extends ModelParameters {
  sessions: SessionResult[];
  /** Per comparison: whether some session could estimate its m (else m kept its starting value). */
  estimated: boolean[];
}

/**
 * Trains the model the way blocking allows: one EM session per blocking rule, over every pair
 * that rule finds, with the comparisons on the rule's columns sitting out (Splink does the
 * same). Each m is the mean over the sessions that could estimate it; u is fixed (random pairs)
 * or, likewise, the mean of the sessions' u. λ is then the share of matches among all
 * source × reference pairs (see `estimateMatchShare`).
 */
export function trainModel(
  comparisons: readonly Comparison[],
  sessions: readonly TrainingSession[],
  options: { fixedU?: number[][]; maxIterations?: number; candidates: readonly PatternCount[]; totalPairs: number; expectedMatches: number },
): TrainedModel {
  const mSum = comparisons.map((c) => c.levels.map(() => 0));
  const uSum = comparisons.map((c) => c.levels.map(() => 0));
  const estimates = comparisons.map(() => 0);
  const results: SessionResult[] = [];
  for (const session of sessions) {
    const pairs = session.patterns.reduce((s, p) => s + p.count, 0);
    const active = session.touched.map((t) => !t);
    const fit = estimateByEm(comparisons, session.patterns, {
      active,
      maxIterations: options.maxIterations ?? 200,
      initialLambda: pairs ? Math.min(0.5, Math.max(1e-6, (0.5 * options.expectedMatches) / pairs)) : 1e-3,
      ...(options.fixedU ? { fixedU: options.fixedU } : {}),
    });
    results.push({ rule: session.rule, pairs, lambda: fit.lambda, iterations: fit.iterations, converged: fit.converged });
    if (!pairs) continue;
    comparisons.forEach((c, ci) => {
      if (!active[ci]) return;
      estimates[ci]!++;
      c.levels.forEach((_, li) => {
        mSum[ci]![li]! += fit.m[ci]![li]!;
        uSum[ci]![li]! += fit.u[ci]![li]!;
      });
    });
  }
  const start = initialM(comparisons);
  const fallbackU = options.fixedU ?? levelFrequencies(comparisons, options.candidates);
  const m = comparisons.map((c, ci) => (estimates[ci] ? mSum[ci]!.map((v) => v / estimates[ci]!) : start[ci]!));
  const u = options.fixedU ?? comparisons.map((c, ci) => (estimates[ci] ? uSum[ci]!.map((v) => v / estimates[ci]!) : fallbackU[ci]!));
  const lambda = estimateMatchShare(comparisons, { m, u }, options.candidates, options.totalPairs, options.expectedMatches);
  return { lambda, m, u, sessions: results, estimated: estimates.map((n) => n > 0) };
}

/**
 * λ over every source × reference pair, by EM on λ alone with m and u fixed: the expected
 * number of matches is the sum of the blocked pairs' posteriors (a pair no rule finds is taken
 * for a non-match), which depends on λ; iterate to the fixed point.
 */
export function estimateMatchShare(comparisons: readonly Comparison[], params: Pick<ModelParameters, 'm' | 'u'>, candidates: readonly PatternCount[], totalPairs: number, startMatches: number): number {
  if (totalPairs <= 0) return FLOOR;
  const weights = levelWeights(comparisons, params);
  const bayes = candidates.map((p) => ({ count: p.count, w: decodePattern(p.pattern, comparisons.length).reduce((s, level, c) => s + weights[c]![level]!, 0) }));
  let matches = Math.max(1, startMatches);
  for (let i = 0; i < 1000; i++) {
    const lambda = Math.min(1 - FLOOR, matches / totalPairs);
    const prior = Math.log2(lambda / (1 - lambda));
    const next = bayes.reduce((s, p) => s + p.count / (1 + 2 ** -(p.w + prior)), 0);
    const done = Math.abs(next - matches) < 1e-6 * Math.max(1, matches);
    matches = Math.max(next, 1e-9);
    if (done) break;
  }
  return Math.min(1 - FLOOR, Math.max(Number.MIN_VALUE, matches / totalPairs));
}
