/** SDC-07 (EXP-01..EXP-04): row-level data, identifiers, pseudonyms, potential identifiers, one row per person. */
import { describe, expect, it } from 'vitest';
import { checkTable } from './check.js';
import { identifierKind } from './row-level.js';
import { col, findingsOf, settings, table, verdictOf } from './test-tables.js';

const hex = (i: number) => (BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(64, 'a');

describe('SDC-07 row-level data', () => {
  it('SDC-07: an aggregated table passes', () => {
    const t = table([col('age', 'dimension'), col('n', 'count')], [['0-17', 40], ['18-64', 250], ['Total', 290]]);
    expect(verdictOf(checkTable(t, settings(), []), 'SDC-07')).toBe('pass');
  });

  it('EXP-02: person identifiers by name — SNDS pseudonyms and generic names', () => {
    for (const name of ['BEN_NIR_PSA', 'BEN_NIR_ANO', 'BEN_IDT_ANO', 'NIR_ANO_17', 'nir', 'pseudonym', 'id_patient', 'patient_id', 'Identifiant bénéficiaire', 'nom', 'prenom']) {
      expect(identifierKind(name)?.kind, name).toBe('person');
    }
    const t = table([col('BEN_NIR_PSA', 'dimension'), col('n', 'count')], [['x', 12], ['y', 14]]);
    expect(findingsOf(checkTable(t, settings(), []), 'SDC-07')).toContainEqual({ row: null, column: 'BEN_NIR_PSA', code: 'sdc.identifier_column', verdict: 'fail' });
  });

  it('EXP-03: health-professional identifiers, even anonymised; PRS_NAT and ETA_NUM are not identifiers', () => {
    for (const name of ['PFS_EXE_NUM', 'PFS_PRE_NUM', 'PFS_EXE_NUMC', 'PSP_PPS_NUM', 'MTT_PFS_NUM', 'num_rpps', 'ADELI']) expect(identifierKind(name)?.kind, name).toBe('professional');
    for (const name of ['PRS_NAT', 'ETA_NUM', 'BEN_SEX_COD', 'region_id', 'n_patients', 'age']) expect(identifierKind(name), name).toBeNull();
    expect(identifierKind('SEJ_IDT')?.kind).toBe('record');
  });

  it('EXP-02: a count of NIRs ("nb_nir") is a count, not an identifier', () => {
    const t = table([col('age', 'dimension'), col('nb_nir', 'count')], [['a', 40], ['b', 50]]);
    expect(verdictOf(checkTable(t, settings(), []), 'SDC-07')).toBe('pass');
  });

  it('EXP-02: values that look like pseudonyms (64-hex), NIRs or RPPS numbers fail, whatever the column name', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [hex(i), `1${String(85 + (i % 10)).padStart(2, '0')}0575${String(100000 + i)}${String(10 + i)}`, `10${String(100000000 + i)}`, 12 + i]);
    const t = table([col('k', 'dimension'), col('ref', 'other'), col('ps', 'other'), col('n', 'count')], rows);
    const found = checkTable(t, settings(), []).findings.filter((f) => f.code === 'sdc.identifier_values');
    expect(found.map((f) => [f.column, f.params.kind])).toEqual([
      ['k', 'pseudonymes (hex)'],
      ['ref', 'NIR'],
      ['ps', 'RPPS'],
    ]);
    expect(String(found[0]!.params.example)).toMatch(/^.{4}…$/); // never the whole value
  });

  it('EXP-02: repeated hex-looking codes (few distinct) are categories, not pseudonyms', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [hex(i % 2), 20]);
    expect(findingsOf(checkTable(table([col('k', 'dimension'), col('n', 'count')], rows), settings(), []), 'SDC-07')).toEqual([]);
  });

  it('EXP-04: potential identifiers — SNDS names, generic names, and the settings list', () => {
    const t = table(
      [col('BEN_RES_COM', 'dimension'), col('date_naissance', 'dimension'), col('EXE_SOI_DTD', 'dimension'), col('BEN_DCD_DTE', 'dimension'), col('commune_deces', 'dimension'), col('n', 'count')],
      [['75056', '1950-01', '2023-03-01', '2023-04-02', '13055', 11]],
    );
    const f = findingsOf(checkTable(t, settings(), []), 'SDC-07').filter((x) => x.code === 'sdc.potential_identifier');
    expect(f.map((x) => x.column)).toEqual(['BEN_RES_COM', 'date_naissance', 'EXE_SOI_DTD', 'BEN_DCD_DTE', 'commune_deces']);
    const custom = table([col('code_postal', 'dimension'), col('n', 'count')], [['75011', 40]]);
    expect(verdictOf(checkTable(custom, settings(), []), 'SDC-07')).toBe('pass');
    expect(verdictOf(checkTable(custom, settings({ potentialIdentifiers: ['CODE_POSTAL'] }), []), 'SDC-07')).toBe('fail');
  });

  it('EXP-04: day-precision dates in another column go to review', () => {
    const t = table([col('jour', 'dimension'), col('n', 'count')], [['2023-03-01', 40], ['2023-03-02', 50]]);
    expect(findingsOf(checkTable(t, settings(), []), 'SDC-07')).toEqual([{ row: null, column: 'jour', code: 'sdc.full_dates', verdict: 'review' }]);
  });

  it('EXP-02: one row per person — every count is 1', () => {
    const t = table([col('age', 'dimension'), col('sexe', 'dimension'), col('n', 'count')], [['34', 'F', 1], ['35', 'H', 1], ['36', 'F', 1], ['Total', 'Total', 3]]);
    expect(findingsOf(checkTable(t, settings(), []), 'SDC-07')).toEqual([{ row: null, column: 'n', code: 'sdc.one_row_per_person', verdict: 'fail' }]);
  });

  it('EXP-02: one row per person — no count column and many distinct rows; a short list passes', () => {
    const many = table([col('age', 'dimension'), col('sexe', 'dimension'), col('atc', 'dimension')], Array.from({ length: 25 }, (_, i) => [String(20 + i), i % 2 ? 'F' : 'H', `N02BE0${i % 9}`]));
    expect(findingsOf(checkTable(many, settings(), []), 'SDC-07')).toEqual([{ row: null, column: null, code: 'sdc.row_level', verdict: 'fail' }]);
    const few = table([col('region', 'dimension')], [['11'], ['84'], ['93']]);
    expect(verdictOf(checkTable(few, settings(), []), 'SDC-07')).toBe('pass');
  });
});
