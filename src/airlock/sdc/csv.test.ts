/** CSV in (separators, decimal comma, located errors) and out (auxiliary columns dropped, suppressed cells). */
import { describe, expect, it } from 'vitest';
import { HdhError, messageFor } from '../../platform/errors.js';
import { parseCsv, toReleasedCsv } from './csv.js';
import { col, table } from './test-tables.js';
import { SUPPRESSED } from './types.js';

function csvError(run: () => unknown): HdhError {
  try {
    run();
  } catch (e) {
    if (e instanceof HdhError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parseCsv', () => {
  it('EXP-05: semicolons, decimal comma, grouped thousands, codes with leading zeros, empty cells', () => {
    const { header, rows } = parseCsv('\uFEFFdep;n;cout\n01;12;3,5\n2A;1 234;\n75;s;-2,25\n', 'sortie.csv');
    expect(header).toEqual(['dep', 'n', 'cout']);
    expect(rows).toEqual([
      ['01', 12, 3.5],
      ['2A', 1234, null],
      [75, 's', -2.25],
    ]);
  });

  it('EXP-05: commas and quoted fields', () => {
    expect(parseCsv('region,"libellé, long",n\n11,"Île-de-France",40\n', 'x.csv')).toEqual({ header: ['region', 'libellé, long', 'n'], rows: [[11, 'Île-de-France', 40]] });
  });

  it('EXP-05: located errors — ragged row, unclosed quote, empty or duplicate header, empty file', () => {
    const ragged = csvError(() => parseCsv('a;b\n1;2\n3;4;5\n', 't.csv'));
    expect(ragged.code).toBe('airlock.csv_invalid');
    expect(ragged.status).toBe(400);
    expect(ragged.params).toMatchObject({ file: 't.csv', line: 3 });
    expect(messageFor(ragged.code, 'fr', ragged.params)).toContain('Fichier t.csv, ligne 3');
    expect(csvError(() => parseCsv('a;b\n1;"2\n', 't.csv')).params).toMatchObject({ line: 2 });
    expect(csvError(() => parseCsv('a;;c\n1;2;3\n', 't.csv')).params).toMatchObject({ line: 1, column: 2 });
    expect(csvError(() => parseCsv('a;b;a\n1;2;3\n', 't.csv')).params).toMatchObject({ line: 1, column: 3 });
    expect(csvError(() => parseCsv('  \n', 't.csv')).params).toMatchObject({ line: 1, reason: 'empty' });
  });
});

describe('toReleasedCsv', () => {
  it('EXP-05: auxiliary columns dropped, suppressed cells written as SUPPRESSED, formulas defused', () => {
    const t = table(
      [col('region', 'dimension'), col('n', 'count'), col('montant', 'magnitude', { units: 'u', top1: 't1' }), col('u', 'units'), col('t1', 'top1')],
      [
        ['11', 40, 1000.5, 40, 100],
        ['=cmd', 'x', SUPPRESSED, 3, 2],
        ['93', null, -5, 12, 1],
      ],
    );
    expect(toReleasedCsv(t)).toBe(`region,n,montant\n11,40,1000.5\n'=cmd,${SUPPRESSED},${SUPPRESSED}\n93,,-5\n`);
  });
});
