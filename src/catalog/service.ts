/**
 * The catalogue — catalogue des données: producers, datasets, tables, variables, nomenclatures and
 * joins. Reading is public; every change (import or edit) is one transaction that writes a new
 * catalogue version, its change log (who, when, before/after) and an audit event.
 */
import path from 'node:path';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import { datasetFields, datasetSnapshot, ensureProductDatasets, mergeDatasetPatch, stripUndefined, upsertDataset, upsertProducer, type UpsertCounts } from './datasets.js';
import { DistributionService } from './distributions.js';
import { DocumentationService } from './documentation.js';
import { assertNoProblems, readFrictionlessFolder } from './import-frictionless.js';
import { CatalogImporter, type ImportProgress } from './importer.js';
import { assertCanEditCatalogue, assertCanImportCatalogue } from './policy.js';
import { ProgramService } from './programs.js';
import { presentChange, presentDataset, presentDatasetSummary, presentJoin, presentProducer, presentVariable } from './presenters.js';
import * as nomenclatureRepo from './nomenclature-repo.js';
import * as repo from './repo.js';
import type { NewChange, TableRow } from './repo.js';
import type {
  DatasetInput, DatasetPatch, ProducerPatch, DatasetSummaryView, DatasetView, DatasetsFile, GraphView, ImportResult, NomenclatureView, TablePatch, TableView,
  VariableDetailView, VariablePatch, VersionView,
} from './schema.js';
import { CatalogSearch } from './search.js';
import type { SearchQuery, SearchResult } from './schema.js';
import { toTableSchema, type FrictionlessTableSchema } from './table-schema.js';
export type { FrictionlessTableSchema };

registerMessages({
  'catalog.dataset_not_found': { fr: 'Jeu de données introuvable : {slug}', en: 'Dataset not found: {slug}' },
  'catalog.dataset_exists': { fr: 'Un jeu de données « {slug} » existe déjà.', en: 'A dataset “{slug}” already exists.' },
  'catalog.table_not_found': { fr: 'Table introuvable : {name}', en: 'Table not found: {name}' },
  'catalog.variable_not_found': { fr: 'Variable introuvable : {table}.{name}', en: 'Variable not found: {table}.{name}' },
  'catalog.nomenclature_not_found': { fr: 'Nomenclature introuvable : {name}', en: 'Nomenclature not found: {name}' },
  'catalog.version_not_found': { fr: 'Version du catalogue introuvable : {number}', en: 'Catalogue version not found: {number}' },
  'catalog.producer_not_found': { fr: 'Producteur inconnu : {producer}', en: 'Unknown producer: {producer}' },
  'catalog.organisation_not_found': { fr: 'Organisation inconnue : {id}', en: 'Unknown organisation: {id}' },
});

export type { ImportProgress } from './importer.js';
export type { ImportProblem } from './import-frictionless.js';

export interface CatalogServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
}

export interface ImportOptions {
  /** Name of what is imported; removals only touch entities of the same source. Default: folder name. */
  source?: string;
  /** Producers and datasets to write in the same transaction (datasets.json). */
  datasets?: DatasetsFile;
  /** Make a dataset for each product no dataset covers (default true). */
  productDatasets?: boolean;
  onProgress?: (p: ImportProgress) => void;
}

function actorLabel(actor: AnyActor): string {
  return actor.kind === 'user' ? actor.email : `system:${actor.label}`;
}

export class CatalogService {
  /** Documentation pages and shared programs live beside the dictionary, on the same deps. */
  readonly documentation: DocumentationService;
  readonly programs: ProgramService;
  /** Downloadable releases of catalogue tables (synthetic samples), for the pages and DCAT. */
  readonly distributions: DistributionService;
  private readonly searcher: CatalogSearch;

  constructor(private readonly deps: CatalogServiceDeps) {
    this.searcher = new CatalogSearch(deps.db);
    this.documentation = new DocumentationService(deps);
    this.programs = new ProgramService(deps);
    this.distributions = new DistributionService(deps);
  }

  /** Imports a Frictionless folder (and datasets): all or nothing, one new version when anything changed. */
  async importFolder(actor: AnyActor, folder: string, options: ImportOptions = {}): Promise<ImportResult> {
    assertCanImportCatalogue(actor);
    const started = performance.now();
    const parsed = readFrictionlessFolder(folder);
    const source = options.source ?? path.basename(parsed.root);
    try {
      assertNoProblems(parsed.problems);
    } catch (err) {
      await this.deps.audit.recordStandalone({ actor, action: 'catalog.import', outcome: 'failure', details: { source, problems: parsed.problems.length } });
      throw err;
    }
    try {
      return await this.deps.db.transaction().execute(async (tx) => {
        const now = this.deps.clock.now();
        const last = await repo.lockCatalogue(tx);
        const importer = new CatalogImporter(tx, source, now, options.onProgress);
        await importer.apply(parsed);
        assertNoProblems(importer.problems);
        const datasets = options.datasets ? await this.writeDatasets(tx, options.datasets, source, now, importer.changes) : { added: 0, changed: 0, removed: 0, unchanged: 0 };
        if (options.productDatasets !== false) datasets.added += await ensureProductDatasets(tx, source, now, importer.changes);
        const version = await this.commitVersion(tx, actor, last, source, importer.changes, { diff: importer.diff, datasets });
        if (version !== null) await repo.analyzeCatalogue(tx);
        await this.deps.audit.record(tx, { actor, action: 'catalog.import', target: { type: 'catalog_source', id: source }, details: { version, tables: importer.diff.tables, variables: importer.diff.variables, nomenclatures: importer.diff.nomenclatures, codes: importer.diff.codes } });
        return { version, source, durationMs: Math.round(performance.now() - started), diff: importer.diff, datasets };
      });
    } catch (err) {
      if (err instanceof HdhError && err.code === 'catalog.import_invalid') await this.deps.audit.recordStandalone({ actor, action: 'catalog.import', outcome: 'failure', details: { source, error: err.message } });
      throw err;
    }
  }

  /** Writes producers and datasets alone (a datasets.json without schemas). */
  async importDatasets(actor: AnyActor, file: DatasetsFile, source: string): Promise<UpsertCounts & { version: number | null }> {
    assertCanImportCatalogue(actor);
    return this.deps.db.transaction().execute(async (tx) => {
      const now = this.deps.clock.now();
      const last = await repo.lockCatalogue(tx);
      const changes: NewChange[] = [];
      const counts = await this.writeDatasets(tx, file, source, now, changes);
      const version = await this.commitVersion(tx, actor, last, source, changes, { datasets: counts });
      await this.deps.audit.record(tx, { actor, action: 'catalog.import_datasets', target: { type: 'catalog_source', id: source }, details: { version, ...counts } });
      return { ...counts, version };
    });
  }

  private async writeDatasets(tx: Tx, file: DatasetsFile, source: string, now: Date, changes: NewChange[]): Promise<UpsertCounts> {
    const counts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    for (const p of file.producers) await upsertProducer(tx, p, now, changes);
    for (const d of file.datasets) counts[await upsertDataset(tx, d, source, now, changes)]++;
    return counts;
  }

  private async commitVersion(tx: Tx, actor: AnyActor, last: number, source: string, changes: NewChange[], summary: Record<string, unknown>): Promise<number | null> {
    if (changes.length === 0) return null;
    const number = last + 1;
    this.searcher.expectVersion(number);
    const at = this.deps.clock.now();
    await repo.insertVersion(tx, { number, created_at: at, actor_id: actor.kind === 'user' ? actor.userId : null, actor_label: actorLabel(actor), source, summary: { ...summary, changes: changes.length } });
    await repo.insertChanges(tx, { version: number, at, actorLabel: actorLabel(actor) }, changes);
    return number;
  }

  /** One edit: lock, apply, version, audit — in one transaction. */
  private edit<T>(actor: AnyActor, action: string, target: { type: string; id: string }, run: (tx: Tx, changes: NewChange[]) => Promise<T>): Promise<T> {
    return this.deps.db.transaction().execute(async (tx) => {
      const last = await repo.lockCatalogue(tx);
      const changes: NewChange[] = [];
      const result = await run(tx, changes);
      const version = await this.commitVersion(tx, actor, last, 'edit', changes, { action, target });
      await this.deps.audit.record(tx, { actor, action, target, details: { version, changes: changes.map((c) => `${c.change} ${c.entity_type} ${c.entity_key}`) } });
      return result;
    });
  }

  async isEmpty(): Promise<boolean> {
    const c = await repo.counts(this.deps.db);
    return c.tables === 0 && c.datasets === 0;
  }

  counts() {
    return repo.counts(this.deps.db);
  }

  async listProducers() {
    return (await repo.listProducers(this.deps.db)).map(presentProducer);
  }

  /** Only hub staff link a producer to an organisation (that grants its data producers edit rights). */
  async updateProducer(actor: AnyActor, slug: string, patch: ProducerPatch) {
    assertCanImportCatalogue(actor);
    await this.edit(actor, 'catalog.producer_update', { type: 'producer', id: slug }, async (tx, changes) => {
      const old = await repo.findProducer(tx, slug);
      if (!old) throw new HdhError('catalog.producer_not_found', 404, { producer: slug });
      const before = { name: old.name, url: old.url, email: old.email, organisation_id: old.organisation_id };
      const after = { ...before, ...stripUndefined({ name: patch.name, url: patch.url, email: patch.email, organisation_id: patch.organisationId }) };
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      try {
        await repo.updateProducer(tx, old.id, { ...after, updated_at: this.deps.clock.now() });
      } catch (err) {
        // The organisation belongs to identity: its foreign key is the existence check.
        if ((err as { code?: string }).code === '23503') throw new HdhError('catalog.organisation_not_found', 400, { id: after.organisation_id });
        throw err;
      }
      changes.push({ entity_type: 'producer', entity_key: slug, table_name: null, change: 'changed', before, after });
    });
    return (await this.listProducers()).find((p) => p.slug === slug)!;
  }

  async listDatasets(): Promise<DatasetSummaryView[]> {
    const db = this.deps.db;
    const producers = new Map((await repo.listProducers(db)).map((p) => [p.id, p]));
    const tables = await repo.listTables(db);
    return (await repo.listDatasets(db)).map((d) => presentDatasetSummary(d, producers.get(d.producer_id)!, tables.filter((t) => d.products.includes(t.product) || d.table_names.includes(t.name)).length));
  }

  async getDataset(slug: string): Promise<DatasetView> {
    const db = this.deps.db;
    const d = await repo.findDataset(db, slug);
    if (!d) throw new HdhError('catalog.dataset_not_found', 404, { slug });
    const producer = (await repo.listProducers(db)).find((p) => p.id === d.producer_id)!;
    const tables = await repo.tablesOfDataset(db, d);
    const counts = await this.variableCounts();
    return presentDataset(d, producer, tables.map((t) => ({ name: t.name, product: t.product, title: t.title, variableCount: counts.get(t.id) ?? 0 })));
  }

  private async variableCounts(): Promise<Map<string, number>> {
    const rows = await this.deps.db.selectFrom('catalog_variables').select(['table_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('table_id').execute();
    return new Map(rows.map((r) => [r.table_id, Number(r.n)]));
  }

  async createDataset(actor: AnyActor, input: DatasetInput): Promise<DatasetView> {
    assertCanEditCatalogue(actor, []);
    await this.edit(actor, 'catalog.dataset_create', { type: 'dataset', id: input.slug }, async (tx, changes) => {
      if (await repo.findDataset(tx, input.slug)) throw new HdhError('catalog.dataset_exists', 409, { slug: input.slug });
      await upsertDataset(tx, input, 'edit', this.deps.clock.now(), changes);
    });
    return this.getDataset(input.slug);
  }

  async updateDataset(actor: AnyActor, slug: string, patch: DatasetPatch): Promise<DatasetView> {
    await this.edit(actor, 'catalog.dataset_update', { type: 'dataset', id: slug }, async (tx, changes) => {
      const old = await repo.findDataset(tx, slug);
      if (!old) throw new HdhError('catalog.dataset_not_found', 404, { slug });
      const producers = await repo.listProducers(tx);
      const current = producers.find((p) => p.id === old.producer_id)!;
      assertCanEditCatalogue(actor, [current.organisation_id]);
      const producer = patch.producer ? producers.find((p) => p.slug === patch.producer) : current;
      if (!producer) throw new HdhError('catalog.producer_not_found', 400, { producer: patch.producer });
      const before = datasetSnapshot(old);
      const merged = { ...before, ...stripUndefined(datasetFields(mergeDatasetPatch(old, patch), producer.id)) };
      if (JSON.stringify(before) === JSON.stringify(merged)) return;
      await repo.updateDataset(tx, old.id, { ...merged, revision: old.revision + 1, updated_at: this.deps.clock.now() });
      changes.push({ entity_type: 'dataset', entity_key: slug, table_name: null, change: 'changed', before, after: merged });
    });
    return this.getDataset(slug);
  }

  /** A table by name; a concrete yearly name (T_MCO19B) finds its template (T_MCOaaB). */
  private async findTable(db: Db | Tx, name: string): Promise<TableRow> {
    const t = (await repo.findTable(db, name)) ?? (await repo.findTableByPattern(db, name));
    if (!t) throw new HdhError('catalog.table_not_found', 404, { name });
    return t;
  }

  private async producerOrganisationsOf(db: Db | Tx, table: TableRow): Promise<(string | null)[]> {
    const datasets = await repo.datasetsCoveringTable(db, table);
    const producers = await repo.listProducers(db);
    return datasets.map((d) => producers.find((p) => p.id === d.producer_id)?.organisation_id ?? null);
  }

  /** Organisations whose producers publish a table (through the datasets covering it): who may load it. */
  async tableProducerOrganisations(name: string): Promise<(string | null)[]> {
    return this.producerOrganisationsOf(this.deps.db, await this.findTable(this.deps.db, name));
  }

  async listTables(product?: string) {
    const counts = await this.variableCounts();
    return (await repo.listTables(this.deps.db)).filter((t) => !product || t.product === product).map((t) => ({ name: t.name, product: t.product, title: t.title, namePattern: t.name_pattern, variableCount: counts.get(t.id) ?? 0 }));
  }

  async getTable(name: string): Promise<TableView> {
    const db = this.deps.db;
    const t = await this.findTable(db, name);
    const variables = await repo.variablesOfTable(db, t.id);
    const joins = await repo.joinsTouchingTable(db, t.name);
    const known = new Set((await repo.listTables(db)).map((x) => x.name));
    const datasets = await repo.datasetsCoveringTable(db, t);
    const changes = await repo.changesOfTable(db, t.name, 100);
    return {
      name: t.name, product: t.product, title: t.title, description: t.description, scope: t.scope, history: t.history, primaryKey: t.primary_key,
      namePattern: t.name_pattern, source: t.source, revision: t.revision, updatedAt: t.updated_at.toISOString(),
      datasets: datasets.map((d) => ({ slug: d.slug, title: d.title })),
      variables: variables.map(presentVariable),
      joins: joins.map((j) => presentJoin(j, known)),
      changes: changes.map(presentChange),
    };
  }

  async updateTable(actor: AnyActor, name: string, patch: TablePatch): Promise<TableView> {
    let resolved = name;
    await this.edit(actor, 'catalog.table_update', { type: 'table', id: name }, async (tx, changes) => {
      const t = await this.findTable(tx, name);
      resolved = t.name;
      assertCanEditCatalogue(actor, await this.producerOrganisationsOf(tx, t));
      const before = { title: t.title, description: t.description, scope: t.scope };
      const after = { ...before, ...stripUndefined(patch) };
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      await repo.updateTable(tx, t.id, { ...after, revision: t.revision + 1, updated_at: this.deps.clock.now() });
      changes.push({ entity_type: 'table', entity_key: t.name, table_name: t.name, change: 'changed', before, after });
    });
    return this.getTable(resolved);
  }

  async getVariable(tableName: string, name: string): Promise<VariableDetailView> {
    const db = this.deps.db;
    const t = await this.findTable(db, tableName);
    const v = await repo.findVariable(db, t.id, name);
    if (!v) throw new HdhError('catalog.variable_not_found', 404, { table: tableName, name });
    const known = new Set((await repo.listTables(db)).map((x) => x.name));
    const joins = (await repo.joinsTouchingTable(db, t.name)).filter((j) => (j.from_table === t.name && j.from_fields.includes(v.name)) || (j.to_table === t.name && j.to_fields.includes(v.name)));
    return {
      table: { name: t.name, product: t.product, title: t.title },
      variable: presentVariable(v),
      usedIn: (await repo.variablesNamed(db, v.name)).filter((u) => u.table_name !== t.name).map((u) => ({ table: u.table_name, product: u.product, label: u.label, type: u.type, length: u.length, nomenclature: u.nomenclature })),
      joins: joins.map((j) => presentJoin(j, known)),
      changes: (await repo.changesOfEntity(db, 'variable', `${t.name}.${v.name}`, 50)).map(presentChange),
    };
  }

  async updateVariable(actor: AnyActor, tableName: string, name: string, patch: VariablePatch): Promise<VariableDetailView> {
    let resolved = tableName;
    await this.edit(actor, 'catalog.variable_update', { type: 'variable', id: `${tableName}.${name}` }, async (tx, changes) => {
      const t = await this.findTable(tx, tableName);
      resolved = t.name;
      assertCanEditCatalogue(actor, await this.producerOrganisationsOf(tx, t));
      const v = await repo.findVariable(tx, t.id, name);
      if (!v) throw new HdhError('catalog.variable_not_found', 404, { table: tableName, name });
      const before = { label: v.label, management_rule: v.management_rule, observation: v.observation, sensitivity: v.sensitivity, nomenclature: v.nomenclature, date_deleted: v.date_deleted };
      const after = {
        ...before,
        ...stripUndefined({ label: patch.label, management_rule: patch.managementRule, observation: patch.observation, sensitivity: patch.sensitivity, nomenclature: patch.nomenclature, date_deleted: patch.dateDeleted }),
      };
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      await repo.updateVariable(tx, v.id, { ...after, revision: v.revision + 1 });
      changes.push({ entity_type: 'variable', entity_key: `${t.name}.${v.name}`, table_name: t.name, change: 'changed', before, after });
    });
    return this.getVariable(resolved, name);
  }

  async listNomenclatures() {
    return (await nomenclatureRepo.listNomenclatures(this.deps.db)).map((n) => ({ name: n.name, title: n.title, folder: n.folder, codeCount: n.code_count, hasData: n.has_data }));
  }

  async getNomenclature(name: string, page: { q?: string | undefined; limit: number; offset: number }): Promise<NomenclatureView> {
    const db = this.deps.db;
    const n = await nomenclatureRepo.findNomenclature(db, name);
    if (!n) throw new HdhError('catalog.nomenclature_not_found', 404, { name });
    const { rows, total } = await nomenclatureRepo.codesPage(db, n.id, page);
    const usedBy = await repo.variablesUsingNomenclature(db, n.name, 500);
    return {
      name: n.name, title: n.title, folder: n.folder, codeCount: n.code_count, hasData: n.has_data, description: n.description, columns: n.columns,
      codeColumn: n.code_column, labelColumn: n.label_column, primaryKey: n.primary_key,
      usedBy: usedBy.map((u) => ({ table: u.table_name, product: u.product, variable: u.name, label: u.label, column: u.nomenclature_column })),
      codes: { total, limit: page.limit, offset: page.offset, items: rows.map((r) => ({ code: r.code, label: r.label, validFrom: r.valid_from, validTo: r.valid_to, values: r.values })) },
    };
  }

  /**
   * Every value a variable may take from a nomenclature (`NAME` → its code column, `NAME:COLUMN`
   * → that column), for validating loads; null when the nomenclature has no codes loaded.
   */
  async nomenclatureValues(name: string, column?: string | null): Promise<Set<string> | null> {
    const n = await nomenclatureRepo.findNomenclature(this.deps.db, name);
    if (!n || !n.has_data) return null;
    const index = column && column !== n.code_column ? n.columns.findIndex((c) => c.name === column) : -1;
    const rows = await nomenclatureRepo.allCodes(this.deps.db, n.id);
    return new Set(rows.map((r) => (index >= 0 ? r.values[index] ?? '' : r.code)).filter((v) => v !== ''));
  }

  /** The catalogue's current version number (recorded in each release's manifest). */
  currentVersion(): Promise<number> {
    return repo.currentVersion(this.deps.db);
  }

  /** Join graph: tables as nodes (with their product), join keys on the edges; for one dataset or the whole catalogue. */
  async joinGraph(datasetSlug?: string): Promise<GraphView> {
    const db = this.deps.db;
    let tables = await repo.listTables(db);
    if (datasetSlug) {
      const d = await repo.findDataset(db, datasetSlug);
      if (!d) throw new HdhError('catalog.dataset_not_found', 404, { slug: datasetSlug });
      tables = await repo.tablesOfDataset(db, d);
    }
    const inScope = new Set(tables.map((t) => t.name));
    const counts = await this.variableCounts();
    const joins = (await repo.allJoins(db)).filter((j) => inScope.has(j.from_table) || inScope.has(j.to_table));
    const nodes = new Map(tables.map((t) => [t.name, { id: t.name, product: t.product, title: t.title, variableCount: counts.get(t.id) ?? 0, known: true }]));
    const all = new Map((await repo.listTables(db)).map((t) => [t.name, t]));
    for (const j of joins) {
      for (const name of [j.from_table, j.to_table]) {
        if (nodes.has(name)) continue;
        const t = all.get(name);
        nodes.set(name, t ? { id: t.name, product: t.product, title: t.title, variableCount: counts.get(t.id) ?? 0, known: true } : { id: name, product: '', title: name, variableCount: 0, known: false });
      }
    }
    return {
      nodes: [...nodes.values()],
      edges: joins.map((j) => ({ id: `${j.from_table}#${j.position}`, source: j.from_table, target: j.to_table, sourceFields: j.from_fields, targetFields: j.to_fields, description: j.description })),
    };
  }

  async listVersions(limit = 100): Promise<VersionView[]> {
    return (await repo.listVersions(this.deps.db, limit)).map((v) => ({ number: v.number, createdAt: v.created_at.toISOString(), actor: v.actor_label, source: v.source, summary: v.summary }));
  }

  async getVersion(number: number, page: { limit: number; offset: number }) {
    const v = await repo.findVersion(this.deps.db, number);
    if (!v) throw new HdhError('catalog.version_not_found', 404, { number });
    const changes = await repo.changesOfVersion(this.deps.db, number, page.limit, page.offset);
    return { number: v.number, createdAt: v.created_at.toISOString(), actor: v.actor_label, source: v.source, summary: v.summary, changes: changes.map(presentChange) };
  }

  /** The table as a Frictionless Table Schema (the round trip of the import). */
  async tableSchema(name: string): Promise<FrictionlessTableSchema> {
    const t = await this.findTable(this.deps.db, name);
    const variables = await repo.variablesOfTable(this.deps.db, t.id);
    const joins = (await repo.joinsTouchingTable(this.deps.db, t.name)).filter((j) => j.from_table === t.name);
    return toTableSchema(t, variables, joins);
  }

  /** Everything the DCAT export needs: full dataset views. */
  async datasetsForExport(slug?: string): Promise<DatasetView[]> {
    if (slug) return [await this.getDataset(slug)];
    const out: DatasetView[] = [];
    for (const d of await repo.listDatasets(this.deps.db)) out.push(await this.getDataset(d.slug));
    return out;
  }

  search(query: SearchQuery): Promise<SearchResult> {
    return this.searcher.search(query);
  }
}
