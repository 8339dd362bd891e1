import { describe, expect, it } from 'vitest';
import { catalogPaths, hitPath } from './links.ts';

describe('catalogue links', () => {
  it('CAT: every kind of search hit opens its page, names URL-encoded', () => {
    expect(hitPath({ kind: 'dataset', ref: 'snds-dcir' })).toBe('/catalogue/datasets/snds-dcir');
    expect(hitPath({ kind: 'table', ref: 'KI_CCI_R' })).toBe('/catalogue/tables/KI_CCI_R');
    expect(hitPath({ kind: 'variable', ref: 'KI_CCI_R.DCD_CIM_COD' })).toBe('/catalogue/tables/KI_CCI_R/variables/DCD_CIM_COD');
    expect(hitPath({ kind: 'nomenclature', ref: 'IR_CIM_V' })).toBe('/catalogue/nomenclatures/IR_CIM_V');
    expect(hitPath({ kind: 'code', ref: 'IR_CIM_V:I21 0' })).toBe('/catalogue/nomenclatures/IR_CIM_V?q=I21%200');
    expect(catalogPaths.graph('a b')).toBe('/catalogue/graph?dataset=a%20b');
  });
});
