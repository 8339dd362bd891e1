/** The rules of checkTable on small known tables: pass, fail and edge cases (totals, negatives, empty cells). */
import { describe, expect, it } from 'vitest';
import { messageFor } from '../../platform/errors.js';
import { checkTable } from './check.js';
import { SUPPRESSED } from './types.js';
import { col, crossTable, findingsOf, settings, table, verdictOf } from './test-tables.js';

const byAge = (counts: (number | string | null)[], labels = ['0-17', '18-64', '65+', 'Total']) =>
  table([col('age', 'dimension'), col('n', 'count')], labels.map((l, i) => [l, counts[i] ?? null]));

describe('SDC-01 threshold', () => {
  it('SDC-01: counts at or above the threshold pass', () => {
    const r = checkTable(byAge([10, 250, 40, 300]), settings(), []);
    expect(verdictOf(r, 'SDC-01')).toBe('pass');
    expect(r.verdict).toBe('pass');
  });

  it('SDC-01: a count of 4 fails, located by row and column, with the values and a message', () => {
    const r = checkTable(byAge([4, 250, 40, 294]), settings(), []);
    expect(findingsOf(r, 'SDC-01')).toEqual([{ row: 0, column: 'n', code: 'sdc.count_below_threshold', verdict: 'fail' }]);
    const f = r.findings.find((x) => x.rule === 'SDC-01')!;
    expect(f.values).toEqual({ value: 4, threshold: 10 });
    expect(messageFor(f.code, 'fr', f.params)).toBe('0-17 / n : effectif 4 inférieur au seuil de 10.');
    expect(messageFor(f.code, 'en', f.params)).toBe('0-17 / n: count 4 is below the threshold of 10.');
    expect(r.verdict).toBe('fail');
  });

  it('SDC-01: 9 fails and 10 passes (count < threshold); the threshold setting is honoured', () => {
    expect(verdictOf(checkTable(byAge([9, 250, 40, 299]), settings(), []), 'SDC-01')).toBe('fail');
    expect(verdictOf(checkTable(byAge([10, 250, 40, 300]), settings(), []), 'SDC-01')).toBe('pass');
    expect(verdictOf(checkTable(byAge([10, 250, 40, 300]), settings({ threshold: 11 }), []), 'SDC-01')).toBe('fail');
  });

  it('SDC-01: zero is not a small count (SDC-02 reviews it)', () => {
    const r = checkTable(byAge([0, 250, 40, 290]), settings(), []);
    expect(findingsOf(r, 'SDC-01')).toEqual([]);
    expect(findingsOf(r, 'SDC-02')).toEqual([{ row: 0, column: 'n', code: 'sdc.zero_cell', verdict: 'review' }]);
  });

  it('SDC-01: a small total fails like any count', () => {
    const r = checkTable(byAge([3, 2, 1, 6]), settings(), []);
    expect(findingsOf(r, 'SDC-01').map((f) => f.row)).toEqual([0, 1, 2, 3]);
  });

  it('SDC-01: negative counts — small ones fail, large ones go to review', () => {
    const r = checkTable(byAge([-3, -250, 40, 290]), settings(), []);
    expect(findingsOf(r, 'SDC-01')).toEqual([
      { row: 0, column: 'n', code: 'sdc.negative_count', verdict: 'fail' },
      { row: 1, column: 'n', code: 'sdc.negative_count', verdict: 'review' },
    ]);
  });

  it('SDC-01: empty cells and text in a count column go to review; suppression markers do not', () => {
    const r = checkTable(byAge([null, 'n.d.', SUPPRESSED, 300]), settings(), []);
    expect(findingsOf(r, 'SDC-01')).toEqual([
      { row: 0, column: 'n', code: 'sdc.empty_cell', verdict: 'review' },
      { row: 1, column: 'n', code: 'sdc.not_a_number', verdict: 'review' },
    ]);
  });

  it('SDC-01: numeric text and decimal commas are read as numbers', () => {
    expect(verdictOf(checkTable(byAge(['12', '250', '40,0', 302]), settings(), []), 'SDC-01')).toBe('pass');
    expect(verdictOf(checkTable(byAge(['7', '250', '40', 297]), settings(), []), 'SDC-01')).toBe('fail');
  });

  it('SDC-01: a statistic computed over fewer units than the threshold fails', () => {
    const t = table(
      [col('age', 'dimension'), col('n', 'count'), col('cout_moyen', 'statistic', { units: 'n' })],
      [
        ['0-17', 12, 150.5],
        ['90+', SUPPRESSED, 2000],
        ['18-64', 200, 310],
      ],
    );
    const r = checkTable(t, settings(), []);
    // The suppressed count hides the units: review (the fix suppresses the statistic too).
    expect(findingsOf(r, 'SDC-01')).toEqual([{ row: 1, column: 'cout_moyen', code: 'sdc.units_unknown', verdict: 'review' }]);
    const t2 = table([col('age', 'dimension'), col('u', 'units'), col('mediane', 'statistic', { units: 'u' })], [['90+', 3, 41], ['0-17', 30, 12]]);
    expect(findingsOf(checkTable(t2, settings(), []), 'SDC-01')).toEqual([{ row: 0, column: 'mediane', code: 'sdc.units_below_threshold', verdict: 'fail' }]);
  });

  it('SDC-01: a magnitude over few contributors fails; a statistic without a units column goes to review', () => {
    const t = table([col('region', 'dimension'), col('u', 'units'), col('montant', 'magnitude', { units: 'u' }), col('taux', 'statistic')], [['11', 4, 12000, 0.3], ['84', 40, 90000, 0.2]]);
    const r = checkTable(t, settings(), []);
    expect(findingsOf(r, 'SDC-01')).toEqual([
      { row: 0, column: 'montant', code: 'sdc.units_below_threshold', verdict: 'fail' },
      { row: null, column: 'taux', code: 'sdc.units_missing', verdict: 'review' },
    ]);
  });
});

describe('SDC-02 zero cells', () => {
  it('SDC-02: zeros go to review by default and pass with zeroCells = pass', () => {
    const t = byAge([0, 250, 40, 290]);
    expect(verdictOf(checkTable(t, settings(), []), 'SDC-02')).toBe('review');
    expect(checkTable(t, settings(), []).verdict).toBe('review');
    expect(verdictOf(checkTable(t, settings({ zeroCells: 'pass' }), []), 'SDC-02')).toBe('pass');
  });

  it('SDC-02: no count column — the rule is skipped with its reason', () => {
    const r = checkTable(table([col('terme', 'dimension'), col('estimate', 'model')], [['x', 0]], { observations: 500, parameters: 3 }), settings(), []);
    expect(r.rules.find((x) => x.rule === 'SDC-02')).toEqual({ rule: 'SDC-02', verdict: 'pass', skipped: 'sdc.skip.no_count_column' });
  });
});

describe('SDC-03 suppressed cells recomputable from margins', () => {
  it('SDC-03: a single suppressed cell in a line with a total is recomputed and fails', () => {
    const r = checkTable(byAge([SUPPRESSED, 250, 40, 294]), settings(), []);
    expect(findingsOf(r, 'SDC-03')).toEqual([{ row: 0, column: 'n', code: 'sdc.recomputable_line', verdict: 'fail' }]);
    expect(r.findings.find((f) => f.rule === 'SDC-03')!.values).toEqual({ value: 4 });
  });

  it('SDC-03: two suppressed cells in the line pass; without a total nothing is recomputable', () => {
    expect(verdictOf(checkTable(byAge([SUPPRESSED, SUPPRESSED, 40, 294]), settings(), []), 'SDC-03')).toBe('pass');
    const noTotal = checkTable(byAge([SUPPRESSED, 250, 40], ['0-17', '18-64', '65+']), settings(), []);
    expect(noTotal.rules.find((x) => x.rule === 'SDC-03')).toEqual({ rule: 'SDC-03', verdict: 'pass', skipped: 'sdc.skip.no_margins' });
  });

  it('SDC-03: a category left out of a table with a total is given away by the gap', () => {
    // 324 in all, 320 in the categories shown: the missing "90+" row held 4 people.
    const r = checkTable(byAge([250, 40, 30, 324], ['18-64', '65-89', '0-17', 'Total']), settings(), []);
    expect(findingsOf(r, 'SDC-03')).toEqual([{ row: 3, column: 'n', code: 'sdc.missing_category', verdict: 'fail' }]);
    expect(r.findings.find((f) => f.rule === 'SDC-03')!.values).toEqual({ total: 324, sum: 320, gap: 4, threshold: 10 });
    // A gap of at least the threshold, or a total below the sum (overlapping categories), passes.
    expect(verdictOf(checkTable(byAge([250, 40, 30, 330], ['18-64', '65-89', '0-17', 'Total']), settings(), []), 'SDC-03')).toBe('pass');
    expect(verdictOf(checkTable(byAge([250, 40, 30, 300], ['18-64', '65-89', '0-17', 'Total']), settings(), []), 'SDC-03')).toBe('pass');
  });

  it('SDC-03: a suppressed total is recomputed from its published parts', () => {
    expect(findingsOf(checkTable(byAge([12, 250, 40, SUPPRESSED]), settings(), []), 'SDC-03')).toEqual([{ row: 3, column: 'n', code: 'sdc.recomputable_line', verdict: 'fail' }]);
  });

  it('SDC-03: an empty cell hides a value like a marker, and is recomputable the same way', () => {
    const r = checkTable(byAge([null, 250, 40, 294]), settings(), []);
    expect(findingsOf(r, 'SDC-03')).toEqual([{ row: 0, column: 'n', code: 'sdc.recomputable_line', verdict: 'fail' }]);
  });

  it('SDC-03: 2-D table — two suppressed cells in a row but alone in their columns are recomputed', () => {
    const t = crossTable(['0-17', '18-64', '65+'], ['F', 'H'], [[4, 30], [200, 210], [50, 6]]);
    // Suppress (0-17, F) and (0-17, H): the row has two, but each column has one.
    t.rows[0]![2] = SUPPRESSED;
    t.rows[1]![2] = SUPPRESSED;
    const r = checkTable(t, settings(), []);
    expect(findingsOf(r, 'SDC-03').map((f) => [f.row, f.verdict]).sort()).toEqual([[0, 'fail'], [1, 'fail']]);
  });

  it('SDC-03: 2-D table — a rectangle of four suppressed cells is safe', () => {
    const t = crossTable(['0-17', '18-64', '65+'], ['F', 'H'], [[4, 30], [200, 210], [50, 6]]);
    for (const row of [0, 1, 6, 7]) t.rows[row]![2] = SUPPRESSED; // (0-17, F/H) and (65+, F/H)
    expect(verdictOf(checkTable(t, settings(), []), 'SDC-03')).toBe('pass');
  });

  it('SDC-03: the whole system — every line has two or more suppressions, yet a cell is determined', () => {
    // Two closed rectangles, (A|B × W|X) and (C|D × Y|Z), joined by (A, Y): every row and column
    // with a suppression has at least two, but (A, Y) lies on no cycle of suppressed cells, so
    // row A minus the first rectangle's rows gives it. Only the whole system shows it.
    const t = crossTable(['A', 'B', 'C', 'D'], ['W', 'X', 'Y', 'Z'], [[5, 6, 7, 40], [20, 8, 9, 50], [30, 31, 4, 3], [60, 61, 2, 8]]);
    const at = (r: number, c: number) => r * 5 + c; // each row label: 4 cells and its total
    const hidden = [[0, 0], [0, 1], [1, 0], [1, 1], [2, 2], [2, 3], [3, 2], [3, 3], [0, 2]] as const;
    for (const [r, c] of hidden) t.rows[at(r, c)]![2] = SUPPRESSED;
    const r = checkTable(t, settings(), []);
    expect(findingsOf(r, 'SDC-03')).toEqual([{ row: at(0, 2), column: 'n', code: 'sdc.recomputable_system', verdict: 'fail' }]);
    expect(r.findings.find((f) => f.rule === 'SDC-03')!.values).toEqual({ value: 7 });
  });

  it('SDC-03: non-additive margins (distinct patients over categories that overlap) are not used', () => {
    // 2022: 60 + 70 patients ≠ 100 in all (a patient can have both kinds of care): not a sum, so the
    // suppressed 2023 cell cannot be recomputed as 110 − 75.
    const t = table(
      [col('annee', 'dimension'), col('soins', 'dimension'), col('patients', 'count')],
      [
        ['2022', 'ville', 60],
        ['2022', 'hopital', 70],
        ['2022', 'Total', 100],
        ['2023', 'ville', SUPPRESSED],
        ['2023', 'hopital', 75],
        ['2023', 'Total', 110],
      ],
    );
    expect(verdictOf(checkTable(t, settings(), []), 'SDC-03')).toBe('pass');
    t.rows[2]![2] = 130; // now additive: the suppressed cell is 35
    expect(findingsOf(checkTable(t, settings(), []), 'SDC-03')).toEqual([{ row: 3, column: 'patients', code: 'sdc.recomputable_line', verdict: 'fail' }]);
  });

  it('SDC-03: wide table — a Total column sums the category columns of its row', () => {
    const t = table([col('region', 'dimension'), col('F', 'count'), col('H', 'count'), col('Total', 'count')], [['11', SUPPRESSED, 40, 44], ['84', 30, 35, 65]]);
    expect(findingsOf(checkTable(t, settings(), []), 'SDC-03')).toEqual([{ row: 0, column: 'F', code: 'sdc.recomputable_line', verdict: 'fail' }]);
  });
});

describe('SDC-04 dominance and SDC-05 p %', () => {
  const magnitudes = (rows: (number | string | null)[][]) =>
    table([col('region', 'dimension'), col('u', 'units'), col('montant', 'magnitude', { units: 'u', top1: 't1', top2: 't2' }), col('t1', 'top1'), col('t2', 'top2')], rows);

  it('SDC-04: a cell whose largest contributor makes 88 % fails (1, 85); a spread cell passes', () => {
    const r = checkTable(magnitudes([['11', 20, 1000, 880, 10], ['84', 50, 1000, 100, 90]]), settings(), []);
    expect(findingsOf(r, 'SDC-04')).toEqual([{ row: 0, column: 'montant', code: 'sdc.dominance', verdict: 'fail' }]);
    expect(r.findings.find((f) => f.rule === 'SDC-04')!.values).toMatchObject({ n: 1, k: 85, share: 88 });
  });

  it('SDC-04: the two largest make 92 % (each under 85 %) — (2, 90) fails', () => {
    const r = checkTable(magnitudes([['11', 20, 1000, 500, 420]]), settings(), []);
    expect(r.findings.filter((f) => f.rule === 'SDC-04').map((f) => f.values.n)).toEqual([2]);
  });

  it('SDC-04: exactly k % passes (the rule is "more than k %"); custom rules are honoured', () => {
    expect(verdictOf(checkTable(magnitudes([['11', 20, 1000, 850, 40]]), settings(), []), 'SDC-04')).toBe('pass');
    expect(verdictOf(checkTable(magnitudes([['11', 20, 1000, 850, 40]]), settings({ dominance: [{ n: 1, k: 80 }] }), []), 'SDC-04')).toBe('fail');
  });

  it('SDC-04: negative amounts go to review; zero cells pass; missing top columns go to review', () => {
    const r = checkTable(magnitudes([['11', 20, -500, 100, 50], ['84', 20, 0, 0, 0], ['93', 20, 1000, null, 10]]), settings(), []);
    expect(findingsOf(r, 'SDC-04')).toEqual([
      { row: 0, column: 'montant', code: 'sdc.negative_magnitude', verdict: 'review' },
      { row: 2, column: 'montant', code: 'sdc.top_missing', verdict: 'review' },
    ]);
    const noTop = table([col('region', 'dimension'), col('u', 'units'), col('montant', 'magnitude', { units: 'u' })], [['11', 20, 1000]]);
    expect(findingsOf(checkTable(noTop, settings(), []), 'SDC-04')).toEqual([{ row: null, column: 'montant', code: 'sdc.dominance_unchecked', verdict: 'review' }]);
    // Auxiliary columns named but absent count as missing.
    const dangling = table([col('region', 'dimension'), col('montant', 'magnitude', { units: 'u', top1: 'gone', top2: 'gone2' })], [['11', 1000]]);
    const r2 = checkTable(dangling, settings(), []);
    expect(findingsOf(r2, 'SDC-04')).toEqual([{ row: null, column: 'montant', code: 'sdc.dominance_unchecked', verdict: 'review' }]);
    expect(findingsOf(r2, 'SDC-01')).toEqual([{ row: null, column: 'montant', code: 'sdc.units_missing', verdict: 'review' }]);
  });

  it('SDC-04: a table without magnitudes skips the rule', () => {
    expect(checkTable(byAge([20, 30, 40, 90]), settings(), []).rules.find((r) => r.rule === 'SDC-04')!.skipped).toBe('sdc.skip.no_magnitude');
  });

  it('SDC-05: the rest after the two largest under p % of the largest fails', () => {
    // 1000 = 600 + 350 + 50: rest 50 is 8.3 % of 600 < 10 % (dominance: 60 %, 95 % → (2,90) fails too).
    const r = checkTable(magnitudes([['11', 20, 1000, 600, 350], ['84', 20, 1000, 300, 200]]), settings(), []);
    expect(findingsOf(r, 'SDC-05')).toEqual([{ row: 0, column: 'montant', code: 'sdc.p_percent', verdict: 'fail' }]);
    expect(r.findings.find((f) => f.rule === 'SDC-05')!.values).toMatchObject({ ratio: 8.33, p: 10 });
  });

  it('SDC-05: exactly p % passes; a larger p fails it', () => {
    // rest = 1000 − 500 − 450 = 50 = 10 % of 500.
    expect(verdictOf(checkTable(magnitudes([['11', 20, 1000, 500, 450]]), settings(), []), 'SDC-05')).toBe('pass');
    expect(verdictOf(checkTable(magnitudes([['11', 20, 1000, 500, 450]]), settings({ pPercent: 15 }), []), 'SDC-05')).toBe('fail');
  });
});

describe('SDC-06 residual degrees of freedom', () => {
  const coefficients = [col('term', 'dimension'), col('estimate', 'model'), col('std_error', 'model')];
  it('SDC-06: enough residual df passes; too few fails', () => {
    expect(verdictOf(checkTable(table(coefficients, [['age', 0.2, 0.01]], { observations: 200, parameters: 5 }), settings(), []), 'SDC-06')).toBe('pass');
    const r = checkTable(table(coefficients, [['age', 0.2, 0.01]], { observations: 14, parameters: 5 }), settings(), []);
    expect(findingsOf(r, 'SDC-06')).toEqual([{ row: null, column: null, code: 'sdc.residual_df', verdict: 'fail' }]);
    expect(r.findings[0]!.values).toEqual({ observations: 14, parameters: 5, df: 9, min: 10 });
  });

  it('SDC-06: exactly the minimum passes; a model table without its counts goes to review', () => {
    expect(verdictOf(checkTable(table(coefficients, [['age', 0.2, 0.01]], { observations: 15, parameters: 5 }), settings(), []), 'SDC-06')).toBe('pass');
    expect(findingsOf(checkTable(table(coefficients, [['age', 0.2, 0.01]]), settings(), []), 'SDC-06')).toEqual([{ row: null, column: null, code: 'sdc.model_info_missing', verdict: 'review' }]);
  });
});

describe('SDC-08 rounding', () => {
  it('SDC-08: off by default (skipped)', () => {
    expect(checkTable(byAge([12, 250, 41, 303]), settings(), []).rules.find((r) => r.rule === 'SDC-08')!.skipped).toBe('sdc.skip.rounding_off');
  });

  it('SDC-08: every count and total must be a multiple of the base', () => {
    const r = checkTable(byAge([15, 250, 41, 305]), settings({ roundingBase: 5 }), []);
    expect(findingsOf(r, 'SDC-08')).toEqual([{ row: 2, column: 'n', code: 'sdc.not_rounded', verdict: 'fail' }]);
    expect(verdictOf(checkTable(byAge([15, 250, 40, 305]), settings({ roundingBase: 5 }), []), 'SDC-08')).toBe('pass');
  });

  it('SDC-08: a total within ⌊(m+1)/2⌋ × base of the rounded cells passes; beyond goes to review', () => {
    // Three cells rounded: tolerance ⌊4/2⌋ × 5 = 10.
    expect(verdictOf(checkTable(byAge([15, 250, 40, 315]), settings({ roundingBase: 5 }), []), 'SDC-08')).toBe('pass');
    const wide = table(
      [col('region', 'dimension'), col('F', 'count'), col('H', 'count'), col('Total', 'count')],
      [
        ['11', 15, 40, 70],
        ['84', 30, 35, 65],
        ['93', 20, 20, 40],
      ],
    );
    expect(findingsOf(checkTable(wide, settings({ roundingBase: 5 }), []), 'SDC-08')).toEqual([{ row: 0, column: 'Total', code: 'sdc.total_inconsistent', verdict: 'review' }]);
  });
});
