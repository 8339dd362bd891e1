import { describe, expect, it } from 'vitest';
import { chartOption } from './chartOption.ts';
import { completionSchema } from './duckdbDialect.ts';
import { displayableRows, displayValue, isNumericType, parseParameters, sqlPreview, toNumber } from './format.ts';

const columns = [
  { name: 'BEN_RNG_GEM', type: 'SMALLINT' },
  { name: 'SEX', type: 'VARCHAR' },
  { name: 'n_consultations', type: 'HUGEINT' },
];
// DuckDB's HUGEINT and DECIMAL come as strings in JSON: charts must read them as numbers.
const rows = [
  [1, 'F', '3'],
  [1, 'M', '5'],
  [2, 'F', '2'],
  [3, null, 'x'],
];

describe('workspace charts', () => {
  it('bars sum y by x, in numeric order of x, leaving out rows without a number', () => {
    const spec = chartOption(columns, [[2, 'F', '2'], ...rows.slice(0, 2), rows[3]!], { kind: 'bar', x: 'BEN_RNG_GEM', y: 'n_consultations' });
    expect(spec.option.xAxis).toMatchObject({ type: 'category', data: ['1', '2'] });
    expect(spec.option.series).toEqual([{ type: 'bar', name: 'n_consultations', data: [8, 2] }]);
    expect(spec).toMatchObject({ points: 2, skipped: 1 });
  });

  it('lines keep the query’s order for non-numeric x', () => {
    const spec = chartOption(columns, [[0, 'M', 1], [0, 'F', 2]], { kind: 'line', x: 'SEX', y: 'n_consultations' });
    expect(spec.option.xAxis).toMatchObject({ data: ['M', 'F'] });
    expect(spec.option.series).toEqual([{ type: 'line', name: 'n_consultations', data: [1, 2] }]);
  });

  it('a histogram of whole numbers over a narrow span gets one bin per value', () => {
    const spec = chartOption(columns, [[0, 'F', '1'], [0, 'F', '1'], [0, 'F', '3'], [0, 'F', null]], { kind: 'histogram', x: 'n_consultations', y: '' });
    expect(spec.option.xAxis).toMatchObject({ data: ['1', '2', '3'] });
    expect(spec.option.series).toMatchObject([{ type: 'bar', data: [2, 0, 1] }]);
    expect(spec).toMatchObject({ points: 3, skipped: 1 });
  });

  it('a histogram of real numbers has equal bins, the last one closed', () => {
    const values = [0, 0.5, 1, 1.5, 2, 10].map((v) => [v, 'F', v]);
    const spec = chartOption(columns, values, { kind: 'histogram', x: 'n_consultations', y: '', bins: 5 });
    const series = spec.option.series as { data: number[] }[];
    expect(series[0]!.data).toEqual([4, 1, 0, 0, 1]);
    expect((spec.option.xAxis as { data: string[] }).data[4]).toBe('[8 ; 10]');
    expect(series[0]!.data.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('a scatter plot pairs numbers and skips the rest', () => {
    const spec = chartOption(columns, rows, { kind: 'scatter', x: 'BEN_RNG_GEM', y: 'n_consultations' });
    expect(spec.option.series).toMatchObject([{ type: 'scatter', data: [[1, 3], [1, 5], [2, 2]] }]);
    expect(spec.skipped).toBe(1);
  });

  it('an unknown column is an error, not an empty chart', () => {
    expect(() => chartOption(columns, rows, { kind: 'bar', x: 'nope', y: 'n_consultations' })).toThrow(/nope/);
  });
});

describe('workspace formatting', () => {
  it('reads numbers from DuckDB cells and types', () => {
    expect([toNumber('12'), toNumber(3), toNumber(''), toNumber('a'), toNumber(null), toNumber(Number.NaN)]).toEqual([12, 3, null, null, null, null]);
    expect(['BIGINT', 'DECIMAL(18,3)', 'DOUBLE', 'HUGEINT', 'VARCHAR', 'DATE'].map(isNumericType)).toEqual([true, true, true, true, false, false]);
  });

  it('shows NULL and nested values as text; never more rows than the display cap', () => {
    expect([displayValue(null), displayValue({ a: 1 }), displayValue([1, 2]), displayValue(1.5)]).toEqual(['NULL', '{"a":1}', '[1,2]', '1.5']);
    expect(displayableRows({ rowCount: 5000, rows: [] }, 1000)).toBe(1000);
    expect(displayableRows({ rowCount: 12 }, 1000)).toBe(12);
  });

  it('previews a query without its comment lines', () => {
    expect(sqlPreview('-- Q6. GP consultations\nSELECT a,\n  b\nFROM t;', 80)).toBe('SELECT a, b FROM t;');
    expect(sqlPreview(`SELECT ${'x, '.repeat(100)}1`, 20)).toHaveLength(20);
  });

  it('reads job parameters, numbers as numbers, and names the bad lines', () => {
    expect(parseParameters('year=2019\nicd = I21\n\nbroken')).toEqual({ parameters: { year: 2019, icd: 'I21' }, invalid: ['broken'] });
  });

  it('offers the dictionary’s tables and columns to the completion, with their labels', () => {
    const schema = completionSchema([{ table: 'ER_PRS_F', label: 'Prestations', columns: [{ name: 'BEN_NIR_PSA', type: 'VARCHAR', label: 'Identifiant bénéficiaire' }] }]);
    expect(schema).toEqual({
      ER_PRS_F: { self: { label: 'ER_PRS_F', type: 'type', detail: 'Prestations' }, children: [{ label: 'BEN_NIR_PSA', type: 'property', detail: 'VARCHAR', info: 'Identifiant bénéficiaire' }] },
    });
  });
});
