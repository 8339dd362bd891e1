import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../main.js';
import { readDatasetsFile } from './demo-catalogue.js';

describe('the demo catalogue datasets file', () => {
  const file = readDatasetsFile(path.join(repoRoot, 'data', 'demo-catalogue', 'datasets.json'));

  it('is valid and names the SNDS core and the other bases', () => {
    const slugs = file.datasets.map((d) => d.slug);
    expect(slugs).toEqual(expect.arrayContaining(['snds-beneficiaires', 'snds-dcir', 'pmsi-mco', 'cepidc-causes-deces', 'snds-ald', 'referentiel-medicaments', 'mdph-handicap', 'cohorte-population-generale', 'entrepot-hospitalier']));
    const covered = file.datasets.flatMap((d) => d.covers.tables);
    expect(covered).toEqual(expect.arrayContaining(['IR_IMB_R', 'IR_PHA_R', 'ER_PRS_F', 'ER_PHA_F', 'ER_ETE_F', 'KI_CCI_R', 'KI_ECD_R', 'T_MCOaaB', 'T_MCOaaC', 'T_MCOaaD', 'T_MCOaaUM']));
  });

  it('every dataset names a known producer and a contact point', () => {
    const producers = new Set(file.producers.map((p) => p.slug));
    for (const d of file.datasets) {
      expect(producers.has(d.producer), d.slug).toBe(true);
      expect(d.contactPoint.email).toMatch(/@/);
    }
  });
});
