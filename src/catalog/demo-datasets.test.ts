import path from 'node:path';
import { Parser, Store } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../main.js';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { loadDemoCatalogue, readDatasetsFile } from './demo-catalogue.js';
import { prefixes } from './dcat.js';

const demoFolder = path.join(repoRoot, 'data', 'demo-catalogue');

describe('the demo catalogue datasets file', () => {
  const file = readDatasetsFile(path.join(demoFolder, 'datasets.json'));

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

describe.each(stores)('the demo catalogue at first start on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  it('loads data/demo-catalogue into an empty catalogue, and its DCAT export has the mandatory properties for every dataset', async () => {
    const result = await loadDemoCatalogue(t.hub.services.catalog, demoFolder);
    expect(result.loaded).toBe(true);
    const datasets = (await t.client().get('/api/catalog/datasets')).json<{ slug: string }[]>();
    expect(datasets.length).toBeGreaterThanOrEqual(9);
    const rdf = new Store(new Parser().parse((await t.client().get('/api/catalog/dcat.ttl')).body));
    const subjects = rdf.getSubjects(`${prefixes.rdf}type`, `${prefixes.dcat}Dataset`, null);
    expect(subjects).toHaveLength(datasets.length);
    for (const ds of subjects) {
      for (const p of [`${prefixes.dct}title`, `${prefixes.dct}description`, `${prefixes.dct}identifier`, `${prefixes.dct}publisher`, `${prefixes.dcat}contactPoint`, `${prefixes.dct}accessRights`, `${prefixes.healthdcatap}healthCategory`]) {
        expect(rdf.countQuads(ds, p, null, null), `${ds.value} ${p}`).toBeGreaterThan(0);
      }
    }
  });
});
