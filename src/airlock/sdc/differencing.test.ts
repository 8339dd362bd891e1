/** SDC-09: differencing against the project's earlier releases. */
import { describe, expect, it } from 'vitest';
import { messageFor } from '../../platform/errors.js';
import { checkTable } from './check.js';
import { col, findingsOf, settings, table } from './test-tables.js';
import type { Cell } from './types.js';

/** Patients by region: every cell well above the threshold. */
const regions = ['11', '24', '84', '93'];
const allPatients = [310, 120, 250, 320];
/** The same population without the 3 patients aged 90+ (2 in région 11, 1 in 84). */
const under90 = [308, 120, 249, 320];

const byRegion = (counts: number[]): Cell[][] => [...regions.map((r, i) => [r, counts[i]!]), ['Total', counts.reduce((a, b) => a + b, 0)]];
const regionTable = (counts: number[], name = 'n_patients') => table([col('region', 'dimension'), col(name, 'count')], byRegion(counts));

describe('SDC-09 differencing', () => {
  it('SDC-09: two releases differing by a small group (all patients vs all but 3 aged 90+) fail, cell by cell and on the total', () => {
    const earlier = [{ ref: 'req-1/file-1', table: regionTable(allPatients) }];
    const r = checkTable(regionTable(under90), settings(), earlier);
    // Each table alone passes the threshold.
    expect(checkTable(regionTable(under90), settings(), []).verdict).toBe('pass');
    expect(findingsOf(r, 'SDC-09')).toEqual([
      { row: 0, column: 'n_patients', code: 'sdc.differencing_cell', verdict: 'fail' },
      { row: 2, column: 'n_patients', code: 'sdc.differencing_cell', verdict: 'fail' },
      { row: 4, column: 'n_patients', code: 'sdc.differencing_cell', verdict: 'fail' },
    ]);
    const total = r.findings.find((f) => f.rule === 'SDC-09' && f.row === 4)!;
    expect(total.values).toEqual({ current: 997, earlier: 1000, difference: 3, threshold: 10, release: 'req-1/file-1' });
    expect(messageFor(total.code, 'en', total.params)).toBe('Total / n_patients: 997 here against 1000 in release req-1/file-1; the difference (3) isolates fewer than 10 people.');
    expect(r.verdict).toBe('fail');
  });

  it('SDC-09: different dimensions — the grand totals still give the group away', () => {
    const bySex = table([col('sexe', 'dimension'), col('patients', 'count')], [['F', 520], ['H', 477], ['Ensemble', 997]]);
    const r = checkTable(bySex, settings(), [{ ref: 'r1', table: regionTable(allPatients) }]);
    expect(findingsOf(r, 'SDC-09')).toEqual([{ row: 2, column: 'patients', code: 'sdc.differencing_total', verdict: 'fail' }]);
    // Without a total row, the sum of the categories stands for it.
    const noTotal = table([col('sexe', 'dimension'), col('patients', 'count')], [['F', 520], ['H', 477]]);
    expect(findingsOf(checkTable(noTotal, settings(), [{ ref: 'r1', table: regionTable(allPatients) }]), 'SDC-09')).toEqual([{ row: null, column: 'patients', code: 'sdc.differencing_total', verdict: 'fail' }]);
  });

  it('SDC-09: a finer table is brought to the shared dimensions through its margins', () => {
    const cross = table(
      [col('region', 'dimension'), col('sexe', 'dimension'), col('n_patients', 'count')],
      [
        ['11', 'F', 150],
        ['11', 'H', 158],
        ['11', 'Total', 308],
        ['24', 'Total', 120],
        ['84', 'Total', 249],
        ['93', 'Total', 320],
      ],
    );
    const r = checkTable(cross, settings(), [{ ref: 'r1', table: regionTable(allPatients) }]);
    expect(r.findings.filter((f) => f.rule === 'SDC-09').map((f) => [f.row, f.values.difference])).toEqual([
      [2, 2],
      [4, 1],
      // Grand total: no margin row, so the sum of the regions' margins: 997 against 1000.
      [null, 3],
    ]);
  });

  it('SDC-09: identical re-release, or differences of at least the threshold, pass', () => {
    expect(findingsOf(checkTable(regionTable(allPatients), settings(), [{ ref: 'r1', table: regionTable(allPatients) }]), 'SDC-09')).toEqual([]);
    const far = [290, 120, 250, 300];
    expect(findingsOf(checkTable(regionTable(far), settings(), [{ ref: 'r1', table: regionTable(allPatients) }]), 'SDC-09')).toEqual([]);
  });

  it('SDC-09: a shared dimension with no category in common (another year) is not compared', () => {
    const year = (y: string, n: number[]) => table([col('annee', 'dimension'), col('n', 'count')], [[y, n[0]!], ['Total', n[0]!]]);
    const r = checkTable(year('2023', [1000]), settings(), [{ ref: 'r1', table: year('2022', [997]) }]);
    expect(r.rules.find((x) => x.rule === 'SDC-09')).toEqual({ rule: 'SDC-09', verdict: 'pass', skipped: 'sdc.skip.no_match' });
  });

  it('SDC-09: suppressed cells are not compared; count columns pair by name, else the single ones', () => {
    const hidden = regionTable(under90);
    hidden.rows[0]![1] = 's';
    hidden.rows[1]![1] = 's';
    const r = checkTable(hidden, settings(), [{ ref: 'r1', table: regionTable(allPatients) }]);
    expect(r.findings.filter((f) => f.rule === 'SDC-09').map((f) => f.row)).toEqual([2, 4]);
    const renamed = checkTable(regionTable(under90, 'effectif'), settings(), [{ ref: 'r1', table: regionTable(allPatients) }]);
    expect(renamed.findings.filter((f) => f.rule === 'SDC-09')).toHaveLength(3);
  });

  it('SDC-09: off in the settings, or no earlier release — skipped with the reason', () => {
    expect(checkTable(regionTable(under90), settings({ differencing: false }), [{ ref: 'r1', table: regionTable(allPatients) }]).rules.find((x) => x.rule === 'SDC-09')!.skipped).toBe('sdc.skip.differencing_off');
    expect(checkTable(regionTable(under90), settings(), []).rules.find((x) => x.rule === 'SDC-09')!.skipped).toBe('sdc.skip.no_earlier');
  });

  it('SDC-09: units of a magnitude table are compared like counts', () => {
    const spend = (u: number[]) =>
      table(
        [col('region', 'dimension'), col('u', 'units'), col('montant', 'magnitude', { units: 'u' })],
        regions.map((r, i) => [r, u[i]!, 1000 * u[i]!]),
      );
    const r = checkTable(spend([40, 50, 60, 70]), settings(), [{ ref: 'r1', table: spend([40, 50, 64, 70]) }]);
    expect(r.findings.filter((f) => f.rule === 'SDC-09').map((f) => [f.row, f.column, f.values.difference])).toEqual([
      [2, 'u', 4],
      [null, 'u', 4],
    ]);
  });
});
