/**
 * Producers and datasets written inside the caller's transaction: upsert from a datasets file or
 * an editor, and a default dataset for each imported product no dataset covers yet (so every
 * table is reachable from a dataset and the DCAT export lists it).
 */
import crypto from 'node:crypto';
import type { Tx } from '../platform/db/database.js';
import { HdhError } from '../platform/errors.js';
import * as repo from './repo.js';
import type { DatasetRow, NewChange, ProducerRow } from './repo.js';
import type { DatasetInput, DatasetPatch, ProducerInput } from './schema.js';

export interface UpsertCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export function datasetFields(input: Omit<DatasetInput, 'slug'>, producerId: string) {
  return {
    producer_id: producerId,
    title: input.title,
    description: input.description,
    contact_name: input.contactPoint.name,
    contact_email: input.contactPoint.email,
    themes: input.themes,
    keywords: input.keywords,
    temporal_start: input.temporalCoverage?.start ?? null,
    temporal_end: input.temporalCoverage?.end ?? null,
    spatial: input.spatialCoverage ?? null,
    update_frequency: input.updateFrequency ?? null,
    access_rights: input.accessRights,
    legal_basis: input.legalBasis ?? null,
    number_of_records: input.numberOfRecords ?? null,
    number_of_unique_individuals: input.numberOfUniqueIndividuals ?? null,
    population_coverage: input.populationCoverage ?? null,
    coding_systems: input.codingSystems,
    quality_annotations: input.qualityAnnotations ?? null,
    version: input.version ?? null,
    issued: input.issued ?? null,
    modified: input.modified ?? null,
    licence: input.licence ?? null,
    landing_page: input.landingPage ?? null,
    products: input.covers.products,
    table_names: input.covers.tables,
  };
}
type DatasetFields = ReturnType<typeof datasetFields>;

/** The editable fields of a row, for the change log and idempotence checks. */
export function datasetSnapshot(row: Pick<DatasetRow, keyof DatasetFields>): DatasetFields {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(datasetFields(placeholder, '')) as (keyof DatasetFields)[]) out[key] = row[key];
  return out as DatasetFields;
}
const placeholder: Omit<DatasetInput, 'slug'> = {
  producer: 'x', title: '', description: '', contactPoint: { name: '', email: '' }, themes: [], keywords: [], accessRights: 'restricted', codingSystems: [], covers: { products: [], tables: [] },
};

export async function upsertProducer(tx: Tx, input: ProducerInput, now: Date, changes: NewChange[]): Promise<ProducerRow> {
  const old = await repo.findProducer(tx, input.slug);
  const fields = { name: input.name, url: input.url ?? null, email: input.email ?? null };
  if (!old) {
    const row: ProducerRow = { id: crypto.randomUUID(), slug: input.slug, ...fields, organisation_id: null, created_at: now, updated_at: now };
    await repo.insertProducer(tx, row);
    changes.push({ entity_type: 'producer', entity_key: input.slug, table_name: null, change: 'added', before: null, after: fields });
    return row;
  }
  const before = { name: old.name, url: old.url, email: old.email };
  if (JSON.stringify(before) === JSON.stringify(fields)) return old;
  await repo.updateProducer(tx, old.id, { ...fields, updated_at: now });
  changes.push({ entity_type: 'producer', entity_key: input.slug, table_name: null, change: 'changed', before, after: fields });
  return { ...old, ...fields };
}

export async function upsertDataset(tx: Tx, input: DatasetInput, source: string, now: Date, changes: NewChange[]): Promise<'added' | 'changed' | 'unchanged'> {
  const producer = await repo.findProducer(tx, input.producer);
  if (!producer) throw new HdhError('catalog.producer_not_found', 400, { producer: input.producer });
  const fields = datasetFields(input, producer.id);
  const old = await repo.findDataset(tx, input.slug);
  if (!old) {
    await repo.insertDataset(tx, { id: crypto.randomUUID(), slug: input.slug, ...fields, source, revision: 1, created_at: now, updated_at: now });
    changes.push({ entity_type: 'dataset', entity_key: input.slug, table_name: null, change: 'added', before: null, after: fields });
    return 'added';
  }
  const before = datasetSnapshot(old);
  if (JSON.stringify(before) === JSON.stringify(fields)) return 'unchanged';
  await repo.updateDataset(tx, old.id, { ...fields, source, revision: old.revision + 1, updated_at: now });
  changes.push({ entity_type: 'dataset', entity_key: input.slug, table_name: null, change: 'changed', before, after: fields });
  return 'changed';
}

export const defaultProducer: ProducerInput = { slug: 'hdh', name: 'Health Data Hub', url: null, email: 'catalogue@hdh.example' };

export function productSlug(product: string): string {
  const s = product.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `produit-${s || 'inconnu'}`.slice(0, 80);
}

/** A dataset for each product of the catalogue that no dataset covers; returns how many were made. */
export async function ensureProductDatasets(tx: Tx, source: string, now: Date, changes: NewChange[]): Promise<number> {
  const datasets = await repo.listDatasets(tx);
  const covered = new Set(datasets.flatMap((d) => d.products));
  const coveredTables = new Set(datasets.flatMap((d) => d.table_names));
  const products = new Map<string, string[]>();
  for (const t of await repo.listTables(tx)) {
    if (covered.has(t.product) || coveredTables.has(t.name)) continue;
    products.set(t.product, [...(products.get(t.product) ?? []), t.name]);
  }
  if (products.size === 0) return 0;
  await upsertProducer(tx, defaultProducer, now, changes);
  let made = 0;
  for (const [product] of products) {
    const slug = productSlug(product);
    if (await repo.findDataset(tx, slug)) continue;
    await upsertDataset(
      tx,
      {
        slug,
        producer: defaultProducer.slug,
        title: product,
        description: `Tables du produit « ${product} », importées du dictionnaire « ${source} ». Fiche à compléter par le producteur.`,
        contactPoint: { name: 'Catalogue du hub', email: defaultProducer.email! },
        themes: [],
        keywords: [product],
        accessRights: 'restricted',
        codingSystems: [],
        covers: { products: [product], tables: [] },
      },
      source,
      now,
      changes,
    );
    made++;
  }
  return made;
}

export function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A patch over a stored dataset, as a full input (fields not sent keep their value). */
export function mergeDatasetPatch(old: repo.DatasetRow, patch: DatasetPatch): Omit<DatasetInput, 'slug'> {
  return {
    producer: patch.producer ?? '',
    title: patch.title ?? old.title,
    description: patch.description ?? old.description,
    contactPoint: patch.contactPoint ?? { name: old.contact_name, email: old.contact_email },
    themes: patch.themes ?? old.themes,
    keywords: patch.keywords ?? old.keywords,
    temporalCoverage: patch.temporalCoverage !== undefined ? patch.temporalCoverage : { start: old.temporal_start, end: old.temporal_end },
    spatialCoverage: patch.spatialCoverage !== undefined ? patch.spatialCoverage : old.spatial,
    updateFrequency: patch.updateFrequency !== undefined ? patch.updateFrequency : (old.update_frequency as DatasetInput['updateFrequency']),
    accessRights: patch.accessRights ?? old.access_rights,
    legalBasis: patch.legalBasis !== undefined ? patch.legalBasis : old.legal_basis,
    numberOfRecords: patch.numberOfRecords !== undefined ? patch.numberOfRecords : old.number_of_records,
    numberOfUniqueIndividuals: patch.numberOfUniqueIndividuals !== undefined ? patch.numberOfUniqueIndividuals : old.number_of_unique_individuals,
    populationCoverage: patch.populationCoverage !== undefined ? patch.populationCoverage : old.population_coverage,
    codingSystems: patch.codingSystems ?? old.coding_systems,
    qualityAnnotations: patch.qualityAnnotations !== undefined ? patch.qualityAnnotations : old.quality_annotations,
    version: patch.version !== undefined ? patch.version : old.version,
    issued: patch.issued !== undefined ? patch.issued : old.issued,
    modified: patch.modified !== undefined ? patch.modified : old.modified,
    licence: patch.licence !== undefined ? patch.licence : old.licence,
    landingPage: patch.landingPage !== undefined ? patch.landingPage : old.landing_page,
    covers: patch.covers ?? { products: old.products, tables: old.table_names },
  };
}
