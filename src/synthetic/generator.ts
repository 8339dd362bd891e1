/**
 * Writes a synthetic SNDS release into the lake: people are drawn in chunks, each chunk by one
 * single-threaded DuckDB session (so its Parquet files are byte-reproducible) and several
 * sessions run side by side; every table of a chunk is one Parquet (ZSTD) file. Memory is
 * bounded by the chunk size, not by the population. Any failure aborts the draft: no partial
 * release is ever visible.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AnalyticsEngine, EngineSession } from '../platform/engine/engine.js';
import { quoteLiteral } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import './messages.js';
import type { Lake, ReleaseManifest } from '../platform/lake/lake.js';
import { checkCareModel, modelCodes } from './care-model.js';
import type { FrictionlessCatalogue } from './frictionless.js';
import { chunkSql, type ChunkParams } from './snds-sql.js';
import { coreTables, duckType, projection } from './snds-tables.js';

export const SNDS_RELEASE_NAME = 'snds-synthetic';
export const GENERATOR_VERSION = 'snds-core/1';

export interface SyntheticParams {
  persons: number;
  fromYear: number;
  toYear: number;
  seed: number;
  /** People per chunk (part of the output's identity: same chunk size, same files). */
  chunkSize?: number;
  /** Parallel DuckDB sessions (each single-threaded). */
  workers?: number;
  /** Memory ceiling of each session. */
  memoryLimit?: string;
}

export interface GenerationProgress {
  chunksDone: number;
  chunks: number;
  personsDone: number;
}

export interface GenerationResult {
  manifest: ReleaseManifest;
  seconds: number;
  rows: Record<string, number>;
}

export interface GeneratorDeps {
  lake: Lake;
  engine: AnalyticsEngine;
  catalogue: FrictionlessCatalogue;
  now?: () => Date;
}

const MAX_PERSONS = 50_000_000;

export function validateParams(p: SyntheticParams): Required<Omit<SyntheticParams, 'memoryLimit'>> & { memoryLimit: string } {
  const bad = (parameter: string, reason: string) => new HdhError('synthetic.invalid_parameter', 400, { parameter, reason });
  if (!Number.isInteger(p.persons) || p.persons < 1 || p.persons > MAX_PERSONS) throw bad('persons', `an integer from 1 to ${MAX_PERSONS}`);
  if (!Number.isInteger(p.fromYear) || !Number.isInteger(p.toYear) || p.fromYear < 2006 || p.toYear > 2099) throw bad('years', 'years between 2006 and 2099');
  if (p.toYear < p.fromYear) throw bad('years', 'the first year comes after the last');
  // DCT_ORD_NUM packs (person, care sheet) in 9 digits; the sheet numbering holds 5 years.
  if (p.toYear - p.fromYear + 1 > 5) throw bad('years', 'at most 5 years per release');
  if (!Number.isSafeInteger(p.seed) || p.seed < 0) throw bad('seed', 'a non-negative integer');
  const chunkSize = p.chunkSize ?? 50_000;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 1_000_000) throw bad('chunkSize', 'an integer from 1 to 1,000,000');
  const workers = p.workers ?? 2;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw bad('workers', 'an integer from 1 to 64');
  return { persons: p.persons, fromYear: p.fromYear, toYear: p.toYear, seed: p.seed, chunkSize, workers, memoryLimit: p.memoryLimit ?? '1500MB' };
}

/** Loads the code lists the SQL draws from into a session, from the nomenclatures. */
export async function loadCodes(session: EngineSession, catalogue: FrictionlessCatalogue): Promise<void> {
  const values = (rows: string[][]) => rows.map((r) => `(${r.map(quoteLiteral).join(', ')})`).join(', ');
  const dpts = catalogue.codesFor('IR_BEN_R', 'BEN_RES_DPT');
  const emts = catalogue.codesFor('ER_PRS_F', 'FLX_EMT_NUM');
  const orgs = catalogue.nomenclature(nomName(catalogue, 'ER_PRS_F', 'ORG_CLE_NUM')).rows;
  const orgCol = catalogue.nomenclature(nomName(catalogue, 'ER_PRS_F', 'ORG_CLE_NUM')).codeColumn;
  const finess = catalogue.nomenclature(nomName(catalogue, 'T_MCOaaB', 'ETA_NUM'));
  const pha = catalogue.nomenclature(nomName(catalogue, 'ER_PHA_F', 'PHA_PRS_C13'));
  const byDpt = (rows: Record<string, string>[], col: string) => {
    const m = new Map<string, string[]>();
    for (const r of rows) if (r.GEO_DPT_COD) m.set(r.GEO_DPT_COD, [...(m.get(r.GEO_DPT_COD) ?? []), r[col]!]);
    return m;
  };
  const orgBy = byDpt(orgs, orgCol);
  const allOrgs = orgs.map((r) => r[orgCol]!);
  const finBy = byDpt(finess.rows, finess.codeColumn);
  const allFin = finess.rows.map((r) => r[finess.codeColumn]!);
  await session.run(`CREATE OR REPLACE TABLE code_dpt AS SELECT * FROM (VALUES ${values(dpts.map((d) => [d]))}) t(code)`);
  await session.run(`CREATE OR REPLACE TABLE code_emt AS SELECT CAST(code AS INTEGER) AS code FROM (VALUES ${values(emts.map((d) => [d]))}) t(code)`);
  await session.run(`CREATE OR REPLACE TABLE code_org AS SELECT * FROM (VALUES ${values(dpts.map((d) => [d, (orgBy.get(d) ?? allOrgs)[0]!]))}) t(dpt, org)`);
  await session.run(`CREATE OR REPLACE TABLE code_finess AS SELECT dpt, string_split(codes, ',') AS codes FROM (VALUES ${values(dpts.map((d) => [d, (finBy.get(d) ?? allFin).join(',')]))}) t(dpt, codes)`);
  const phaRows = pha.rows.map((r) => [r.PHA_CIP_C13 ?? '', r.PHA_PRS_IDE ?? '', r.PHA_ATC_C07 ?? '']);
  await session.run(`CREATE OR REPLACE TABLE code_pha AS SELECT CAST(cip AS BIGINT) AS cip, CAST(cip7 AS BIGINT) AS cip7, atc FROM (VALUES ${values(phaRows)}) t(cip, cip7, atc)`);
  await session.run(`CREATE OR REPLACE TABLE code_cip AS SELECT atc, list(cip ORDER BY cip) AS cips FROM code_pha GROUP BY atc`);
}

function nomName(catalogue: FrictionlessCatalogue, table: string, field: string): string {
  catalogue.codesFor(table, field); // fails naming the table and field when the nomenclature is missing
  return catalogue.field(table, field).nomenclature!.split(':')[0]!;
}

/** Every ATC code the model prescribes must have at least one presentation (CIP13) in IR_PHA_R. */
function checkDrugReferential(catalogue: FrictionlessCatalogue): void {
  const pha = catalogue.nomenclature(nomName(catalogue, 'ER_PHA_F', 'PHA_PRS_C13'));
  const atcs = new Set(pha.rows.map((r) => r.PHA_ATC_C07));
  const wanted = modelCodes().find((m) => m.table === 'IR_PHA_R')!.codes.map(String);
  const missing = [...new Set(wanted)].filter((a) => !atcs.has(a));
  if (missing.length) throw new HdhError('synthetic.code_not_in_nomenclature', 400, { table: 'ER_PHA_F', field: 'PHA_PRS_C13', codes: `no presentation for ATC ${missing.join(', ')}` });
}

async function copyToParquet(session: EngineSession, select: string, file: string): Promise<number> {
  const rows = await session.query(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
  const first = rows[0] ? Object.values(rows[0])[0] : 0;
  return Number(first ?? 0);
}

export async function generateSndsRelease(deps: GeneratorDeps, params: SyntheticParams, onProgress?: (p: GenerationProgress) => void): Promise<GenerationResult> {
  const started = performance.now();
  const p = validateParams(params);
  const { catalogue, lake, engine } = deps;
  checkCareModel(catalogue);
  checkDrugReferential(catalogue);
  const probe: ChunkParams = { seed: p.seed, fromYear: p.fromYear, toYear: p.toYear, lo: 0, hi: 0 };
  const tables = coreTables(probe);
  const selects = new Map(tables.map((t) => [t.name, projection(catalogue.table(t.schema), t.exprs)]));
  const phaSchema = catalogue.table('IR_PHA_R');

  const draft = lake.beginRelease(SNDS_RELEASE_NAME);
  const sessions: EngineSession[] = [];
  try {
    const chunks = Math.ceil(p.persons / p.chunkSize);
    const rowsByFile = new Map<string, Record<string, number>>();
    const record = (table: string, rel: string, n: number) => rowsByFile.set(table, { ...(rowsByFile.get(table) ?? {}), [rel]: n });
    const workers = Math.min(p.workers, chunks);
    for (let i = 0; i < workers; i++) {
      const s = await engine.open({ threads: 1, memoryLimit: p.memoryLimit, tempDirectory: path.join(draft.dir, `.spill-${i}`) });
      sessions.push(s);
      await loadCodes(s, catalogue);
    }

    // The drug referential: one file, straight from its nomenclature.
    const phaFile = path.join(draft.tableDir('IR_PHA_R'), 'part-00000.parquet');
    const phaNom = catalogue.nomenclature(nomName(catalogue, 'ER_PHA_F', 'PHA_PRS_C13'));
    const phaValues = phaNom.rows.map((r) => `(${phaSchema.fields.map((f) => (r[f.name] === undefined || r[f.name] === '' ? 'NULL' : quoteLiteral(r[f.name]!))).join(', ')})`).join(', ');
    const phaCols = phaSchema.fields.map((f) => `CAST("${f.name}" AS ${duckType(f)}) AS "${f.name}"`).join(', ');
    record('IR_PHA_R', 'IR_PHA_R/part-00000.parquet', await copyToParquet(sessions[0]!, `SELECT ${phaCols} FROM (VALUES ${phaValues}) t(${phaSchema.fields.map((f) => `"${f.name}"`).join(', ')}) ORDER BY 1`, phaFile));

    let next = 0;
    let done = 0;
    const runWorker = async (session: EngineSession) => {
      for (;;) {
        const chunk = next++;
        if (chunk >= chunks) return;
        const lo = chunk * p.chunkSize;
        const hi = Math.min(p.persons, lo + p.chunkSize);
        const cp: ChunkParams = { seed: p.seed, fromYear: p.fromYear, toYear: p.toYear, lo, hi };
        for (const stmt of chunkSql(cp).setup) await session.run(stmt);
        const part = `part-${String(chunk).padStart(5, '0')}.parquet`;
        for (const t of tables) {
          const file = path.join(draft.tableDir(t.name), part);
          record(t.name, `${t.name}/${part}`, await copyToParquet(session, `SELECT ${selects.get(t.name)!} FROM ${t.from}${t.orderBy ? ` ORDER BY ${t.orderBy}` : ''}`, file));
        }
        done++;
        onProgress?.({ chunksDone: done, chunks, personsDone: Math.min(p.persons, done * p.chunkSize) });
      }
    };
    await Promise.all(sessions.map(runWorker));
    for (const s of sessions.splice(0)) await s.close();
    for (let i = 0; i < workers; i++) fs.rmSync(path.join(draft.dir, `.spill-${i}`), { recursive: true, force: true });

    const schemaOf = new Map(tables.map((t) => [t.name, t.schema]));
    schemaOf.set('IR_PHA_R', 'IR_PHA_R');
    const manifest = draft.publish({
      synthetic: true,
      createdAt: (deps.now ?? (() => new Date()))(),
      generator: { name: GENERATOR_VERSION, parameters: { persons: p.persons, years: `${p.fromYear}-${p.toYear}`, seed: p.seed, chunkSize: p.chunkSize } },
      tables: [...rowsByFile.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, files]) => {
        const schema = catalogue.table(schemaOf.get(name)!);
        return { name, rowsByFile: files, schema: schema.file, product: schema.product };
      }),
    });
    const rows = Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]));
    return { manifest, seconds: (performance.now() - started) / 1000, rows };
  } catch (err) {
    for (const s of sessions) s.interrupt();
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    draft.abort();
    throw err;
  }
}
