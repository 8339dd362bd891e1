/**
 * The demo catalogue — catalogue de démonstration: `data/demo-catalogue/` holds `datasets.json`
 * (producers and HealthDCAT-level datasets, format below) beside the dictionary in the
 * schema-snds layout (`schemas/<PRODUCT>/<TABLE>.json`, `nomenclatures/<FOLDER>/<NAME>.{json,csv}`).
 * Loaded once, on the first start of a demo hub, when the catalogue is empty.
 *
 * datasets.json:
 * ```json
 * { "producers": [{ "slug": "cnam", "name": "…", "url": "https://…", "email": "…" }],
 *   "datasets": [{ "slug": "snds-dcir", "producer": "cnam", "title": "…", "description": "…",
 *     "contactPoint": { "name": "…", "email": "…" }, "themes": ["…"], "keywords": ["…"],
 *     "temporalCoverage": { "start": "2006-01-01", "end": null }, "spatialCoverage": "France entière",
 *     "updateFrequency": "annual", "accessRights": "restricted", "legalBasis": "…",
 *     "numberOfRecords": 0, "numberOfUniqueIndividuals": 0, "populationCoverage": "…",
 *     "codingSystems": ["CIM-10"], "qualityAnnotations": "…", "version": "…", "issued": "2020-01-01",
 *     "modified": "2024-01-01", "licence": "…", "landingPage": "https://…",
 *     "covers": { "products": ["DCIR"], "tables": ["IR_PHA_R"] } }] }
 * ```
 * Every field is checked by `datasetsFile` in schema.ts; a bad one is reported by JSON pointer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { systemActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import { assertNoProblems, type ImportProblem } from './import-frictionless.js';
import { datasetsFile, type DatasetsFile } from './schema.js';
import type { CatalogService, ImportOptions } from './service.js';

export const DATASETS_FILE = 'datasets.json';

/** Reads and validates a datasets.json; problems carry the file and JSON pointer. */
export function readDatasetsFile(file: string): DatasetsFile {
  const rel = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    assertNoProblems([{ file: rel, pointer: '', message: `unreadable or not JSON: ${(err as Error).message}` }]);
  }
  const parsed = datasetsFile.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems: ImportProblem[] = parsed.error.issues.map((i) => ({ file: rel, pointer: i.path.map((p) => `/${String(p)}`).join(''), message: i.message }));
  assertNoProblems(problems);
  throw new HdhError('internal', 500);
}

export interface DemoCatalogueResult {
  loaded: boolean;
  reason?: 'absent' | 'not_empty' | 'invalid';
  problems?: ImportProblem[];
  version?: number | null;
  tables?: number;
  datasets?: number;
  durationMs?: number;
}

/**
 * Imports `folder` (datasets.json and, when present, its schemas and nomenclatures) if the
 * catalogue is empty; does nothing otherwise, so a restarted hub keeps its edits.
 */
export async function loadDemoCatalogue(catalog: CatalogService, folder: string, options: Pick<ImportOptions, 'onProgress'> = {}): Promise<DemoCatalogueResult> {
  const file = path.join(folder, DATASETS_FILE);
  if (!fs.existsSync(file)) return { loaded: false, reason: 'absent' };
  if (!(await catalog.isEmpty())) return { loaded: false, reason: 'not_empty' };
  const actor = systemActor('demo-catalogue');
  try {
    const datasets = readDatasetsFile(file);
    if (!fs.existsSync(path.join(folder, 'schemas')) && !fs.existsSync(path.join(folder, 'nomenclatures'))) {
      const r = await catalog.importDatasets(actor, datasets, 'demo-catalogue');
      return { loaded: true, version: r.version, tables: 0, datasets: r.added + r.changed };
    }
    const r = await catalog.importFolder(actor, folder, { source: 'demo-catalogue', datasets, ...options });
    return { loaded: true, version: r.version, tables: r.diff.tables.added, datasets: r.datasets.added, durationMs: r.durationMs };
  } catch (err) {
    // A broken demo folder must not keep the hub from starting: it is said, with its located problems.
    if (err instanceof HdhError && err.code === 'catalog.import_invalid') return { loaded: false, reason: 'invalid', problems: (err.details as { problems: ImportProblem[] }).problems };
    throw err;
  }
}

/** One line for the start banner. */
export function describeDemoCatalogue(r: DemoCatalogueResult): string {
  if (r.reason === 'invalid') return `Demo catalogue NOT loaded, ${r.problems?.length} problem(s):\n${(r.problems ?? []).slice(0, 10).map((p) => `  ${p.file}#${p.pointer}: ${p.message}`).join('\n')}`;
  if (!r.loaded) return r.reason === 'absent' ? 'Demo catalogue: datasets.json absent, skipped.' : 'Demo catalogue: catalogue already filled, kept as is.';
  return `Demo catalogue loaded: ${r.datasets} dataset(s), ${r.tables} table(s) (catalogue version ${r.version}).`;
}
