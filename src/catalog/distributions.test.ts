import path from 'node:path';
import { Parser, Store } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { repoRoot } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { prefixes } from './dcat.js';
import { loadDemoCatalogue } from './demo-catalogue.js';
import { catalogTableOf } from './distributions.js';

const ns = (prefix: keyof typeof prefixes, local: string) => prefixes[prefix] + local;

describe('catalogue table of a release table', () => {
  it('maps yearly PMSI tables to their template, and leaves others alone', () => {
    expect(catalogTableOf('T_MCO19B')).toBe('T_MCOaaB');
    expect(catalogTableOf('T_MCO21UM')).toBe('T_MCOaaUM');
    expect(catalogTableOf('KI_CCI_R')).toBe('KI_CCI_R');
    expect(catalogTableOf('ER_PRS_F')).toBe('ER_PRS_F');
  });
});

describe.each(stores)('synthetic releases registered in the catalogue on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
    await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'));
    await t.hub.services.synthetic.generate(systemActor('test'), { persons: 400, fromYear: 2019, toYear: 2019, seed: 7 });
  });
  afterAll(() => t?.close());

  it('a generated release becomes CSV and Parquet dcat:Distributions of the datasets covering its tables, and the download works', async () => {
    const res = await t.client().get('/api/catalog/dcat.ttl');
    expect(res.statusCode).toBe(200);
    const store = new Store(new Parser().parse(res.body));
    const distributions = store.getSubjects(ns('rdf', 'type'), ns('dcat', 'Distribution'), null);
    expect(distributions.length).toBeGreaterThan(0);
    const deaths = distributions.filter((d) => d.value.includes('/tables/KI_CCI_R#'));
    expect(deaths.map((d) => d.value.split('#')[1]).sort()).toEqual(['csv', 'parquet']);
    for (const d of deaths) {
      expect(store.getSubjects(ns('dcat', 'distribution'), d, null).length).toBeGreaterThan(0);
      expect(store.getObjects(d, ns('dct', 'format'), null)[0]?.value).toMatch(/file-type\/(CSV|PARQUET)$/);
      expect(store.getObjects(d, ns('dct', 'title'), null)[0]?.value).toContain('Données synthétiques');
    }
    // Yearly PMSI tables attach to the template table of the catalogue.
    expect(distributions.some((d) => d.value.includes('/tables/T_MCO19B#csv'))).toBe(true);
    const csvUrl = store.getObjects(deaths.find((d) => d.value.endsWith('#csv'))!, ns('dcat', 'downloadURL'), null)[0]!.value;
    const download = await t.client().get(new URL(csvUrl).pathname + new URL(csvUrl).search);
    expect(download.statusCode).toBe(200);
    expect(download.body.split('\n')[0]).toContain('BEN_IDT_ANO');
  });

  it('the registration is audited', async () => {
    const rows = (await t.superuserSql(`select actor_label, target_id from audit_events where action = 'catalog.distribution_register'`)) as { actor_label: string; target_id: string }[];
    expect(rows).toEqual([{ actor_label: 'system:synthetic', target_id: 'snds-synthetic/1' }]);
  });
});
