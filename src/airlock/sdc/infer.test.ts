/** Role suggestions from names, engine types and values. */
import { describe, expect, it } from 'vitest';
import { inferColumns } from './infer.js';

describe('inferColumns', () => {
  it('SDC-01: counts, dimensions and statistics linked to their units', () => {
    const specs = inferColumns(
      [
        { name: 'annee', type: 'INTEGER' },
        { name: 'tranche_age', type: 'VARCHAR' },
        { name: 'n_patients', type: 'BIGINT' },
        { name: 'cout_moyen', type: 'DOUBLE' },
      ],
      [[2023, '0-17', 120, 40.5]],
    );
    expect(specs).toEqual([
      { name: 'annee', role: 'dimension' },
      { name: 'tranche_age', role: 'dimension' },
      { name: 'n_patients', role: 'count' },
      { name: 'cout_moyen', role: 'statistic', units: 'n_patients' },
    ]);
  });

  it('SDC-04: a magnitude with its units and largest contributions', () => {
    const specs = inferColumns(
      [
        { name: 'BEN_RES_REG', type: 'VARCHAR' },
        { name: 'montant', type: 'DECIMAL(18,2)' },
        { name: 'montant_units', type: 'BIGINT' },
        { name: 'montant_top1', type: 'DOUBLE' },
        { name: 'montant_top2', type: 'DOUBLE' },
      ],
      [['11', 1000, 20, 300, 200]],
    );
    expect(specs).toEqual([
      { name: 'BEN_RES_REG', role: 'dimension' },
      { name: 'montant', role: 'magnitude', units: 'montant_units', top1: 'montant_top1', top2: 'montant_top2' },
      { name: 'montant_units', role: 'units' },
      { name: 'montant_top1', role: 'top1' },
      { name: 'montant_top2', role: 'top2' },
    ]);
  });

  it('SDC-06: tidy model output (term, estimate, std.error, p.value)', () => {
    const specs = inferColumns(
      [
        { name: 'term', type: 'VARCHAR' },
        { name: 'estimate', type: 'DOUBLE' },
        { name: 'std.error', type: 'DOUBLE' },
        { name: 'p.value', type: 'DOUBLE' },
      ],
      [['age', 0.1, 0.01, 0.001]],
    );
    expect(specs.map((s) => s.role)).toEqual(['dimension', 'model', 'model', 'model']);
  });

  it('SDC-01: without a type (CSV), values decide: integers are counts, decimals magnitudes, text dimensions', () => {
    const specs = inferColumns(
      [
        { name: 'x', type: '' },
        { name: 'y', type: '' },
        { name: 'z', type: '' },
      ],
      [['a', 3, 2.5], ['b', 4, null]],
    );
    expect(specs.map((s) => s.role)).toEqual(['dimension', 'count', 'magnitude']);
  });
});
