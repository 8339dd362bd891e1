/**
 * Reader of Frictionless folders laid out as schema-snds: `schemas/<PRODUCT>/<TABLE>.json`
 * (Table Schema) and `nomenclatures/<FOLDER>/<NAME>.json + .csv` (`;`-separated UTF-8 with a
 * header, code and label columns marked by `role`). Several roots are searched in order, so the
 * demo catalogue can stand alone or complete the real dictionary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { HdhError } from '../platform/errors.js';
import './messages.js';

export interface SchemaField {
  name: string;
  type: string;
  description?: string;
  format?: string;
  length?: string | null;
  /** `-`, `NAME` or `NAME:COLUMN`. */
  nomenclature?: string;
  constraints?: { unique?: boolean; minLength?: number; maxLength?: number; enum?: unknown[] };
}

export interface ForeignKey {
  fields: string[];
  reference: { resource: string; fields: string[] };
}

export interface TableSchema {
  name: string;
  title: string;
  product: string;
  fields: SchemaField[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  /** File it was read from, relative to its root (e.g. `DCIR/ER_PRS_F.json`). */
  file: string;
  root: string;
}

export interface Nomenclature {
  name: string;
  codeColumn: string;
  labelColumn: string | null;
  columns: string[];
  rows: Record<string, string>[];
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : []);

interface RawSchema {
  name?: string;
  title?: string;
  produit?: string;
  fields?: SchemaField[];
  primaryKey?: string | string[];
  foreignKeys?: { fields: string | string[]; reference: { resource: string; fields: string | string[] } }[];
}

export class FrictionlessCatalogue {
  private readonly schemas = new Map<string, TableSchema>();
  private readonly nomenclatureFiles = new Map<string, string>();
  private readonly nomenclatures = new Map<string, Nomenclature>();

  /** Roots in priority order: the first root defining a table or nomenclature wins. */
  constructor(readonly roots: string[]) {
    for (const root of [...roots].reverse()) {
      for (const file of listJson(path.join(root, 'schemas'))) {
        const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as RawSchema;
        const name = raw.name ?? path.basename(file, '.json');
        const rel = path.relative(path.join(root, 'schemas'), file).split(path.sep).join('/');
        this.schemas.set(name, {
          name,
          title: raw.title ?? '',
          product: raw.produit ?? rel.split('/')[0] ?? '',
          fields: raw.fields ?? [],
          primaryKey: asList(raw.primaryKey),
          foreignKeys: (raw.foreignKeys ?? []).map((fk) => ({ fields: asList(fk.fields), reference: { resource: fk.reference.resource, fields: asList(fk.reference.fields) } })),
          file: rel,
          root,
        });
      }
      for (const file of listJson(path.join(root, 'nomenclatures'))) this.nomenclatureFiles.set(path.basename(file, '.json'), file);
    }
  }

  tableNames(): string[] {
    return [...this.schemas.keys()].sort();
  }

  hasTable(name: string): boolean {
    return this.schemas.has(name);
  }

  /** A table's schema; an unknown table is a located error. */
  table(name: string): TableSchema {
    const t = this.schemas.get(name);
    if (!t) throw new HdhError('synthetic.unknown_table', 400, { table: name });
    return t;
  }

  field(table: string, field: string): SchemaField {
    const f = this.table(table).fields.find((x) => x.name === field);
    if (!f) throw new HdhError('synthetic.unknown_field', 400, { table, field });
    return f;
  }

  hasNomenclature(name: string): boolean {
    return this.nomenclatureFiles.has(name);
  }

  nomenclature(name: string): Nomenclature {
    const cached = this.nomenclatures.get(name);
    if (cached) return cached;
    const file = this.nomenclatureFiles.get(name);
    if (!file) throw new HdhError('synthetic.nomenclature_missing', 400, { nomenclature: name, table: '?', field: '?' });
    const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as { fields: { name: string; role?: string }[] };
    const csvFile = file.replace(/\.json$/, '.csv');
    if (!fs.existsSync(csvFile)) throw new HdhError('synthetic.nomenclature_missing', 400, { nomenclature: name, table: '?', field: '?' });
    const rows: Record<string, string>[] = parse(fs.readFileSync(csvFile, 'utf8'), { delimiter: ';', columns: true, skip_empty_lines: true, bom: true, relax_column_count: true });
    const columns = meta.fields.map((f) => f.name);
    const nom: Nomenclature = {
      name,
      columns,
      codeColumn: meta.fields.find((f) => f.role === 'code')?.name ?? columns[0]!,
      labelColumn: meta.fields.find((f) => f.role === 'label')?.name ?? null,
      rows,
    };
    this.nomenclatures.set(name, nom);
    return nom;
  }

  /**
   * The codes a field may take, from the nomenclature its schema names (`NAME` or `NAME:COLUMN`).
   * Missing nomenclature → an error naming the table and the field.
   */
  codesFor(table: string, field: string): string[] {
    const f = this.field(table, field);
    const ref = f.nomenclature && f.nomenclature !== '-' ? f.nomenclature : null;
    if (!ref) throw new HdhError('synthetic.no_nomenclature', 400, { table, field });
    const [name, column] = ref.split(':') as [string, string | undefined];
    if (!this.hasNomenclature(name)) throw new HdhError('synthetic.nomenclature_missing', 400, { nomenclature: name, table, field });
    const nom = this.nomenclature(name);
    const col = column && nom.columns.includes(column) ? column : nom.codeColumn;
    const codes = [...new Set(nom.rows.map((r) => r[col] ?? '').filter((c) => c !== ''))];
    if (!codes.length) throw new HdhError('synthetic.nomenclature_missing', 400, { nomenclature: name, table, field });
    return codes;
  }
}

function listJson(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(p));
    else if (entry.name.endsWith('.json')) out.push(p);
  }
  return out;
}
