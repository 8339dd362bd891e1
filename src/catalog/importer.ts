/**
 * Applies a parsed Frictionless folder to the catalogue inside the caller's transaction: the diff
 * against what the same source imported before (added / changed / removed), the rows, and the
 * change log. Unchanged entities (same content hash) are not touched, so a re-import is idempotent.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { Tx } from '../platform/db/database.js';
import type { ImportProblem, ParsedFolder, ParsedNomenclature, ParsedTable, ParsedVariable } from './import-frictionless.js';
import * as nomenclatureRepo from './nomenclature-repo.js';
import * as repo from './repo.js';
import type { NewChange, TableRow, VariableRow } from './repo.js';

export interface ImportProgress {
  phase: 'tables' | 'nomenclatures';
  done: number;
  total: number;
  item?: string;
}

export interface ImportCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface ImportDiff {
  tables: ImportCounts;
  variables: ImportCounts;
  joins: ImportCounts;
  nomenclatures: ImportCounts;
  codes: number;
}

const zero = (): ImportCounts => ({ added: 0, changed: 0, removed: 0, unchanged: 0 });
const CODE_BATCH = 2000;

function tableSnapshot(t: ParsedTable) {
  return { name: t.name, product: t.product, title: t.title, description: t.description, scope: t.scope, history: t.history, primaryKey: t.primaryKey };
}
function variableSnapshot(v: ParsedVariable | VariableRow) {
  if ('content_hash' in v) {
    return { name: v.name, label: v.label, type: v.type, length: v.length, nomenclature: v.nomenclature, nomenclatureColumn: v.nomenclature_column, dateCreated: v.date_created, dateDeleted: v.date_deleted, managementRule: v.management_rule, sensitivity: v.sensitivity };
  }
  return { name: v.name, label: v.label, type: v.type, length: v.length, nomenclature: v.nomenclature, nomenclatureColumn: v.nomenclatureColumn, dateCreated: v.dateCreated, dateDeleted: v.dateDeleted, managementRule: v.managementRule, sensitivity: v.sensitivity };
}

function variableRow(tableId: string, position: number, v: ParsedVariable, id: string = crypto.randomUUID(), revision = 1): VariableRow {
  return {
    id,
    table_id: tableId,
    position,
    name: v.name,
    label: v.label,
    type: v.type,
    length: v.length,
    format: v.format,
    nomenclature: v.nomenclature,
    nomenclature_column: v.nomenclatureColumn,
    date_created: v.dateCreated,
    date_deleted: v.dateDeleted,
    date_missing: v.dateMissing,
    management_rule: v.managementRule,
    observation: v.observation,
    sensitivity: v.sensitivity,
    constraints: v.constraints,
    extra: v.extra,
    content_hash: v.hash,
    revision,
  };
}

function tableFields(t: ParsedTable, source: string) {
  return {
    name: t.name,
    product: t.product,
    title: t.title,
    description: t.description,
    scope: t.scope,
    history: t.history,
    primary_key: t.primaryKey,
    name_pattern: t.namePattern,
    missing_values: t.missingValues,
    extra: t.extra,
    source,
    source_path: t.sourcePath,
    content_hash: t.hash,
  };
}

export class CatalogImporter {
  readonly diff: ImportDiff = { tables: zero(), variables: zero(), joins: zero(), nomenclatures: zero(), codes: 0 };
  readonly changes: NewChange[] = [];
  readonly problems: ImportProblem[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly source: string,
    private readonly now: Date,
    private readonly onProgress: (p: ImportProgress) => void = () => undefined,
  ) {}

  async apply(folder: ParsedFolder): Promise<void> {
    await this.applyTables(folder.tables);
    await this.applyNomenclatures(folder.nomenclatures);
  }

  private async applyTables(tables: ParsedTable[]): Promise<void> {
    const existing = new Map((await repo.listTables(this.tx)).map((t) => [t.name, t]));
    const seen = new Set<string>();
    let done = 0;
    for (const t of tables) {
      seen.add(t.name);
      const old = existing.get(t.name);
      if (!old) await this.addTable(t);
      else if (old.content_hash !== t.hash || old.source !== this.source) await this.changeTable(old, t);
      else {
        this.diff.tables.unchanged++;
        this.diff.variables.unchanged += t.variables.length;
        this.diff.joins.unchanged += t.joins.length;
      }
      this.onProgress({ phase: 'tables', done: ++done, total: tables.length, item: t.name });
    }
    for (const old of existing.values()) {
      if (old.source !== this.source || seen.has(old.name)) continue;
      await repo.deleteTable(this.tx, old.id);
      this.diff.tables.removed++;
      this.changes.push({ entity_type: 'table', entity_key: old.name, table_name: old.name, change: 'removed', before: { name: old.name, product: old.product, title: old.title }, after: null });
    }
  }

  private async addTable(t: ParsedTable): Promise<void> {
    const row: TableRow = { id: crypto.randomUUID(), ...tableFields(t, this.source), revision: 1, created_at: this.now, updated_at: this.now };
    await repo.insertTable(this.tx, row);
    await repo.insertVariables(this.tx, t.variables.map((v, i) => variableRow(row.id, i, v)));
    await this.insertJoins(row.id, t);
    this.diff.tables.added++;
    this.diff.variables.added += t.variables.length;
    this.diff.joins.added += t.joins.length;
    this.changes.push({ entity_type: 'table', entity_key: t.name, table_name: t.name, change: 'added', before: null, after: tableSnapshot(t) });
    for (const v of t.variables) this.changes.push({ entity_type: 'variable', entity_key: `${t.name}.${v.name}`, table_name: t.name, change: 'added', before: null, after: variableSnapshot(v) });
    for (const j of t.joins) this.changes.push({ entity_type: 'join', entity_key: `${t.name}->${j.toTable}`, table_name: t.name, change: 'added', before: null, after: j });
  }

  private async insertJoins(tableId: string, t: ParsedTable): Promise<void> {
    await repo.insertJoins(
      this.tx,
      t.joins.map((j, i) => ({ id: crypto.randomUUID(), from_table_id: tableId, position: i, from_fields: j.fromFields, to_table: j.toTable, to_fields: j.toFields, description: j.description, content_hash: j.hash })),
    );
  }

  private async changeTable(old: TableRow, t: ParsedTable): Promise<void> {
    const before = { name: old.name, product: old.product, title: old.title, description: old.description, scope: old.scope, history: old.history, primaryKey: old.primary_key };
    const after = tableSnapshot(t);
    await repo.updateTable(this.tx, old.id, { ...tableFields(t, this.source), revision: old.revision + 1, updated_at: this.now });
    this.diff.tables.changed++;
    if (JSON.stringify(before) !== JSON.stringify(after)) this.changes.push({ entity_type: 'table', entity_key: t.name, table_name: t.name, change: 'changed', before, after });

    const oldVars = new Map((await repo.variablesOfTable(this.tx, old.id)).map((v) => [v.name, v]));
    const fresh: VariableRow[] = [];
    for (const [i, v] of t.variables.entries()) {
      const prev = oldVars.get(v.name);
      oldVars.delete(v.name);
      if (!prev) {
        fresh.push(variableRow(old.id, i, v));
        this.diff.variables.added++;
        this.changes.push({ entity_type: 'variable', entity_key: `${t.name}.${v.name}`, table_name: t.name, change: 'added', before: null, after: variableSnapshot(v) });
      } else if (prev.content_hash !== v.hash || prev.position !== i) {
        const { id: _id, table_id: _t, ...fields } = variableRow(old.id, i, v, prev.id, prev.revision + 1);
        await repo.updateVariable(this.tx, prev.id, fields);
        this.diff.variables.changed++;
        if (prev.content_hash !== v.hash) this.changes.push({ entity_type: 'variable', entity_key: `${t.name}.${v.name}`, table_name: t.name, change: 'changed', before: variableSnapshot(prev), after: variableSnapshot(v) });
      } else this.diff.variables.unchanged++;
    }
    await repo.deleteVariables(this.tx, [...oldVars.values()].map((v) => v.id));
    for (const v of oldVars.values()) {
      this.diff.variables.removed++;
      this.changes.push({ entity_type: 'variable', entity_key: `${t.name}.${v.name}`, table_name: t.name, change: 'removed', before: variableSnapshot(v), after: null });
    }
    await repo.insertVariables(this.tx, fresh);

    // Joins have no name of their own: compare them by content.
    const oldJoins = (await repo.joinsTouchingTable(this.tx, old.name)).filter((j) => j.from_table === old.name);
    const oldKeys = new Map(oldJoins.map((j) => [JSON.stringify([j.from_fields, j.to_table, j.to_fields, j.description]), j]));
    await repo.deleteJoinsOfTable(this.tx, old.id);
    await this.insertJoins(old.id, t);
    for (const j of t.joins) {
      const key = JSON.stringify([j.fromFields, j.toTable, j.toFields, j.description]);
      if (oldKeys.delete(key)) this.diff.joins.unchanged++;
      else {
        this.diff.joins.added++;
        this.changes.push({ entity_type: 'join', entity_key: `${t.name}->${j.toTable}`, table_name: t.name, change: 'added', before: null, after: j });
      }
    }
    for (const j of oldKeys.values()) {
      this.diff.joins.removed++;
      this.changes.push({ entity_type: 'join', entity_key: `${t.name}->${j.to_table}`, table_name: t.name, change: 'removed', before: { fromFields: j.from_fields, toTable: j.to_table, toFields: j.to_fields }, after: null });
    }
  }

  private async applyNomenclatures(list: ParsedNomenclature[]): Promise<void> {
    const existing = new Map((await nomenclatureRepo.listNomenclatures(this.tx)).map((n) => [n.name, n]));
    const seen = new Set<string>();
    let done = 0;
    for (const n of list) {
      seen.add(n.name);
      const old = existing.get(n.name);
      const snapshot = { name: n.name, title: n.title, folder: n.folder, columns: n.columns, hasData: !!n.csvFile };
      if (old && old.content_hash === n.hash && old.source === this.source) this.diff.nomenclatures.unchanged++;
      else {
        const id = old?.id ?? crypto.randomUUID();
        const fields = {
          name: n.name, title: n.title, description: n.description, folder: n.folder, columns: n.columns, code_column: n.codeColumn,
          label_column: n.labelColumn, primary_key: n.primaryKey, has_data: !!n.csvFile, code_count: 0, source: this.source,
          source_path: n.sourcePath, content_hash: n.hash, updated_at: this.now,
        };
        if (old) {
          await nomenclatureRepo.deleteCodes(this.tx, id);
          await nomenclatureRepo.updateNomenclature(this.tx, id, fields);
        } else await nomenclatureRepo.insertNomenclature(this.tx, { id, ...fields, created_at: this.now });
        const count = n.csvFile ? await this.loadCodes(id, n) : 0;
        await nomenclatureRepo.updateNomenclature(this.tx, id, { code_count: count });
        this.diff.codes += count;
        this.diff.nomenclatures[old ? 'changed' : 'added']++;
        this.changes.push({ entity_type: 'nomenclature', entity_key: n.name, table_name: null, change: old ? 'changed' : 'added', before: old ? { name: old.name, title: old.title, codeCount: old.code_count } : null, after: { ...snapshot, codeCount: count } });
      }
      this.onProgress({ phase: 'nomenclatures', done: ++done, total: list.length, item: n.name });
    }
    for (const old of existing.values()) {
      if (old.source !== this.source || seen.has(old.name)) continue;
      await nomenclatureRepo.deleteNomenclature(this.tx, old.id);
      this.diff.nomenclatures.removed++;
      this.changes.push({ entity_type: 'nomenclature', entity_key: old.name, table_name: null, change: 'removed', before: { name: old.name, title: old.title, codeCount: old.code_count }, after: null });
    }
  }

  /** Streams the `;`-separated CSV into batches; a bad line is a located problem. */
  private async loadCodes(nomenclatureId: string, n: ParsedNomenclature): Promise<number> {
    const names = n.columns.map((c) => c.name);
    const codeIdx = names.indexOf(n.codeColumn);
    const labelIdx = n.labelColumn ? names.indexOf(n.labelColumn) : -1;
    const fromIdx = names.findIndex((c) => /_(DTD|DEB|DTE_DEB)$/i.test(c));
    const toIdx = names.findIndex((c) => /_(DTF|FIN|DTE_FIN)$/i.test(c));
    const file = n.sourcePath.replace(/\.json$/i, '.csv');
    const parser = fs.createReadStream(n.csvFile!).pipe(parse({ delimiter: ';', bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, info: true }));
    let batch: Parameters<typeof nomenclatureRepo.insertCodes>[2] = [];
    let rowNo = 0;
    let header = true;
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = record.record;
      if (header) {
        header = false;
        if (cells.join(';') !== names.join(';')) this.problems.push({ file, pointer: 'line 1', message: `header "${cells.join(';')}" differs from the schema's fields "${names.join(';')}"` });
        continue;
      }
      if (cells.length !== names.length) {
        this.problems.push({ file, pointer: `line ${record.info.lines}`, message: `${cells.length} column(s), expected ${names.length}` });
        continue;
      }
      const value = (i: number) => (i >= 0 && cells[i] !== '' ? cells[i]! : null);
      batch.push({ row_no: ++rowNo, code: cells[codeIdx] ?? '', label: value(labelIdx), valid_from: value(fromIdx), valid_to: value(toIdx), values: cells });
      if (batch.length >= CODE_BATCH) {
        await nomenclatureRepo.insertCodes(this.tx, nomenclatureId, batch);
        batch = [];
      }
    }
    await nomenclatureRepo.insertCodes(this.tx, nomenclatureId, batch);
    return rowNo;
  }
}
