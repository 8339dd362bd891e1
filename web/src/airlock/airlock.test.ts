import { describe, expect, it } from 'vitest';
import { cellKey, countMarks, flagGrid, rowsToShow, valuesText } from './findings.ts';
import { dataUrlToBase64 } from './images.ts';
import { fromDraft, toDraft } from './settingsForm.ts';
import type { Finding, SdcSettings } from './types.ts';

const finding = (over: Partial<Finding>): Finding => ({ rule: 'SDC-01', verdict: 'fail', row: 0, column: 'n', values: {}, code: 'sdc.threshold', params: {}, ...over });

describe('airlock grid flags', () => {
  it('SDC-01, SDC-02: a cell takes the worst verdict of its findings and the numbers of all of them, in report order', () => {
    const flags = flagGrid([
      finding({ rule: 'SDC-02', verdict: 'review', row: 1, column: 'n' }),
      finding({ rule: 'SDC-01', verdict: 'fail', row: 1, column: 'n', values: { count: 4, threshold: 10 } }),
      finding({ rule: 'SDC-02', verdict: 'review', row: 2, column: 'n' }),
    ]);
    expect(flags.cells.get(cellKey(1, 'n'))).toEqual({ mark: 'fail', findings: [1, 2], rules: ['SDC-02', 'SDC-01'] });
    expect(flags.cells.get(cellKey(2, 'n'))).toEqual({ mark: 'review', findings: [3], rules: ['SDC-02'] });
    expect(countMarks(flags)).toEqual({ fail: 1, review: 1 });
  });

  it('SDC-07, SDC-06: column, row and whole-table findings are placed on the header, the row number and above the grid', () => {
    const flags = flagGrid([
      finding({ rule: 'SDC-07', row: null, column: 'BEN_NIR_PSA' }),
      finding({ rule: 'SDC-09', verdict: 'review', row: 3, column: null }),
      finding({ rule: 'SDC-06', row: null, column: null, values: { observations: 12, parameters: 5 } }),
    ]);
    expect(flags.columns.get('BEN_NIR_PSA')?.mark).toBe('fail');
    expect(flags.rows.get(3)).toEqual({ mark: 'review', findings: [2], rules: ['SDC-09'] });
    expect(flags.table).toEqual({ mark: 'fail', findings: [3], rules: ['SDC-06'] });
    expect(flags.cells.size).toBe(0);
  });

  it('a long table shows its flagged rows first within the limit, then the others in order', () => {
    const flags = flagGrid([finding({ row: 950, column: 'n' }), finding({ row: 5, column: 'n' })]);
    const rows = rowsToShow(1000, flags, 4);
    expect(rows).toEqual([0, 1, 5, 950]);
    expect(rowsToShow(3, flags, 4)).toEqual([0, 1, 2]);
  });

  it('values read as name = value, empty as ∅', () => {
    expect(valuesText({ count: 4, threshold: 10, label: null })).toBe('count = 4, threshold = 10, label = ∅');
  });
});

describe('airlock settings form', () => {
  const hub: SdcSettings = {
    threshold: 10,
    zeroCells: 'review',
    dominance: [{ n: 1, k: 85 }, { n: 2, k: 90 }],
    pPercent: 10,
    minResidualDf: 10,
    potentialIdentifiers: ['commune', 'date_deces'],
    roundingBase: null,
    differencing: true,
  };

  it('the hub settings go to text and back unchanged (rounding off stays null)', () => {
    const draft = toDraft(hub);
    expect(draft.dominance).toBe('1, 85\n2, 90');
    expect(fromDraft(draft, false)).toEqual({ settings: hub, errors: [] });
  });

  it('a dataset override keeps only the fields filled in', () => {
    const draft = { ...toDraft({}), threshold: '11', roundingBase: '5' };
    expect(fromDraft(draft, true)).toEqual({ settings: { threshold: 11, roundingBase: 5 }, errors: [] });
  });

  it('bad lines and missing hub values are located', () => {
    const draft = { ...toDraft(hub), dominance: '1, 85\nbeaucoup\n2, 190\n3, 95', threshold: '' };
    const { errors } = fromDraft(draft, false);
    expect(errors).toEqual([{ field: 'dominance', line: 2 }, { field: 'dominance', line: 3 }, { field: 'dominance', line: 4 }, { field: 'threshold' }]);
  });
});

describe('chart attachments', () => {
  it('a base64 data URL keeps its payload; a percent-encoded SVG becomes the base64 of its UTF-8 text', () => {
    expect(dataUrlToBase64('data:image/png;base64,iVBORw0KGgo=')).toBe('iVBORw0KGgo=');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>Effectifs é</text></svg>';
    const encoded = dataUrlToBase64(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(svg);
  });
});
