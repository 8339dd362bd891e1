/** Presenters: rows → views, whitelisting fields (never a row as is). */
import type { ChangeView, DatasetSummaryView, DatasetView, JoinView, VariableView } from './schema.js';
import type { ChangeRow, DatasetRow, ProducerRow, VariableRow } from './repo.js';

export function presentProducer(p: ProducerRow) {
  return { slug: p.slug, name: p.name, url: p.url, email: p.email, organisationId: p.organisation_id };
}

export function presentDatasetSummary(d: DatasetRow, producer: ProducerRow, tableCount: number): DatasetSummaryView {
  return { slug: d.slug, title: d.title, description: d.description, producer: presentProducer(producer), themes: d.themes, keywords: d.keywords, accessRights: d.access_rights, tableCount };
}

export function presentDataset(d: DatasetRow, producer: ProducerRow, tables: DatasetView['tables']): DatasetView {
  return {
    ...presentDatasetSummary(d, producer, tables.length),
    contactPoint: { name: d.contact_name, email: d.contact_email },
    temporalCoverage: { start: d.temporal_start, end: d.temporal_end },
    spatialCoverage: d.spatial,
    updateFrequency: d.update_frequency,
    legalBasis: d.legal_basis,
    numberOfRecords: d.number_of_records,
    numberOfUniqueIndividuals: d.number_of_unique_individuals,
    populationCoverage: d.population_coverage,
    codingSystems: d.coding_systems,
    qualityAnnotations: d.quality_annotations,
    version: d.version,
    issued: d.issued,
    modified: d.modified,
    licence: d.licence,
    landingPage: d.landing_page,
    covers: { products: d.products, tables: d.table_names },
    revision: d.revision,
    tables,
  };
}

export function presentVariable(v: VariableRow): VariableView {
  return {
    name: v.name,
    position: v.position,
    label: v.label,
    type: v.type,
    length: v.length,
    format: v.format,
    nomenclature: v.nomenclature,
    nomenclatureColumn: v.nomenclature_column,
    dateCreated: v.date_created,
    dateDeleted: v.date_deleted,
    dateMissing: v.date_missing,
    managementRule: v.management_rule,
    observation: v.observation,
    sensitivity: v.sensitivity,
    constraints: v.constraints,
    revision: v.revision,
  };
}

export function presentJoin(j: { from_table: string; from_fields: string[]; to_table: string; to_fields: string[]; description: string }, known: Set<string>): JoinView {
  return { fromTable: j.from_table, fromFields: j.from_fields, toTable: j.to_table, toFields: j.to_fields, description: j.description, toTableKnown: known.has(j.to_table) };
}

export function presentChange(c: ChangeRow): ChangeView {
  return { version: c.version_number, occurredAt: c.occurred_at.toISOString(), actor: c.actor_label, entityType: c.entity_type, entityKey: c.entity_key, change: c.change, before: c.before, after: c.after };
}
