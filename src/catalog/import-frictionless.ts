/**
 * Reads a folder of Frictionless Table Schemas laid out like the SNDS dictionary (schema-snds):
 * `schemas/<product>[/<sub-product>]/<TABLE>.json` and `nomenclatures/<folder>/<NAME>.{json,csv}`.
 * Pure reading and validation, no database: every problem is located by file and JSON pointer,
 * and the caller applies nothing when any is found.
 *
 * Quirks of the real dictionary handled here: folder names with spaces and accents; `primaryKey`
 * and foreign-key `fields` as a string or a list; `nomenclature` as `NAME`, `NAME:COLUMN` or `-`;
 * year-templated names (`T_MCOaaB`, `CT_IDE_AAAA_GN`); missing values `""`; nomenclature CSVs
 * `;`-separated with a header, some absent (only the schema is given).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HdhError, registerMessages } from '../platform/errors.js';
import { inferSensitivity, sensitivities, type Sensitivity } from './sensitivity.js';

registerMessages({
  'catalog.import_invalid': {
    fr: 'Import refusé : {count} problème(s) dans le dossier, rien n’a été appliqué. Premier : {first}',
    en: 'Import refused: {count} problem(s) in the folder, nothing was applied. First: {first}',
  },
  'catalog.import_folder_missing': { fr: 'Dossier introuvable : {folder}', en: 'Folder not found: {folder}' },
});

export interface ImportProblem {
  /** Path of the file, relative to the imported folder. */
  file: string;
  /** RFC 6901 JSON pointer inside the file ('' for the whole file), or `line N` for a CSV. */
  pointer: string;
  message: string;
}

export interface ParsedVariable {
  name: string;
  label: string;
  type: string;
  length: string | null;
  format: string | null;
  nomenclature: string | null;
  nomenclatureColumn: string | null;
  dateCreated: string | null;
  dateDeleted: string | null;
  dateMissing: string[];
  managementRule: string;
  observation: string;
  sensitivity: Sensitivity | null;
  constraints: Record<string, unknown> | null;
  /** Other keys of the field descriptor (type_oracle, trueValues…), kept for the round trip. */
  extra: Record<string, unknown>;
  hash: string;
}

export interface ParsedJoin {
  fromFields: string[];
  toTable: string;
  toFields: string[];
  description: string;
  hash: string;
}

export interface ParsedTable {
  name: string;
  product: string;
  title: string;
  description: string;
  scope: string;
  history: { dateCreated: string | null; dateDeleted: string | null; dateMissing: string[] };
  primaryKey: string[];
  namePattern: string | null;
  missingValues: string[];
  extra: Record<string, unknown>;
  sourcePath: string;
  variables: ParsedVariable[];
  joins: ParsedJoin[];
  hash: string;
}

export interface NomenclatureColumn {
  name: string;
  type: string;
  role?: 'code' | 'label' | undefined;
}

export interface ParsedNomenclature {
  name: string;
  title: string;
  description: string;
  folder: string;
  columns: NomenclatureColumn[];
  codeColumn: string;
  labelColumn: string | null;
  primaryKey: string[];
  sourcePath: string;
  /** Absolute path of the CSV, or null when only the schema is given. */
  csvFile: string | null;
  hash: string;
}

export interface ParsedFolder {
  root: string;
  tables: ParsedTable[];
  nomenclatures: ParsedNomenclature[];
  problems: ImportProblem[];
}

const stringOrList = z.union([z.string(), z.array(z.string())]);
const text = z.string().nullish();

const fieldSchema = z.looseObject({
  name: z.string().min(1),
  title: text,
  description: text,
  type: z.string().default('string'),
  format: text,
  length: z.union([z.string(), z.number()]).nullish(),
  nomenclature: text,
  dateCreated: z.union([z.string(), z.number()]).nullish(),
  dateDeleted: z.union([z.string(), z.number()]).nullish(),
  dateMissing: z.array(z.union([z.string(), z.number()])).nullish(),
  regle_gestion: text,
  observation: text,
  sensitivity: z.enum(sensitivities).nullish(),
  constraints: z.record(z.string(), z.unknown()).nullish(),
});

const foreignKeySchema = z.looseObject({
  fields: stringOrList,
  reference: z.looseObject({ resource: z.string().min(1), fields: stringOrList }),
  description: text,
});

const tableSchema = z.looseObject({
  name: z.string().min(1).optional(),
  title: text,
  description: text,
  produit: text,
  champ: text,
  observation: text,
  history: z.looseObject({ dateCreated: text, dateDeleted: text, dateMissing: z.array(z.union([z.string(), z.number()])).nullish() }).nullish(),
  missingValues: z.array(z.string()).nullish(),
  primaryKey: stringOrList.nullish(),
  foreignKeys: z.array(foreignKeySchema).nullish(),
  fields: z.array(fieldSchema).min(1),
});

const nomenclatureSchema = z.looseObject({
  name: z.string().min(1).optional(),
  title: text,
  description: text,
  primaryKey: stringOrList.nullish(),
  missingValues: z.array(z.string()).nullish(),
  fields: z
    .array(z.looseObject({ name: z.string().min(1), type: z.string().default('string'), role: z.enum(['code', 'label']).optional() }))
    .min(1),
});

const knownTableKeys = new Set(Object.keys(tableSchema.shape));
const knownFieldKeys = new Set(['name', 'title', 'description', 'type', 'format', 'length', 'nomenclature', 'dateCreated', 'dateDeleted', 'dateMissing', 'regle_gestion', 'observation', 'sensitivity', 'constraints']);

export function asList(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** '' and '-' mean "nothing" in the dictionary. */
function blank(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' || s === '-' ? null : s;
}

export function hashOf(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

/**
 * A year-templated name as a regular expression: `aa` stands for a two-digit year (PMSI
 * `T_MCOaaB`), `AAAA` for a four-digit one and `GN` for an algorithm version (`CT_IDE_AAAA_GN`).
 * Null when the name is concrete.
 */
export function templatePattern(name: string): string | null {
  if (!/aa|AAAA/.test(name)) return null;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^${escaped.replace(/aa/g, '\\d{2}').replace(/AAAA/g, '\\d{4}').replace(/_GN$/, '_G\\d+')}$`;
}

/** `zod` issue path → RFC 6901 pointer. */
function pointerOf(pathParts: PropertyKey[]): string {
  return pathParts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function readJson(root: string, file: string, problems: ImportProblem[]): unknown {
  const rel = path.relative(root, file);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file: rel, pointer: '', message: `unreadable: ${(err as Error).message}` });
    return undefined;
  }
  try {
    return JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (err) {
    problems.push({ file: rel, pointer: '', message: `not valid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

function listJson(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(full));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) out.push(full);
  }
  return out;
}

export function parseTable(root: string, file: string, json: unknown, problems: ImportProblem[]): ParsedTable | null {
  const rel = path.relative(root, file);
  const parsed = tableSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ file: rel, pointer: pointerOf(issue.path), message: issue.message });
    return null;
  }
  const d = parsed.data;
  const folders = path.relative(path.join(root, 'schemas'), path.dirname(file)).split(path.sep).filter((p) => p && p !== '..');
  const name = d.name ?? path.basename(file, '.json');
  const product = blank(d.produit) ?? folders[folders.length - 1] ?? 'inconnu';
  const before = problems.length;
  const seen = new Set<string>();
  const variables = d.fields.map((f, i): ParsedVariable => {
    if (seen.has(f.name)) problems.push({ file: rel, pointer: `/fields/${i}/name`, message: `duplicate field name "${f.name}"` });
    seen.add(f.name);
    const nomenclature = blank(f.nomenclature);
    const [nomName, nomColumn] = nomenclature ? nomenclature.split(':') : [null, null];
    const extra = Object.fromEntries(Object.entries(f).filter(([k]) => !knownFieldKeys.has(k)));
    const v = {
      name: f.name,
      label: blank(f.description) ?? blank(f.title) ?? '',
      type: f.type,
      length: blank(f.length),
      format: blank(f.format),
      nomenclature: nomName?.trim() || null,
      nomenclatureColumn: nomColumn?.trim() || null,
      dateCreated: blank(f.dateCreated),
      dateDeleted: blank(f.dateDeleted),
      dateMissing: (f.dateMissing ?? []).map(String),
      managementRule: f.regle_gestion ?? '',
      observation: f.observation ?? '',
      sensitivity: f.sensitivity ?? inferSensitivity(f.name, blank(f.description) ?? '', nomName ?? null),
      constraints: f.constraints ?? null,
      extra,
    };
    return { ...v, hash: hashOf(v) };
  });
  const primaryKey = asList(d.primaryKey);
  primaryKey.forEach((k, i) => {
    if (!seen.has(k)) problems.push({ file: rel, pointer: Array.isArray(d.primaryKey) ? `/primaryKey/${i}` : '/primaryKey', message: `primary key names unknown field "${k}"` });
  });
  const joins = (d.foreignKeys ?? []).map((fk, i): ParsedJoin => {
    const fromFields = asList(fk.fields);
    const toFields = asList(fk.reference.fields);
    if (fromFields.length !== toFields.length) problems.push({ file: rel, pointer: `/foreignKeys/${i}/reference/fields`, message: `${fromFields.length} field(s) reference ${toFields.length}` });
    fromFields.forEach((k) => {
      if (!seen.has(k)) problems.push({ file: rel, pointer: `/foreignKeys/${i}/fields`, message: `foreign key names unknown field "${k}"` });
    });
    const j = { fromFields, toTable: fk.reference.resource, toFields, description: fk.description ?? '' };
    return { ...j, hash: hashOf(j) };
  });
  if (problems.length > before) return null;
  const extra = Object.fromEntries(Object.entries(d).filter(([k]) => !knownTableKeys.has(k)));
  const table = {
    name,
    product,
    title: blank(d.title) ?? name,
    description: d.description ?? d.observation ?? '',
    scope: d.champ ?? '',
    history: { dateCreated: blank(d.history?.dateCreated), dateDeleted: blank(d.history?.dateDeleted), dateMissing: (d.history?.dateMissing ?? []).map(String) },
    primaryKey,
    namePattern: templatePattern(name),
    missingValues: d.missingValues ?? [''],
    extra,
    sourcePath: rel,
  };
  return { ...table, variables, joins, hash: hashOf({ table, v: variables.map((v) => v.hash), j: joins.map((j) => j.hash) }) };
}

export function parseNomenclature(root: string, file: string, json: unknown, problems: ImportProblem[]): ParsedNomenclature | null {
  const rel = path.relative(root, file);
  const parsed = nomenclatureSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ file: rel, pointer: pointerOf(issue.path), message: issue.message });
    return null;
  }
  const d = parsed.data;
  const columns = d.fields.map((f) => ({ name: f.name, type: f.type, ...(f.role ? { role: f.role } : {}) }));
  const primaryKey = asList(d.primaryKey);
  // The JSON marks its code column with role "code"; without one, the primary key's first column is the code.
  const codeColumn = columns.find((c) => c.role === 'code')?.name ?? primaryKey[0] ?? columns[0]!.name;
  const labelColumn = columns.find((c) => c.role === 'label')?.name ?? null;
  const csv = file.replace(/\.json$/i, '.csv');
  const csvFile = fs.existsSync(csv) ? csv : null;
  const folder = path.relative(path.join(root, 'nomenclatures'), path.dirname(file)) || '.';
  const n = {
    name: d.name ?? path.basename(file, '.json'),
    title: d.title ?? '',
    description: d.description ?? '',
    folder,
    columns,
    codeColumn,
    labelColumn,
    primaryKey,
    sourcePath: rel,
  };
  const csvHash = csvFile ? crypto.createHash('sha256').update(fs.readFileSync(csvFile)).digest('hex').slice(0, 32) : null;
  return { ...n, csvFile, hash: hashOf({ n, csvHash }) };
}

/** Reads and validates a whole folder; nothing is written anywhere. */
export function readFrictionlessFolder(folder: string): ParsedFolder {
  const root = path.resolve(folder);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new HdhError('catalog.import_folder_missing', 400, { folder });
  const problems: ImportProblem[] = [];
  const tables: ParsedTable[] = [];
  const byName = new Map<string, string>();
  for (const file of listJson(path.join(root, 'schemas'))) {
    const json = readJson(root, file, problems);
    if (json === undefined) continue;
    const table = parseTable(root, file, json, problems);
    if (!table) continue;
    const other = byName.get(table.name);
    if (other) problems.push({ file: table.sourcePath, pointer: '/name', message: `table "${table.name}" is also defined in ${other}` });
    byName.set(table.name, table.sourcePath);
    tables.push(table);
  }
  const nomenclatures: ParsedNomenclature[] = [];
  const nomByName = new Map<string, string>();
  for (const file of listJson(path.join(root, 'nomenclatures'))) {
    const json = readJson(root, file, problems);
    if (json === undefined) continue;
    const n = parseNomenclature(root, file, json, problems);
    if (!n) continue;
    const other = nomByName.get(n.name);
    if (other) problems.push({ file: n.sourcePath, pointer: '/name', message: `nomenclature "${n.name}" is also defined in ${other}` });
    nomByName.set(n.name, n.sourcePath);
    nomenclatures.push(n);
  }
  return { root, tables, nomenclatures, problems };
}

export function assertNoProblems(problems: ImportProblem[]): void {
  if (problems.length === 0) return;
  const p = problems[0]!;
  throw new HdhError('catalog.import_invalid', 422, { count: problems.length, first: `${p.file}#${p.pointer}: ${p.message}` }, { problems: problems.slice(0, 200) });
}
