/**
 * Proposed fixes: primary and secondary suppression verified the way an attacker would try —
 * solving each row and column from its total — and by an independent dense elimination over the
 * whole table; rounding of counts and totals.
 */
import { describe, expect, it } from 'vitest';
import { stateOf } from './cells.js';
import { checkTable } from './check.js';
import { proposeFix, roundTo } from './fix.js';
import { col, crossTable, settings, table, verdictOf } from './test-tables.js';
import type { SdcTable } from './types.js';
import { SUPPRESSED } from './types.js';

/** A long-form cross table read back as a matrix with its margins: null where suppressed. */
function matrix(t: SdcTable): { rows: string[]; cols: string[]; cell: Map<string, number | null> } {
  const cell = new Map<string, number | null>();
  const rows: string[] = [];
  const cols: string[] = [];
  for (const [r, c, v] of t.rows) {
    if (!rows.includes(String(r))) rows.push(String(r));
    if (!cols.includes(String(c))) cols.push(String(c));
    const s = stateOf(v ?? null);
    cell.set(`${r}|${c}`, s.kind === 'number' ? s.value : null);
  }
  return { rows, cols, cell };
}

/** Every row and column of the matrix (Total included) as a line: total key and part keys. */
function linesOf(m: ReturnType<typeof matrix>) {
  const inner = (xs: string[]) => xs.filter((x) => x !== 'Total');
  return [
    ...m.rows.map((r) => ({ total: `${r}|Total`, parts: inner(m.cols).map((c) => `${r}|${c}`) })),
    ...m.cols.map((c) => ({ total: `Total|${c}`, parts: inner(m.rows).map((r) => `${r}|${c}`) })),
  ];
}

/** The attacker by hand: any line with one unknown gives it; repeat until nothing moves. */
function solveLineByLine(t: SdcTable): Map<string, number> {
  const m = matrix(t);
  const known = new Map([...m.cell].filter(([, v]) => v !== null) as [string, number][]);
  const found = new Map<string, number>();
  for (let moved = true; moved; ) {
    moved = false;
    for (const line of linesOf(m)) {
      const keys = [line.total, ...line.parts];
      const open = keys.filter((k) => !known.has(k));
      if (open.length !== 1) continue;
      const k = open[0]!;
      const parts = line.parts.filter((p) => p !== k).reduce((a, p) => a + known.get(p)!, 0);
      const value = k === line.total ? parts : known.get(line.total)! - parts;
      known.set(k, value);
      found.set(k, value);
      moved = true;
    }
  }
  return found;
}

/**
 * An independent check of the whole system (dense Gaussian elimination, written apart from
 * ./recompute.ts): the unknowns whose value every solution shares.
 */
function determinedByElimination(t: SdcTable): string[] {
  const m = matrix(t);
  const unknowns = [...m.cell].filter(([, v]) => v === null).map(([k]) => k);
  const col = new Map(unknowns.map((k, i) => [k, i]));
  const rows = linesOf(m).map((line) => {
    const coefficients = new Array<number>(unknowns.length).fill(0);
    for (const k of line.parts) if (col.has(k)) coefficients[col.get(k)!]! += 1;
    if (col.has(line.total)) coefficients[col.get(line.total)!]! -= 1;
    return coefficients;
  });
  let rank = 0;
  const pivots: number[] = [];
  for (let c = 0; c < unknowns.length && rank < rows.length; c++) {
    const p = rows.findIndex((r, i) => i >= rank && Math.abs(r[c]!) > 1e-9);
    if (p < 0) continue;
    [rows[rank], rows[p]] = [rows[p]!, rows[rank]!];
    const pivot = rows[rank]!;
    const scale = pivot[c]!;
    for (let j = 0; j < pivot.length; j++) pivot[j]! /= scale;
    rows.forEach((r, i) => {
      if (i === rank || Math.abs(r[c]!) < 1e-9) return;
      const f = r[c]!;
      for (let j = 0; j < r.length; j++) r[j]! -= f * pivot[j]!;
    });
    pivots.push(c);
    rank++;
  }
  return pivots.filter((c, i) => rows[i]!.every((v, j) => j === c || Math.abs(v) < 1e-9)).map((c) => unknowns[c]!);
}

/** At least two hidden cells in every row and column that has one (EXP-06). */
function linesWithOneHidden(t: SdcTable): string[] {
  const m = matrix(t);
  return linesOf(m)
    .filter((line) => [line.total, ...line.parts].filter((k) => m.cell.get(k) === null).length === 1)
    .map((line) => line.total);
}

/** A seeded generator, so a failing random table can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('proposeFix — suppression', () => {
  it('EXP-05: 1-D table with a total — the cell of 4 and the smallest other cell are hidden', () => {
    const t = table([col('age', 'dimension'), col('n', 'count')], [['0-17', 4], ['18-64', 250], ['65-89', 40], ['90+', 30], ['Total', 324]]);
    const fix = proposeFix(t, settings(), { suppress: true });
    expect(fix.suppressed).toEqual([
      { row: 0, column: 'n', primary: true },
      { row: 3, column: 'n', primary: false },
    ]);
    expect(fix.table.rows.map((r) => r[1])).toEqual([SUPPRESSED, 250, 40, SUPPRESSED, 324]);
    expect(t.rows[0]![1]).toBe(4); // the input is left as it was
    const r = checkTable(fix.table, settings(), []);
    expect([verdictOf(r, 'SDC-01'), verdictOf(r, 'SDC-03')]).toEqual(['pass', 'pass']);
  });

  it('EXP-06: a category left out (gap of 4 under the total) gets two complements in its line', () => {
    const t = table([col('age', 'dimension'), col('n', 'count')], [['18-64', 250], ['65-89', 40], ['0-17', 30], ['Total', 324]]);
    expect(verdictOf(checkTable(t, settings(), []), 'SDC-03')).toBe('fail');
    const fix = proposeFix(t, settings(), { suppress: true });
    expect(fix.table.rows.map((r) => r[1])).toEqual([250, SUPPRESSED, SUPPRESSED, 324]);
    expect(checkTable(fix.table, settings(), []).verdict).toBe('pass');
  });

  it('EXP-06 / SDC-03: 2-D table — secondary suppression cannot be undone from the margins', () => {
    const t = crossTable(['0-17', '18-64', '65-89', '90+'], ['F', 'H', 'NR'], [[4, 30, 25], [200, 210, 150], [50, 6, 40], [100, 120, 90]]);
    const before = checkTable(t, settings(), []);
    expect(verdictOf(before, 'SDC-01')).toBe('fail');
    const fix = proposeFix(t, settings(), { suppress: true });
    expect(fix.suppressed.filter((s) => s.primary)).toHaveLength(2);
    expect(fix.suppressed.filter((s) => !s.primary).length).toBeGreaterThanOrEqual(2);
    // The attacker's hand computation recovers nothing, no line has a lone suppression, and an
    // independent elimination over the whole table finds no determined cell.
    expect(solveLineByLine(fix.table)).toEqual(new Map());
    expect(linesWithOneHidden(fix.table)).toEqual([]);
    expect(determinedByElimination(fix.table)).toEqual([]);
    // Before the secondary suppression, the same attacker recovers the two small cells.
    const primaryOnly = structuredClone(t);
    for (const s of fix.suppressed.filter((x) => x.primary)) primaryOnly.rows[s.row]![2] = SUPPRESSED;
    expect([...solveLineByLine(primaryOnly).values()]).toEqual(expect.arrayContaining([4, 6]));
    expect(determinedByElimination(primaryOnly).sort()).toEqual(['0-17|F', '65-89|H']);
    // Published cells keep their values; totals stay published.
    fix.table.rows.forEach((row, i) => {
      if (row[2] !== SUPPRESSED) expect(row[2]).toBe(t.rows[i]![2]);
      if (row[0] === 'Total' || row[1] === 'Total') expect(row[2]).not.toBe(SUPPRESSED);
    });
    const after = checkTable(fix.table, settings(), []);
    expect([verdictOf(after, 'SDC-01'), verdictOf(after, 'SDC-03')]).toEqual(['pass', 'pass']);
  });

  it('EXP-06: a small row total is hidden with its cells, and is not recomputable either', () => {
    const t = crossTable(['a', 'b', 'c'], ['F', 'H'], [[3, 2], [200, 210], [50, 60]]);
    const fix = proposeFix(t, settings(), { suppress: true });
    const m = matrix(fix.table);
    expect(m.cell.get('a|Total')).toBeNull();
    expect(solveLineByLine(fix.table)).toEqual(new Map());
    expect(determinedByElimination(fix.table)).toEqual([]);
    expect(verdictOf(checkTable(fix.table, settings(), []), 'SDC-03')).toBe('pass');
  });

  it('EXP-06: random 2-D tables — after the fix nothing is recoverable, by hand or by elimination', () => {
    const next = random(20261129);
    let hidden = 0;
    for (let k = 0; k < 40; k++) {
      const nr = 2 + Math.floor(next() * 6);
      const nc = 2 + Math.floor(next() * 5);
      const inner = Array.from({ length: nr }, () => Array.from({ length: nc }, () => (next() < 0.2 ? Math.floor(next() * 10) : 10 + Math.floor(next() * 300))));
      const t = crossTable(
        Array.from({ length: nr }, (_, i) => `r${i}`),
        Array.from({ length: nc }, (_, j) => `c${j}`),
        inner,
      );
      const fix = proposeFix(t, settings({ zeroCells: 'pass' }), { suppress: true });
      hidden += fix.suppressed.length;
      expect(solveLineByLine(fix.table), `table ${k}`).toEqual(new Map());
      expect(determinedByElimination(fix.table), `table ${k}`).toEqual([]);
      const r = checkTable(fix.table, settings({ zeroCells: 'pass' }), []);
      expect([verdictOf(r, 'SDC-01'), verdictOf(r, 'SDC-03')], `table ${k}`).toEqual(['pass', 'pass']);
    }
    expect(hidden).toBeGreaterThan(100); // the tables did need suppression
  });

  it('SDC-04: a dominated magnitude cell is hidden, with a complement in its line', () => {
    const t = table(
      [col('region', 'dimension'), col('u', 'units'), col('montant', 'magnitude', { units: 'u', top1: 't1', top2: 't2' }), col('t1', 'top1'), col('t2', 'top2')],
      [
        ['11', 20, 1000, 900, 20],
        ['84', 50, 5000, 300, 200],
        ['93', 40, 3000, 250, 200],
        ['Total', 110, 9000, 900, 300],
      ],
    );
    const fix = proposeFix(t, settings(), { suppress: true });
    expect(fix.suppressed).toEqual([
      { row: 0, column: 'montant', primary: true },
      { row: 2, column: 'montant', primary: false },
    ]);
    const r = checkTable(fix.table, settings(), []);
    expect(['SDC-01', 'SDC-03', 'SDC-04', 'SDC-05'].map((id) => verdictOf(r, id as 'SDC-01'))).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('SDC-01: a statistic over a suppressed count is hidden too', () => {
    const t = table(
      [col('age', 'dimension'), col('n', 'count'), col('cout_moyen', 'statistic', { units: 'n' })],
      [
        ['0-17', 4, 2000],
        ['18-64', 250, 300],
        ['65+', 40, 500],
        ['Total', 294, 380],
      ],
    );
    const fix = proposeFix(t, settings(), { suppress: true });
    expect(fix.table.rows.map((r) => [r[1], r[2]])).toEqual([
      [SUPPRESSED, SUPPRESSED],
      [250, 300],
      [SUPPRESSED, SUPPRESSED],
      [294, 380],
    ]);
    expect(checkTable(fix.table, settings(), []).verdict).toBe('pass');
  });
});

describe('proposeFix — rounding', () => {
  it('SDC-08: half away from zero', () => {
    expect([12, 13, 17, 2, 0, -3, 303].map((v) => roundTo(v, 5))).toEqual([10, 15, 15, 0, 0, -5, 305]);
  });

  it('SDC-08: counts and totals rounded to the base each on its own; the re-check passes SDC-08', () => {
    const t = table([col('age', 'dimension'), col('n', 'count')], [['0-17', 12], ['18-64', 253], ['65+', 41], ['Total', 306]]);
    const fix = proposeFix(t, settings(), { suppress: false, roundingBase: 5 });
    expect(fix.rounded).toBe(true);
    expect(fix.table.rows.map((r) => r[1])).toEqual([10, 255, 40, 305]);
    expect(verdictOf(checkTable(fix.table, settings({ roundingBase: 5 }), []), 'SDC-08')).toBe('pass');
  });

  it('SDC-08: the base defaults to the settings; null turns rounding off', () => {
    const t = table([col('age', 'dimension'), col('n', 'count')], [['a', 12], ['b', 253]]);
    expect(proposeFix(t, settings({ roundingBase: 10 }), { suppress: false }).table.rows.map((r) => r[1])).toEqual([10, 250]);
    const off = proposeFix(t, settings({ roundingBase: 10 }), { suppress: false, roundingBase: null });
    expect([off.rounded, off.table.rows.map((r) => r[1])]).toEqual([false, [12, 253]]);
  });

  it('SDC-01 / SDC-03 / SDC-08: rounding and suppression together; a cell rounded under the threshold is suppressed', () => {
    // threshold 11: 11 rounds to 10 (< 11) — suppressed as a primary although its true value passes.
    const t = crossTable(['a', 'b', 'c'], ['F', 'H'], [[11, 52], [203, 211], [3, 64]]);
    const s = settings({ threshold: 11, roundingBase: 5 });
    const fix = proposeFix(t, s, { suppress: true });
    const m = matrix(fix.table);
    expect(m.cell.get('a|F')).toBeNull();
    expect(m.cell.get('c|F')).toBeNull();
    const r = checkTable(fix.table, s, []);
    expect(['SDC-01', 'SDC-03', 'SDC-08'].map((id) => verdictOf(r, id as 'SDC-01'))).toEqual(['pass', 'pass', 'pass']);
    expect(solveLineByLine(fix.table)).toEqual(new Map());
  });
});
