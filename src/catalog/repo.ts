/** The catalogue's tables, through Kysely. Search queries live in search-repo.ts. */
import { sql, type GeneratedAlways, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { Sensitivity } from './sensitivity.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    catalog_versions: CatalogVersionTable;
    catalog_changes: CatalogChangeTable;
    catalog_producers: ProducerTable;
    catalog_datasets: DatasetTable;
    catalog_tables: TableTable;
    catalog_variables: VariableTable;
    catalog_nomenclatures: NomenclatureTable;
    catalog_nomenclature_codes: NomenclatureCodeTable;
    catalog_joins: JoinTable;
  }
}

export interface CatalogVersionTable {
  number: number;
  created_at: Date;
  actor_id: string | null;
  actor_label: string;
  source: string;
  summary: Record<string, unknown>;
}
export type EntityType = 'producer' | 'dataset' | 'table' | 'variable' | 'nomenclature' | 'join';
export type ChangeKind = 'added' | 'changed' | 'removed';
export interface CatalogChangeTable {
  id: GeneratedAlways<number>;
  version_number: number;
  occurred_at: Date;
  actor_label: string;
  entity_type: EntityType;
  entity_key: string;
  table_name: string | null;
  change: ChangeKind;
  before: unknown;
  after: unknown;
}
export type ChangeRow = Selectable<CatalogChangeTable>;
export type NewChange = Omit<ChangeRow, 'id' | 'version_number' | 'occurred_at' | 'actor_label'>;

export interface ProducerTable {
  id: string;
  slug: string;
  name: string;
  url: string | null;
  email: string | null;
  organisation_id: string | null;
  created_at: Date;
  updated_at: Date;
}
export type ProducerRow = Selectable<ProducerTable>;

export type AccessRights = 'public' | 'restricted' | 'non_public';
export interface DatasetTable {
  id: string;
  slug: string;
  producer_id: string;
  title: string;
  description: string;
  contact_name: string;
  contact_email: string;
  themes: string[];
  keywords: string[];
  temporal_start: string | null;
  temporal_end: string | null;
  spatial: string | null;
  update_frequency: string | null;
  access_rights: AccessRights;
  legal_basis: string | null;
  number_of_records: number | null;
  number_of_unique_individuals: number | null;
  population_coverage: string | null;
  coding_systems: string[];
  quality_annotations: string | null;
  version: string | null;
  issued: string | null;
  modified: string | null;
  licence: string | null;
  landing_page: string | null;
  products: string[];
  table_names: string[];
  source: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
}
export type DatasetRow = Selectable<DatasetTable>;

export interface TableTable {
  id: string;
  name: string;
  product: string;
  title: string;
  description: string;
  scope: string;
  history: { dateCreated: string | null; dateDeleted: string | null; dateMissing: string[] };
  primary_key: string[];
  name_pattern: string | null;
  missing_values: string[];
  extra: Record<string, unknown>;
  source: string;
  source_path: string;
  content_hash: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
}
export type TableRow = Selectable<TableTable>;

export interface VariableTable {
  id: string;
  table_id: string;
  position: number;
  name: string;
  label: string;
  type: string;
  length: string | null;
  format: string | null;
  nomenclature: string | null;
  nomenclature_column: string | null;
  date_created: string | null;
  date_deleted: string | null;
  date_missing: string[];
  management_rule: string;
  observation: string;
  sensitivity: Sensitivity | null;
  constraints: Record<string, unknown> | null;
  extra: Record<string, unknown>;
  content_hash: string;
  revision: number;
}
export type VariableRow = Selectable<VariableTable>;

export interface NomenclatureTable {
  id: string;
  name: string;
  title: string;
  description: string;
  folder: string;
  columns: { name: string; type: string; role?: 'code' | 'label' }[];
  code_column: string;
  label_column: string | null;
  primary_key: string[];
  has_data: boolean;
  code_count: number;
  source: string;
  source_path: string;
  content_hash: string;
  created_at: Date;
  updated_at: Date;
}
export type NomenclatureRow = Selectable<NomenclatureTable>;

export interface NomenclatureCodeTable {
  nomenclature_id: string;
  row_no: number;
  code: string;
  label: string | null;
  valid_from: string | null;
  valid_to: string | null;
  values: string[];
}
export type CodeRow = Selectable<NomenclatureCodeTable>;

export interface JoinTable {
  id: string;
  from_table_id: string;
  position: number;
  from_fields: string[];
  to_table: string;
  to_fields: string[];
  description: string;
  content_hash: string;
}
export type JoinRow = Selectable<JoinTable>;

const BATCH = 500;
async function insertBatched<T>(items: T[], size: number, insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await insert(items.slice(i, i + size));
}

// Versions and changes
/** Serialises catalogue writers (imports and edits) so version numbers follow each other. */
export async function lockCatalogue(tx: Executor): Promise<number> {
  await sql`lock table catalog_versions in exclusive mode`.execute(tx);
  const row = await tx.selectFrom('catalog_versions').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}
export async function currentVersion(db: Executor): Promise<number> {
  const row = await db.selectFrom('catalog_versions').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}
export function insertVersion(db: Executor, row: CatalogVersionTable) {
  return db.insertInto('catalog_versions').values({ ...row, summary: JSON.stringify(row.summary) as unknown as Record<string, unknown> }).execute();
}
export async function insertChanges(db: Executor, meta: { version: number; at: Date; actorLabel: string }, changes: NewChange[]) {
  await insertBatched(changes, BATCH, (batch) =>
    db
      .insertInto('catalog_changes')
      .values(batch.map((c) => ({ ...c, before: json(c.before), after: json(c.after), version_number: meta.version, occurred_at: meta.at, actor_label: meta.actorLabel })))
      .execute(),
  );
}
function json(value: unknown): unknown {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
export function listVersions(db: Executor, limit: number) {
  return db.selectFrom('catalog_versions').selectAll().orderBy('number', 'desc').limit(limit).execute();
}
export function findVersion(db: Executor, number: number) {
  return db.selectFrom('catalog_versions').selectAll().where('number', '=', number).executeTakeFirst();
}
export function changesOfVersion(db: Executor, number: number, limit: number, offset: number) {
  return db.selectFrom('catalog_changes').selectAll().where('version_number', '=', number).orderBy('id').limit(limit).offset(offset).execute();
}
export function changesOfTable(db: Executor, tableName: string, limit: number) {
  return db.selectFrom('catalog_changes').selectAll().where('table_name', '=', tableName).orderBy('id', 'desc').limit(limit).execute();
}
export function changesOfEntity(db: Executor, type: EntityType, key: string, limit: number) {
  return db.selectFrom('catalog_changes').selectAll().where('entity_type', '=', type).where('entity_key', '=', key).orderBy('id', 'desc').limit(limit).execute();
}

// Producers and datasets
export function listProducers(db: Executor) {
  return db.selectFrom('catalog_producers').selectAll().orderBy('name').execute();
}
export function findProducer(db: Executor, slug: string) {
  return db.selectFrom('catalog_producers').selectAll().where('slug', '=', slug).executeTakeFirst();
}
export function insertProducer(db: Executor, row: ProducerRow) {
  return db.insertInto('catalog_producers').values(row).execute();
}
export function updateProducer(db: Executor, id: string, patch: Partial<ProducerRow>) {
  return db.updateTable('catalog_producers').set(patch).where('id', '=', id).execute();
}
export function listDatasets(db: Executor) {
  return db.selectFrom('catalog_datasets').selectAll().orderBy('title').execute();
}
export function findDataset(db: Executor, slug: string) {
  return db.selectFrom('catalog_datasets').selectAll().where('slug', '=', slug).executeTakeFirst();
}
export function insertDataset(db: Executor, row: Insertable<DatasetTable>) {
  return db.insertInto('catalog_datasets').values(row).execute();
}
export function updateDataset(db: Executor, id: string, patch: Partial<DatasetRow>) {
  return db.updateTable('catalog_datasets').set(patch).where('id', '=', id).execute();
}
export async function countDatasets(db: Executor): Promise<number> {
  const row = await db.selectFrom('catalog_datasets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}
/** Datasets that cover a table, through its product folder or its name. */
export function datasetsCoveringTable(db: Executor, table: { name: string; product: string }) {
  return db
    .selectFrom('catalog_datasets')
    .selectAll()
    .where((eb) => eb.or([eb(sql.val(table.product), '=', eb.fn.any('products')), eb(sql.val(table.name), '=', eb.fn.any('table_names'))]))
    .orderBy('title')
    .execute();
}
export function tablesOfDataset(db: Executor, dataset: { products: string[]; table_names: string[] }) {
  if (dataset.products.length === 0 && dataset.table_names.length === 0) return Promise.resolve([] as TableRow[]);
  return db
    .selectFrom('catalog_tables')
    .selectAll()
    .where((eb) => eb.or([...(dataset.products.length ? [eb('product', 'in', dataset.products)] : []), ...(dataset.table_names.length ? [eb('name', 'in', dataset.table_names)] : [])]))
    .orderBy('product')
    .orderBy('name')
    .execute();
}

// Tables, variables, joins
export function listTables(db: Executor) {
  return db.selectFrom('catalog_tables').selectAll().orderBy('product').orderBy('name').execute();
}
export function findTable(db: Executor, name: string) {
  return db.selectFrom('catalog_tables').selectAll().where('name', '=', name).executeTakeFirst();
}
/** A concrete yearly name (T_MCO19B) finds its template (T_MCOaaB). */
export function findTableByPattern(db: Executor, name: string) {
  return db.selectFrom('catalog_tables').selectAll().where('name_pattern', 'is not', null).where(sql<boolean>`${name} ~ name_pattern`).orderBy('name').executeTakeFirst();
}
export function insertTable(db: Executor, row: TableRow) {
  return db
    .insertInto('catalog_tables')
    .values({ ...row, history: JSON.stringify(row.history) as unknown as TableRow['history'], extra: JSON.stringify(row.extra) as unknown as Record<string, unknown> })
    .execute();
}
export function updateTable(db: Executor, id: string, patch: Partial<TableRow>) {
  const p: Record<string, unknown> = { ...patch };
  if (patch.history) p.history = JSON.stringify(patch.history);
  if (patch.extra) p.extra = JSON.stringify(patch.extra);
  return db.updateTable('catalog_tables').set(p).where('id', '=', id).execute();
}
export function deleteTable(db: Executor, id: string) {
  return db.deleteFrom('catalog_tables').where('id', '=', id).execute();
}
export function variablesOfTable(db: Executor, tableId: string) {
  return db.selectFrom('catalog_variables').selectAll().where('table_id', '=', tableId).orderBy('position').execute();
}
export function allVariables(db: Executor) {
  return db.selectFrom('catalog_variables').selectAll().execute();
}
export async function insertVariables(db: Executor, rows: VariableRow[]) {
  await insertBatched(rows, BATCH, (batch) =>
    db
      .insertInto('catalog_variables')
      .values(batch.map((r) => ({ ...r, constraints: json(r.constraints) as Record<string, unknown> | null, extra: JSON.stringify(r.extra) as unknown as Record<string, unknown> })))
      .execute(),
  );
}
export function updateVariable(db: Executor, id: string, patch: Partial<VariableRow>) {
  const p: Record<string, unknown> = { ...patch };
  if ('constraints' in patch) p.constraints = json(patch.constraints);
  if (patch.extra) p.extra = JSON.stringify(patch.extra);
  return db.updateTable('catalog_variables').set(p).where('id', '=', id).execute();
}
export function deleteVariables(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.deleteFrom('catalog_variables').where('id', 'in', ids).execute();
}
export function findVariable(db: Executor, tableId: string, name: string) {
  return db.selectFrom('catalog_variables').selectAll().where('table_id', '=', tableId).where('name', '=', name).executeTakeFirst();
}
/** Every table holding a variable of this name. */
export function variablesNamed(db: Executor, name: string) {
  return db
    .selectFrom('catalog_variables as v')
    .innerJoin('catalog_tables as t', 't.id', 'v.table_id')
    .select(['t.name as table_name', 't.product', 'v.label', 'v.type', 'v.length', 'v.nomenclature'])
    .where(sql<string>`upper(v.name)`, '=', name.toUpperCase())
    .orderBy('t.product')
    .orderBy('t.name')
    .execute();
}
export function variablesUsingNomenclature(db: Executor, nomenclature: string, limit: number) {
  return db
    .selectFrom('catalog_variables as v')
    .innerJoin('catalog_tables as t', 't.id', 'v.table_id')
    .select(['t.name as table_name', 't.product', 'v.name', 'v.label', 'v.nomenclature_column'])
    .where('v.nomenclature', '=', nomenclature)
    .orderBy('t.name')
    .orderBy('v.name')
    .limit(limit)
    .execute();
}
export function allJoins(db: Executor) {
  return db
    .selectFrom('catalog_joins as j')
    .innerJoin('catalog_tables as t', 't.id', 'j.from_table_id')
    .select(['j.id', 'j.from_table_id', 'j.position', 'j.from_fields', 'j.to_table', 'j.to_fields', 'j.description', 'j.content_hash', 't.name as from_table'])
    .orderBy('t.name')
    .orderBy('j.position')
    .execute();
}
export function joinsTouchingTable(db: Executor, tableName: string) {
  return db
    .selectFrom('catalog_joins as j')
    .innerJoin('catalog_tables as t', 't.id', 'j.from_table_id')
    .select(['j.id', 'j.position', 'j.from_fields', 'j.to_table', 'j.to_fields', 'j.description', 't.name as from_table'])
    .where((eb) => eb.or([eb('t.name', '=', tableName), eb('j.to_table', '=', tableName)]))
    .orderBy('t.name')
    .orderBy('j.position')
    .execute();
}
export async function insertJoins(db: Executor, rows: JoinRow[]) {
  await insertBatched(rows, BATCH, (batch) => db.insertInto('catalog_joins').values(batch).execute());
}
export function deleteJoinsOfTable(db: Executor, tableId: string) {
  return db.deleteFrom('catalog_joins').where('from_table_id', '=', tableId).execute();
}

/**
 * Fresh planner statistics after an import. Without them a prefix query on 400 000 codes is
 * estimated at thousands of rows and a LIMIT picks a sequential scan (≈300 ms instead of ≈10 ms).
 * Allowed in a transaction; it counts the rows this transaction inserted.
 */
export async function analyzeCatalogue(db: Executor): Promise<void> {
  await sql`analyze catalog_tables, catalog_variables, catalog_nomenclatures, catalog_nomenclature_codes, catalog_joins, catalog_datasets, catalog_search_documents`.execute(db);
}

export async function counts(db: Executor) {
  const { rows } = await sql<{ tables: number; variables: number; nomenclatures: number; codes: number; joins: number; datasets: number; producers: number }>`
    select (select count(*) from catalog_tables)::int as tables,
           (select count(*) from catalog_variables)::int as variables,
           (select count(*) from catalog_nomenclatures)::int as nomenclatures,
           (select count(*) from catalog_nomenclature_codes)::int as codes,
           (select count(*) from catalog_joins)::int as joins,
           (select count(*) from catalog_datasets)::int as datasets,
           (select count(*) from catalog_producers)::int as producers`.execute(db);
  return rows[0]!;
}
