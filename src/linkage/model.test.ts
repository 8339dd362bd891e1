/**
 * The Fellegi–Sunter model: EM over patterns recovers the parameters that generated them, with
 * u free or fixed; blocking sessions with their comparisons sitting out; λ over all pairs; and
 * the weight of a pattern is the log-odds of its posterior.
 */
import { describe, expect, it } from 'vitest';
import { comparisons, decodePattern, encodePattern } from './comparisons.js';
import { estimateByEm, estimateMatchShare, levelFrequencies, patternWeight, probabilityOf, trainModel, weightOf, type ModelParameters, type PatternCount } from './model.js';

/** A plausible truth: per comparison, m and u over its levels (null level first, holding 1). */
const truth: ModelParameters = {
  lambda: 0.02,
  m: [
    [1, 0.85, 0.02, 0.08, 0.03, 0.02],
    [1, 0.9, 0.06, 0.02, 0.02],
    [1, 0.93, 0.02, 0.04, 0.01],
    [1, 0.99, 0.01],
    [1, 0.8, 0.08, 0.12],
  ],
  u: [
    [1, 0.01, 0.0005, 0.01, 0.08, 0.8995],
    [1, 0.03, 0.01, 0.05, 0.91],
    [1, 0.001, 0.0005, 0.01, 0.9885],
    [1, 0.5, 0.5],
    [1, 0.02, 0.05, 0.93],
  ],
};

/** Every pattern without null levels, with its expected count among `total` pairs under the truth. */
function expectedPatterns(params: ModelParameters, total: number, force?: { comparison: number; level: number }): PatternCount[] {
  const live = comparisons.map((c) => c.levels.map((l, i) => (l.isNull ? -1 : i)).filter((i) => i >= 0));
  const out: PatternCount[] = [];
  const walk = (c: number, levels: number[]) => {
    if (c === comparisons.length) {
      let lm = params.lambda;
      let lu = 1 - params.lambda;
      levels.forEach((l, ci) => {
        if (force?.comparison === ci) return;
        lm *= params.m[ci]![l]!;
        lu *= params.u[ci]![l]!;
      });
      out.push({ pattern: encodePattern(levels), count: total * (lm + lu) });
      return;
    }
    for (const l of force?.comparison === c ? [force.level] : live[c]!) walk(c + 1, [...levels, l]);
  };
  walk(0, []);
  return out;
}

function maxError(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));
}

describe('Fellegi–Sunter model', () => {
  it('EM over patterns recovers m, u and λ (u free)', () => {
    const fit = estimateByEm(comparisons, expectedPatterns(truth, 1_000_000), { maxIterations: 2000, tolerance: 1e-10, initialLambda: 0.1 });
    expect(fit.converged).toBe(true);
    expect(fit.lambda).toBeCloseTo(truth.lambda, 4);
    expect(maxError(fit.m, truth.m)).toBeLessThan(1e-3);
    expect(maxError(fit.u, truth.u)).toBeLessThan(1e-3);
  });

  it('EM with u fixed (random pairs) recovers m and λ', () => {
    const fit = estimateByEm(comparisons, expectedPatterns(truth, 1_000_000), { fixedU: truth.u, maxIterations: 2000, tolerance: 1e-10 });
    expect(fit.lambda).toBeCloseTo(truth.lambda, 4);
    expect(maxError(fit.m, truth.m)).toBeLessThan(1e-3);
    expect(fit.u).toEqual(truth.u);
  });

  it('u from random pairs: level frequencies of (nearly all non-matching) pairs', () => {
    const nonMatches = expectedPatterns({ ...truth, lambda: 0 }, 1e7).map((p) => ({ ...p, count: Math.round(p.count) }));
    expect(maxError(levelFrequencies(comparisons, nonMatches), truth.u)).toBeLessThan(1e-4);
    // A level never drawn keeps a small u, not 0 (its weight stays finite).
    const u = levelFrequencies(comparisons, [{ pattern: encodePattern([1, 1, 1, 1, 1]), count: 10 }]);
    expect(u[0]![2]).toBeGreaterThan(0);
  });

  it('blocking sessions: a comparison every pair agrees on sits out, the others are estimated', () => {
    // Pairs blocked on an exact birth date: birth_date (index 2) is always "exact" there.
    const blockedOnDate = expectedPatterns({ ...truth, lambda: 0.3 }, 200_000, { comparison: 2, level: 1 });
    // Pairs blocked on exact names: last_name (0) and first_name (1) exact.
    const onNames = expectedPatterns({ ...truth, lambda: 0.4 }, 100_000, { comparison: 0, level: 1 })
      .filter((p) => decodePattern(p.pattern)[1] === 1)
      .map((p) => ({ ...p, count: p.count / truth.u[1]![1]! }));
    const model = trainModel(
      comparisons,
      [
        { rule: 'birth_date', touched: [false, false, true, false, false], patterns: blockedOnDate },
        { rule: 'names', touched: [true, true, false, false, false], patterns: onNames },
      ],
      { fixedU: truth.u, maxIterations: 2000, candidates: [...blockedOnDate, ...onNames], totalPairs: 1e10, expectedMatches: 1e4 },
    );
    expect(model.estimated).toEqual([true, true, true, true, true]);
    expect(model.sessions.map((s) => s.rule)).toEqual(['birth_date', 'names']);
    expect(model.sessions[0]!.lambda).toBeCloseTo(0.3, 3);
    expect(maxError(model.m, truth.m)).toBeLessThan(1e-3);
  });

  it('λ over all pairs: the fixed point of "expected matches = Σ posteriors of the blocked pairs"', () => {
    const matches = 50_000;
    const total = 1e10;
    // Blocked pairs: the matches and 2 M non-matches, with the true m and u.
    const candidates = [...expectedPatterns({ ...truth, lambda: 1 }, matches), ...expectedPatterns({ ...truth, lambda: 0 }, 2_000_000)];
    // u among the blocked non-matches is not the global u here, so only the order of magnitude is checked.
    const lambda = estimateMatchShare(comparisons, truth, candidates, total, 1000);
    expect(lambda * total).toBeGreaterThan(0.8 * matches);
    expect(lambda * total).toBeLessThan(1.5 * matches);
  });

  it('a pattern’s weight is the log-odds of its posterior; thresholds convert both ways', () => {
    const pattern = encodePattern([1, 2, 3, 1, 2]);
    const levels = decodePattern(pattern);
    let lm = truth.lambda;
    let lu = 1 - truth.lambda;
    levels.forEach((l, c) => {
      lm *= truth.m[c]![l]!;
      lu *= truth.u[c]![l]!;
    });
    expect(probabilityOf(patternWeight(comparisons, truth, pattern))).toBeCloseTo(lm / (lm + lu), 12);
    expect(probabilityOf(weightOf(0.9))).toBeCloseTo(0.9, 12);
    expect(weightOf(0.5)).toBe(0);
    // Null levels add nothing.
    expect(patternWeight(comparisons, truth, encodePattern([0, 0, 0, 0, 0]))).toBeCloseTo(Math.log2(truth.lambda / (1 - truth.lambda)), 12);
  });
});
