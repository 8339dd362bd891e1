import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPerimeter, defaultCatalogueDir, FrictionlessFolderCatalogue } from './perimeter.js';
import { repoRoot } from '../main.js';

const snds = path.resolve(repoRoot, '..', 'shared', 'data', 'schema-snds');
const hasSnds = fs.existsSync(path.join(snds, 'schemas'));
if (!hasSnds && process.env.CI === 'true') throw new Error(`the SNDS schema is required in CI: ${snds} is missing`);
if (!hasSnds) console.warn(`skipping the SNDS schema checks: ${snds} is absent`);

const perimeter = {
  datasets: ['DCIR'],
  tables: [{ name: 'ER_PRS_F', columns: ['BEN_NIR_PSA', 'EXE_SOI_DTD'] }],
  period: { from: '2020-01-01', to: '2020-12-31' },
  population: { description: 'tous', inclusion: [], exclusion: [] },
  durationMonths: 12,
};

describe('perimeter catalogue stand-in', () => {
  it('the demo catalogue knows its three tables, their datasets and columns', async () => {
    const demo = new FrictionlessFolderCatalogue(path.join(repoRoot, 'data', 'demo-catalogue'));
    expect(await demo.tableExists('IR_BEN_R')).toBe(true);
    expect(await demo.tableExists('NOPE')).toBe(false);
    expect(await demo.datasetOf('EB_INV_F')).toBe('EGB');
    expect(await demo.columnsOf('NOPE')).toEqual([]);
    expect(await checkPerimeter(perimeter, demo)).toEqual([]);
  });

  it.runIf(hasSnds)('reads the SNDS Table Schema folder in place, and is the default when present', async () => {
    expect(defaultCatalogueDir(repoRoot)).toBe(snds);
    const catalogue = new FrictionlessFolderCatalogue(snds);
    expect(await catalogue.datasetOf('IR_BEN_R')).toBe('BENEFICIAIRE');
    expect(await catalogue.columnsOf('IR_BEN_R')).toEqual(expect.arrayContaining(['BEN_NIR_PSA', 'BEN_SEX_COD', 'BEN_RES_DPT']));
    expect(await checkPerimeter({ ...perimeter, tables: [{ name: 'ER_PRS_F', columns: ['PRS_PAI_MNT', 'NOT_A_COLUMN'] }] }, catalogue)).toEqual([
      { location: 'perimeter.tables[0].columns[1]', message: 'unknown column NOT_A_COLUMN in table ER_PRS_F' },
    ]);
  });
});
