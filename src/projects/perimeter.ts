/**
 * The requested perimeter — périmètre — is the machine-readable permit that later drives the
 * extraction and the workspace: datasets, tables, columns, period, population criteria, duration.
 * It is validated against the catalogue through `PerimeterCatalogue`, an interface so the
 * catalogue service can stand behind it; `FrictionlessFolderCatalogue` reads a folder of Table
 * Schema files (`schemas/<dataset>/<table>.json`) until then.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Perimeter } from './schema.js';

export interface PerimeterCatalogue {
  tableExists(name: string): Promise<boolean>;
  /** Column names of a table; empty when the table is unknown. */
  columnsOf(table: string): Promise<string[]>;
  /** The dataset (produit) a table belongs to, when the catalogue knows it. */
  datasetOf?(table: string): Promise<string | null>;
}

export interface PerimeterProblem {
  /** JSON pointer-like location in the submitted perimeter, e.g. `perimeter.tables[2].columns[0]`. */
  location: string;
  message: string;
}

export async function checkPerimeter(perimeter: Perimeter, catalogue: PerimeterCatalogue): Promise<PerimeterProblem[]> {
  const problems: PerimeterProblem[] = [];
  const datasets = new Set(perimeter.datasets);
  for (const [i, table] of perimeter.tables.entries()) {
    const where = `perimeter.tables[${i}]`;
    if (!(await catalogue.tableExists(table.name))) {
      problems.push({ location: `${where}.name`, message: `unknown table ${table.name}` });
      continue;
    }
    if (catalogue.datasetOf) {
      const dataset = await catalogue.datasetOf(table.name);
      if (dataset && !datasets.has(dataset)) problems.push({ location: `${where}.name`, message: `table ${table.name} belongs to dataset ${dataset}, which is not requested in perimeter.datasets` });
    }
    const known = new Set(await catalogue.columnsOf(table.name));
    for (const [j, column] of table.columns.entries()) {
      if (!known.has(column)) problems.push({ location: `${where}.columns[${j}]`, message: `unknown column ${column} in table ${table.name}` });
    }
    const seen = new Set<string>();
    for (const [j, column] of table.columns.entries()) {
      if (seen.has(column)) problems.push({ location: `${where}.columns[${j}]`, message: `column ${column} listed twice` });
      seen.add(column);
    }
  }
  if (perimeter.period.from > perimeter.period.to) problems.push({ location: 'perimeter.period.to', message: 'the period ends before it starts' });
  return problems;
}

interface TableSchemaFile {
  name?: unknown;
  produit?: unknown;
  fields?: { name?: unknown }[];
}

/** Reads a Frictionless (Table Schema) folder once, lazily; a small stand-in for the catalogue service. */
export class FrictionlessFolderCatalogue implements PerimeterCatalogue {
  #tables: Map<string, { dataset: string; columns: string[] }> | null = null;
  constructor(readonly dir: string) {}

  private load(): Map<string, { dataset: string; columns: string[] }> {
    if (this.#tables) return this.#tables;
    const tables = new Map<string, { dataset: string; columns: string[] }>();
    const root = fs.existsSync(path.join(this.dir, 'schemas')) ? path.join(this.dir, 'schemas') : this.dir;
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.json')) {
          const schema = JSON.parse(fs.readFileSync(full, 'utf8')) as TableSchemaFile;
          const name = typeof schema.name === 'string' ? schema.name : path.basename(entry.name, '.json');
          const dataset = typeof schema.produit === 'string' ? schema.produit : path.basename(dir);
          const columns = (schema.fields ?? []).map((f) => f.name).filter((n): n is string => typeof n === 'string');
          tables.set(name, { dataset, columns });
        }
      }
    };
    if (fs.existsSync(root)) walk(root);
    this.#tables = tables;
    return tables;
  }

  async tableExists(name: string): Promise<boolean> {
    return this.load().has(name);
  }
  async columnsOf(table: string): Promise<string[]> {
    return this.load().get(table)?.columns ?? [];
  }
  async datasetOf(table: string): Promise<string | null> {
    return this.load().get(table)?.dataset ?? null;
  }
}

/**
 * The folder the stand-in catalogue reads: the SNDS schema beside the repository when present,
 * else the small demo catalogue shipped in `data/demo-catalogue`.
 */
export function defaultCatalogueDir(repoRoot: string): string {
  const snds = path.resolve(repoRoot, '..', 'shared', 'data', 'schema-snds');
  return fs.existsSync(path.join(snds, 'schemas')) ? snds : path.join(repoRoot, 'data', 'demo-catalogue');
}
