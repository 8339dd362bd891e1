import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsonld from 'jsonld';
import { Parser, Store } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { loadDemoCatalogue } from './demo-catalogue.js';
import { miniCatalogue as fixture } from './fixtures/mini-catalogue.js';
import { parseTable } from './import-frictionless.js';
import { prefixes } from './dcat.js';

const ns = (prefix: keyof typeof prefixes, local: string) => prefixes[prefix] + local;
const RDF_TYPE = ns('rdf', 'type');

/** HealthDCAT-AP mandatory properties of a Dataset (and DCAT-AP 3's). */
const mandatory = [ns('dct', 'title'), ns('dct', 'description'), ns('dct', 'identifier'), ns('dct', 'publisher'), ns('dcat', 'contactPoint'), ns('dct', 'accessRights'), ns('dcat', 'theme'), ns('healthdcatap', 'healthCategory')];

function checkDatasets(store: Store, expected: number): void {
  const datasets = store.getSubjects(RDF_TYPE, ns('dcat', 'Dataset'), null);
  expect(datasets).toHaveLength(expected);
  for (const ds of datasets) {
    for (const property of mandatory) expect(store.countQuads(ds, property, null, null), `${ds.value} lacks ${property}`).toBeGreaterThan(0);
    const publisher = store.getObjects(ds, ns('dct', 'publisher'), null)[0]!;
    expect(store.getObjects(publisher, ns('foaf', 'name'), null)).toHaveLength(1);
    const contact = store.getObjects(ds, ns('dcat', 'contactPoint'), null)[0]!;
    expect(store.getObjects(contact, ns('vcard', 'hasEmail'), null)[0]?.value).toMatch(/^mailto:/);
    expect(store.getObjects(ds, ns('dct', 'accessRights'), null)[0]?.value).toMatch(/^http:\/\/publications\.europa\.eu\/resource\/authority\/access-right\/(PUBLIC|RESTRICTED|NON_PUBLIC)$/);
  }
}

describe.each(stores)('DCAT-AP / HealthDCAT-AP and Frictionless exports on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
    await loadDemoCatalogue(t.hub.services.catalog, fixture);
  });
  afterAll(() => t?.close());

  it('the catalogue in Turtle parses with n3 and every dataset has the mandatory properties', async () => {
    const res = await t.client().get('/api/catalog/dcat.ttl');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/turtle/);
    const rdf = new Store(new Parser().parse(res.body));
    checkDatasets(rdf, 3);
    const catalogues = rdf.getSubjects(RDF_TYPE, ns('dcat', 'Catalog'), null);
    expect(catalogues).toHaveLength(1);
    expect(rdf.countQuads(catalogues[0]!, ns('dcat', 'dataset'), null, null)).toBe(3);
    // HealthDCAT-AP specifics of the richest dataset, with their datatypes.
    const ds = rdf.getSubjects(ns('dct', 'title'), null, null).find((s) => s.value.endsWith('/snds-test'))!;
    expect(rdf.getObjects(ds, ns('healthdcatap', 'numberOfRecords'), null)[0]).toMatchObject({ value: '1000', datatype: { value: ns('xsd', 'nonNegativeInteger') } });
    expect(rdf.getObjects(ds, ns('healthdcatap', 'numberOfUniqueIndividuals'), null)[0]?.value).toBe('100');
    expect(rdf.getObjects(ds, ns('healthdcatap', 'hasCodingSystem'), null).map((o) => o.value)).toContain('https://www.wikidata.org/entity/P494');
    expect(rdf.getObjects(ds, ns('dct', 'accrualPeriodicity'), null)[0]?.value).toBe('http://publications.europa.eu/resource/authority/frequency/ANNUAL');
    expect(rdf.countQuads(ds, ns('dpv', 'hasLegalBasis'), null, null)).toBe(1);
    expect(rdf.countQuads(ds, ns('dqv', 'hasQualityAnnotation'), null, null)).toBe(1);
  });

  it('the catalogue in JSON-LD (Accept) expands to the same graph with the jsonld library', async () => {
    const res = await t.client().get('/api/catalog/dcat', { accept: 'application/ld+json' });
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    const nquads = (await jsonld.toRDF(JSON.parse(res.body) as jsonld.JsonLdDocument, { format: 'application/n-quads' })) as unknown as string;
    const fromJsonLd = new Store(new Parser({ format: 'N-Quads' }).parse(nquads));
    checkDatasets(fromJsonLd, 3);
    const fromTurtle = new Parser().parse((await t.client().get('/api/catalog/dcat', { accept: 'text/turtle' })).body);
    // Same number of statements either way (blank node labels differ, the triples do not).
    expect(fromJsonLd.size).toBe(fromTurtle.length);
    const expanded = await jsonld.expand(JSON.parse(res.body) as jsonld.JsonLdDocument);
    expect(expanded.length).toBeGreaterThan(3);
  });

  it('each dataset by content negotiation or suffix', async () => {
    const c = t.client();
    const ttl = await c.get('/api/catalog/datasets/cepidc-test', { accept: 'text/turtle' });
    expect(ttl.headers['content-type']).toMatch(/^text\/turtle/);
    checkDatasets(new Store(new Parser().parse(ttl.body)), 1);
    const viaSuffix = await c.get('/api/catalog/datasets/cepidc-test.jsonld');
    expect(viaSuffix.headers['content-type']).toMatch(/^application\/ld\+json/);
    const quads = (await jsonld.toRDF(JSON.parse(viaSuffix.body) as jsonld.JsonLdDocument, { format: 'application/n-quads' })) as unknown as string;
    checkDatasets(new Store(new Parser({ format: 'N-Quads' }).parse(quads)), 1);
    expect((await c.get('/api/catalog/datasets/cepidc-test')).json()).toMatchObject({ slug: 'cepidc-test' });
    expect((await c.get('/api/catalog/datasets/nope.ttl')).statusCode).toBe(404);
  });

  it('each table as a Frictionless Table Schema that re-imports to the same content', async () => {
    const res = await t.client().get('/api/catalog/tables/ER_PRS_F/table-schema.json');
    expect(res.statusCode).toBe(200);
    const exported = res.json<{ name: string; primaryKey: string[]; foreignKeys: unknown[]; fields: { name: string; type_oracle?: string }[] }>();
    expect(exported).toMatchObject({ name: 'ER_PRS_F', primaryKey: ['PRS_ORD_NUM'] });
    expect(exported.fields.find((f) => f.name === 'EXE_SOI_DTD')?.type_oracle).toBe('date');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-roundtrip-'));
    const rel = path.join('schemas', 'DCIR', 'ER_PRS_F.json');
    const problems: never[] = [];
    const original = parseTable(fixture, path.join(fixture, rel), JSON.parse(fs.readFileSync(path.join(fixture, rel), 'utf8')), problems);
    const again = parseTable(dir, path.join(dir, rel), exported, problems);
    expect(problems).toEqual([]);
    expect(again?.variables.map((v) => v.hash)).toEqual(original?.variables.map((v) => v.hash));
    expect(again?.joins).toEqual(original?.joins);
    expect(again?.primaryKey).toEqual(original?.primaryKey);
  });
});
