/**
 * DCAT-AP 3 / HealthDCAT-AP export of the catalogue and of each dataset: one RDF graph built with
 * n3, written as Turtle (n3's writer) or JSON-LD (a flattened @graph with a prefix context, made
 * from the same quads, so both serialisations always say the same thing).
 */
import type { DistributionRow } from './distributions.js';
import { DataFactory, Writer, type Quad, type Quad_Object, type Quad_Subject } from 'n3';
import type { DatasetView } from './schema.js';

const namedNode = (iri: string) => DataFactory.namedNode(iri);
const literal = (value: string, languageOrDatatype?: string | ReturnType<typeof namedNode>) => DataFactory.literal(value, languageOrDatatype);
const blankNode = (name: string) => DataFactory.blankNode(name);
const quad = (s: Quad_Subject, p: ReturnType<typeof namedNode>, o: Quad_Object) => DataFactory.quad(s, p, o);

export const prefixes = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  dqv: 'http://www.w3.org/ns/dqv#',
  oa: 'http://www.w3.org/ns/oa#',
  dpv: 'https://w3id.org/dpv#',
  healthdcatap: 'http://healthdataportal.eu/ns/health#',
  eu: 'http://publications.europa.eu/resource/authority/',
} as const;

const p = (prefix: keyof typeof prefixes, local: string) => namedNode(prefixes[prefix] + local);
const RDF_TYPE = p('rdf', 'type');

const accessRights: Record<DatasetView['accessRights'], string> = { public: 'PUBLIC', restricted: 'RESTRICTED', non_public: 'NON_PUBLIC' };
const frequencies: Record<string, string> = {
  continuous: 'CONT', daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', annual: 'ANNUAL', irregular: 'IRREG', never: 'NEVER',
};
// Coding systems with a Wikidata identifier property, as HealthDCAT-AP asks; others get a hub IRI.
const codingSystems: Record<string, string> = {
  'CIM-10': 'https://www.wikidata.org/entity/P494',
  'ICD-10': 'https://www.wikidata.org/entity/P494',
  ATC: 'https://www.wikidata.org/entity/P267',
  CCAM: 'https://www.wikidata.org/entity/Q2986507',
};

function slugOf(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export interface DcatOptions {
  /** Public base URL of the hub (https://hub.example): IRIs of the catalogue's resources. */
  baseUrl: string;
  title?: string;
  /** Registered releases by catalogue table: each becomes CSV and Parquet `dcat:Distribution`s. */
  distributions?: Map<string, DistributionRow[]>;
}

const distributionFormats = [
  { key: 'csv', fileType: 'CSV', mediaType: 'text/csv' },
  { key: 'parquet', fileType: 'PARQUET', mediaType: 'application/vnd.apache.parquet' },
] as const;

export function datasetIri(baseUrl: string, slug: string): string {
  return `${baseUrl}/api/catalog/datasets/${slug}`;
}

export function buildDcatQuads(datasets: DatasetView[], options: DcatOptions & { withCatalogue: boolean }): Quad[] {
  const quads: Quad[] = [];
  const add = (s: Quad_Subject, pred: ReturnType<typeof namedNode>, o: Quad_Object) => quads.push(quad(s, pred, o));
  const fr = (text: string) => literal(text, 'fr');
  const base = options.baseUrl.replace(/\/$/, '');
  const catalogue = namedNode(`${base}/api/catalog/dcat`);
  if (options.withCatalogue) {
    add(catalogue, RDF_TYPE, p('dcat', 'Catalog'));
    add(catalogue, p('dct', 'title'), fr(options.title ?? 'Catalogue du Health Data Hub'));
    add(catalogue, p('dct', 'description'), fr('Bases de données de santé documentées par le hub : tables, variables, nomenclatures et jointures.'));
    const hub = blankNode('hub');
    add(catalogue, p('dct', 'publisher'), hub);
    add(hub, RDF_TYPE, p('foaf', 'Agent'));
    add(hub, p('foaf', 'name'), literal('Health Data Hub'));
  }
  const producers = new Map<string, Quad_Subject>();
  for (const d of datasets) {
    const ds = namedNode(datasetIri(base, d.slug));
    if (options.withCatalogue) add(catalogue, p('dcat', 'dataset'), ds);
    add(ds, RDF_TYPE, p('dcat', 'Dataset'));
    add(ds, p('dct', 'identifier'), literal(datasetIri(base, d.slug)));
    add(ds, p('dct', 'title'), fr(d.title));
    add(ds, p('dct', 'description'), fr(d.description));
    let publisher = producers.get(d.producer.slug);
    if (!publisher) {
      publisher = namedNode(`${base}/api/catalog/producers/${d.producer.slug}`);
      producers.set(d.producer.slug, publisher);
      add(publisher, RDF_TYPE, p('foaf', 'Agent'));
      add(publisher, p('foaf', 'name'), literal(d.producer.name));
      if (d.producer.url) add(publisher, p('foaf', 'homepage'), namedNode(d.producer.url));
      if (d.producer.email) add(publisher, p('foaf', 'mbox'), namedNode(`mailto:${d.producer.email}`));
    }
    add(ds, p('dct', 'publisher'), publisher);
    const contact = blankNode(`contact-${d.slug}`);
    add(ds, p('dcat', 'contactPoint'), contact);
    add(contact, RDF_TYPE, p('vcard', 'Kind'));
    add(contact, p('vcard', 'fn'), literal(d.contactPoint.name));
    add(contact, p('vcard', 'hasEmail'), namedNode(`mailto:${d.contactPoint.email}`));
    add(ds, p('dct', 'accessRights'), p('eu', `access-right/${accessRights[d.accessRights]}`));
    add(ds, p('dcat', 'theme'), p('eu', 'data-theme/HEAL'));
    // HealthDCAT-AP health categories: the hub's themes, as concepts of the hub's own scheme.
    const themes = d.themes.length ? d.themes : ['Santé'];
    for (const theme of themes) {
      const concept = namedNode(`${base}/api/catalog/themes/${slugOf(theme)}`);
      add(ds, p('healthdcatap', 'healthCategory'), concept);
      add(concept, RDF_TYPE, p('skos', 'Concept'));
      add(concept, p('skos', 'prefLabel'), fr(theme));
    }
    for (const k of d.keywords) add(ds, p('dcat', 'keyword'), fr(k));
    if (d.temporalCoverage.start || d.temporalCoverage.end) {
      const period = blankNode(`period-${d.slug}`);
      add(ds, p('dct', 'temporal'), period);
      add(period, RDF_TYPE, p('dct', 'PeriodOfTime'));
      if (d.temporalCoverage.start) add(period, p('dcat', 'startDate'), literal(d.temporalCoverage.start, p('xsd', 'date')));
      if (d.temporalCoverage.end) add(period, p('dcat', 'endDate'), literal(d.temporalCoverage.end, p('xsd', 'date')));
    }
    if (d.spatialCoverage) {
      const place = blankNode(`place-${d.slug}`);
      add(ds, p('dct', 'spatial'), place);
      add(place, RDF_TYPE, p('dct', 'Location'));
      add(place, p('rdfs', 'label'), fr(d.spatialCoverage));
      add(place, p('skos', 'exactMatch'), p('eu', 'country/FRA'));
    }
    if (d.updateFrequency && frequencies[d.updateFrequency]) add(ds, p('dct', 'accrualPeriodicity'), p('eu', `frequency/${frequencies[d.updateFrequency]}`));
    if (d.legalBasis) {
      const basis = blankNode(`legal-${d.slug}`);
      add(ds, p('dpv', 'hasLegalBasis'), basis);
      add(basis, RDF_TYPE, p('dpv', 'LegalBasis'));
      add(basis, p('dct', 'description'), fr(d.legalBasis));
    }
    if (d.numberOfRecords !== null) add(ds, p('healthdcatap', 'numberOfRecords'), literal(String(d.numberOfRecords), p('xsd', 'nonNegativeInteger')));
    if (d.numberOfUniqueIndividuals !== null) add(ds, p('healthdcatap', 'numberOfUniqueIndividuals'), literal(String(d.numberOfUniqueIndividuals), p('xsd', 'nonNegativeInteger')));
    if (d.populationCoverage) add(ds, p('healthdcatap', 'populationCoverage'), fr(d.populationCoverage));
    for (const c of d.codingSystems) add(ds, p('healthdcatap', 'hasCodingSystem'), namedNode(codingSystems[c] ?? `${base}/api/catalog/coding-systems/${slugOf(c)}`));
    if (d.qualityAnnotations) {
      const annotation = blankNode(`quality-${d.slug}`);
      add(ds, p('dqv', 'hasQualityAnnotation'), annotation);
      add(annotation, RDF_TYPE, p('dqv', 'QualityAnnotation'));
      add(annotation, p('oa', 'hasBody'), fr(d.qualityAnnotations));
      add(annotation, p('oa', 'motivatedBy'), p('dqv', 'qualityAssessment'));
    }
    if (d.version) add(ds, p('dcat', 'version'), literal(d.version));
    if (d.issued) add(ds, p('dct', 'issued'), literal(d.issued, p('xsd', 'date')));
    if (d.modified) add(ds, p('dct', 'modified'), literal(d.modified, p('xsd', 'date')));
    if (d.licence) add(ds, p('dct', 'license'), /^https?:\/\//.test(d.licence) ? namedNode(d.licence) : literal(d.licence));
    if (d.landingPage) add(ds, p('dcat', 'landingPage'), namedNode(d.landingPage));
    // The dictionary of each covered table, as documentation of the dataset.
    for (const t of d.tables) add(ds, p('foaf', 'page'), namedNode(`${base}/api/catalog/tables/${encodeURIComponent(t.name)}/table-schema.json`));
    for (const t of d.tables) {
      for (const r of options.distributions?.get(t.name) ?? []) {
        const release = `${base}/api/synthetic/releases/${encodeURIComponent(r.release_name)}/${r.release_version}/tables/${encodeURIComponent(r.table_name)}`;
        for (const f of distributionFormats) {
          const dist = namedNode(`${release}#${f.key}`);
          add(ds, p('dcat', 'distribution'), dist);
          add(dist, RDF_TYPE, p('dcat', 'Distribution'));
          add(dist, p('dct', 'title'), fr(`${r.synthetic ? 'Données synthétiques' : 'Données'} — ${r.table_name} (${f.fileType})`));
          add(dist, p('dct', 'description'), fr(`${r.synthetic ? 'Release synthétique (aucune personne réelle)' : 'Release'} ${r.release_name} v${r.release_version}, ${r.row_count} lignes, téléchargeable sans autorisation.`));
          add(dist, p('dcat', 'accessURL'), namedNode(`${release}/download?format=${f.key}`));
          add(dist, p('dcat', 'downloadURL'), namedNode(`${release}/download?format=${f.key}`));
          add(dist, p('dct', 'format'), p('eu', `file-type/${f.fileType}`));
          add(dist, p('dcat', 'mediaType'), namedNode(`https://www.iana.org/assignments/media-types/${f.mediaType}`));
          add(dist, p('dct', 'conformsTo'), namedNode(`${base}/api/catalog/tables/${encodeURIComponent(t.name)}/table-schema.json`));
          add(dist, p('dct', 'issued'), literal(r.registered_at.toISOString(), p('xsd', 'dateTime')));
        }
      }
    }
  }
  return quads;
}

export function toTurtle(quads: Quad[]): Promise<string> {
  const writer = new Writer({ prefixes });
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((err: Error | null, result: string) => (err ? reject(err) : resolve(result))));
}

type JsonLdNode = Record<string, unknown> & { '@id': string };

/** Flattened JSON-LD: every subject a node in @graph, IRIs compacted with the prefix context. */
export function toJsonLd(quads: Quad[]): Record<string, unknown> {
  const compact = (iri: string) => {
    for (const [prefix, ns] of Object.entries(prefixes)) if (iri.startsWith(ns) && /^[\w-]+$/.test(iri.slice(ns.length))) return `${prefix}:${iri.slice(ns.length)}`;
    return iri;
  };
  const nodes = new Map<string, JsonLdNode>();
  const idOf = (term: Quad_Subject | Quad_Object) => (term.termType === 'BlankNode' ? `_:${term.value}` : term.value);
  for (const q of quads) {
    const id = idOf(q.subject);
    let node = nodes.get(id);
    if (!node) nodes.set(id, (node = { '@id': id }));
    if (q.predicate.equals(RDF_TYPE)) {
      node['@type'] = [...((node['@type'] as string[] | undefined) ?? []), compact(q.object.value)];
      continue;
    }
    const key = compact(q.predicate.value);
    let value: Record<string, string>;
    if (q.object.termType === 'Literal') {
      value = { '@value': q.object.value };
      if (q.object.language) value['@language'] = q.object.language;
      else if (q.object.datatype.value !== `${prefixes.xsd}string`) value['@type'] = q.object.datatype.value;
    } else value = { '@id': idOf(q.object) };
    node[key] = [...((node[key] as unknown[] | undefined) ?? []), value];
  }
  return { '@context': { ...prefixes }, '@graph': [...nodes.values()] };
}
