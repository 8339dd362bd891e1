/**
 * Reading and preparing the two files of a probabilistic linkage inside one DuckDB session:
 * the reference (NIR + identity traits) and the source (record id + traits, no NIR).
 *
 * The reference's NIRs are checked and pseudonymised at once: each distinct value is checked in
 * TypeScript (key, Corsica rule), each valid one pseudonymised through the key ring, and only
 * `(index, pseudonym)` pairs go back to DuckDB — the NIR column is dropped before any trait is
 * compared, and never written anywhere. Traits are normalised (upper case, no accents, letters
 * only; sex 1/2 from 1/2/M/H/F; dates from ISO, DD/MM/YYYY or YYYYMMDD; INSEE commune codes).
 */
import type { EngineSession } from '../platform/engine/engine.js';
import { quoteIdent, quoteLiteral } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import { checkNir, type NirProblem } from '../platform/identifiers/nir.js';
import { SOUNDEX_MACRO_SQL } from './soundex.js';
import './messages.js';

export type FileFormat = 'csv' | 'parquet';

export interface InputFile {
  path: string;
  format: FileFormat;
  /** Shown in errors and reports instead of the path (an upload's original name). */
  label: string;
}

export const TRAIT_COLUMNS = ['lastName', 'firstName', 'sex', 'birthDate', 'commune'] as const;
export type TraitColumn = (typeof TRAIT_COLUMNS)[number];
export type ReferenceColumns = Record<TraitColumn | 'nir', string>;
export type SourceColumns = Record<TraitColumn | 'id', string>;

export const DEFAULT_REFERENCE_COLUMNS: ReferenceColumns = { nir: 'nir', lastName: 'last_name', firstName: 'first_name', sex: 'sex', birthDate: 'birth_date', commune: 'commune' };
export const DEFAULT_SOURCE_COLUMNS: SourceColumns = { id: 'id', lastName: 'last_name', firstName: 'first_name', sex: 'sex', birthDate: 'birth_date', commune: 'commune' };

/** Counts of the reference's NIRs that were not pseudonymised (their rows are left out). */
export type NirExclusions = Record<NirProblem | 'missing', number>;

export interface PreparedInputs {
  referenceRows: number;
  /** Reference rows with a valid NIR: the ones compared. */
  referenceRowsUsed: number;
  referencePersons: number;
  nirExcluded: NirExclusions;
  sourceRecords: number;
  /** Σ tf² of last names: the chance two random records share a last name (for the TF adjustment). */
  lastNameAgreement: number;
  pseudonymisedValues: number;
  durations: { loadMs: number; pseudonymiseMs: number; normaliseMs: number };
}

/** Pseudonymises NIR13 values (the 13 characters without the key); same order out as in. */
export type PseudonymiseFn = (nir13s: readonly string[]) => string[];

const MACROS = [
  `CREATE OR REPLACE MACRO norm_name(x) AS nullif(trim(regexp_replace(upper(strip_accents(CAST(x AS VARCHAR))), '[^A-Z]+', ' ', 'g')), '')`,
  `CREATE OR REPLACE MACRO norm_sex(x) AS CASE upper(strip_accents(trim(CAST(x AS VARCHAR)))) WHEN '1' THEN 1 WHEN 'M' THEN 1 WHEN 'H' THEN 1 WHEN 'HOMME' THEN 1 WHEN 'MASCULIN' THEN 1 WHEN '2' THEN 2 WHEN 'F' THEN 2 WHEN 'FEMME' THEN 2 WHEN 'FEMININ' THEN 2 ELSE NULL END`,
  `CREATE OR REPLACE MACRO norm_date(x) AS coalesce(try_strptime(trim(CAST(x AS VARCHAR)), '%Y-%m-%d'), try_strptime(trim(CAST(x AS VARCHAR)), '%d/%m/%Y'), try_strptime(trim(CAST(x AS VARCHAR)), '%Y%m%d'))`,
  `CREATE OR REPLACE MACRO norm_commune(x) AS CASE WHEN regexp_full_match(upper(trim(CAST(x AS VARCHAR))), '[0-9][0-9AB][0-9]{3}') THEN upper(trim(CAST(x AS VARCHAR))) ELSE NULL END`,
  // The NIR as the check reads it (spaces, dots and dashes ignored, letters upper-cased): one spelling per NIR.
  `CREATE OR REPLACE MACRO nir_compact(x) AS upper(regexp_replace(CAST(x AS VARCHAR), '[\\s.-]', '', 'g'))`,
  `CREATE OR REPLACE MACRO departement_of(c) AS CASE WHEN left(c, 2) IN ('97', '98') THEN left(c, 3) ELSE left(c, 2) END`,
  SOUNDEX_MACRO_SQL,
];

function readSql(file: InputFile): string {
  return file.format === 'csv' ? `read_csv(${quoteLiteral(file.path)}, all_varchar = true, header = true)` : `read_parquet(${quoteLiteral(file.path)})`;
}

/** Loads a file into `<table>` with a `line` column (data row number), checking the named columns exist. */
async function load(session: EngineSession, file: InputFile, table: string, side: 'reference' | 'source', columns: Record<string, string>): Promise<number> {
  let present: string[];
  try {
    present = (await session.query(`DESCRIBE SELECT * FROM ${readSql(file)}`)).map((r) => String(r.column_name));
  } catch (err) {
    throw new HdhError('linkage.file_unreadable', 400, { file: file.label, reason: firstLine(err) }, [{ location: `${side}.file`, file: file.label, message: firstLine(err) }]);
  }
  const missing = Object.entries(columns).filter(([, name]) => !present.includes(name));
  if (missing.length) {
    throw new HdhError(
      'linkage.column_missing',
      400,
      { file: file.label, columns: missing.map(([, n]) => n).join(', ') },
      missing.map(([field, name]) => ({ location: `${side}.columns.${field}`, file: file.label, column: name, message: `column "${name}" not in ${file.label} (columns: ${present.join(', ')})` })),
    );
  }
  const projection = Object.entries(columns).map(([field, name]) => `CAST(${quoteIdent(name)} AS VARCHAR) AS ${quoteIdent(field)}`);
  try {
    await session.run(`CREATE OR REPLACE TABLE ${table} AS SELECT row_number() OVER ()::INTEGER AS line, ${projection.join(', ')} FROM ${readSql(file)}`);
  } catch (err) {
    throw new HdhError('linkage.file_unreadable', 400, { file: file.label, reason: firstLine(err) }, [{ location: `${side}.file`, file: file.label, message: firstLine(err) }]);
  }
  return Number((await session.query(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0]!.n);
}

/**
 * What went wrong reading a file, without quoting it: DuckDB's CSV errors repeat the offending
 * line, which holds identity traits. Kept: the kind of error and the line number.
 */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const kind = /^([A-Za-z ]{3,40} Error):/.exec(text)?.[1] ?? 'Error';
  const line = /line:?\s*(\d+)/i.exec(text)?.[1];
  const what = /(unterminated quote|expected number of columns: \d+ found: \d+|not a parquet file|no such file|does not exist|could not sniff|invalid unicode|magic bytes)/i.exec(text)?.[1];
  return [kind, what, line ? `line ${line}` : null].filter(Boolean).join(', ');
}

/**
 * Builds the tables the pipeline compares: `ref(row, p_id, ln, fn, sex, by, bm, bd, commune,
 * dep, sdx, tfa)`, `src(row, rid, …same traits…)` and `persons(p_id, pseudonym)`.
 */
export async function prepareInputs(
  session: EngineSession,
  input: { reference: InputFile; source: InputFile; referenceColumns: ReferenceColumns; sourceColumns: SourceColumns; pseudonymise: PseudonymiseFn; termFrequency: boolean },
): Promise<PreparedInputs> {
  for (const m of MACROS) await session.run(m);
  let t = Date.now();
  const referenceRows = await load(session, input.reference, 'ref_raw', 'reference', input.referenceColumns);
  const sourceRecords = await load(session, input.source, 'src_raw', 'source', input.sourceColumns);
  await checkSourceIds(session, input.source);
  const loadMs = Date.now() - t;

  t = Date.now();
  const { excluded, pseudonymised } = await pseudonymiseNirs(session, input.pseudonymise);
  const pseudonymiseMs = Date.now() - t;

  t = Date.now();
  const traits = (alias: string) =>
    `norm_name(${alias}.lastName) AS ln, norm_name(${alias}.firstName) AS fn, norm_sex(${alias}.sex)::TINYINT AS sex,
     year(norm_date(${alias}.birthDate))::INTEGER AS by, month(norm_date(${alias}.birthDate))::INTEGER AS bm, day(norm_date(${alias}.birthDate))::INTEGER AS bd,
     norm_commune(${alias}.commune) AS commune`;
  await session.run(`CREATE TABLE persons AS SELECT (row_number() OVER (ORDER BY pseudonym) - 1)::INTEGER AS p_id, pseudonym FROM (SELECT DISTINCT pseudonym FROM nir_map)`);
  await session.run(`CREATE TABLE ref_n AS SELECT p.p_id, ${traits('x')} FROM ref_raw x JOIN nir_map m ON nir_compact(x.nir) = m.raw JOIN persons p ON p.pseudonym = m.pseudonym ORDER BY x.line`);
  // From here on no table holds a NIR.
  await session.run('DROP TABLE ref_raw; DROP TABLE nir_map');
  await session.run(`CREATE TABLE src_n AS SELECT trim(x.id) AS rid, ${traits('x')} FROM src_raw x ORDER BY x.line`);
  await session.run('DROP TABLE src_raw');
  await session.run(`CREATE TABLE names AS SELECT ln, count(*) AS n FROM (SELECT ln FROM ref_n UNION ALL SELECT ln FROM src_n) WHERE ln IS NOT NULL GROUP BY ln`);
  const agreement = Number((await session.query(`SELECT coalesce(sum(n::DOUBLE * n) / (sum(n)::DOUBLE * sum(n)), 0) AS a FROM names`))[0]!.a);
  const tfa = input.termFrequency && agreement > 0 ? `log2(${agreement} / (names.n::DOUBLE / (SELECT sum(n) FROM names)))` : '0';
  await session.run(`CREATE TABLE name_keys AS SELECT ln, soundex(replace(ln, ' ', '')) AS sdx, (${tfa})::FLOAT AS tfa FROM names`);
  await session.run(
    `CREATE TABLE ref AS SELECT (row_number() OVER () - 1)::INTEGER AS row, x.*, departement_of(x.commune) AS dep, k.sdx, coalesce(k.tfa, 0)::FLOAT AS tfa FROM ref_n x LEFT JOIN name_keys k ON k.ln = x.ln`,
  );
  await session.run(`CREATE TABLE src AS SELECT (row_number() OVER () - 1)::INTEGER AS row, x.*, departement_of(x.commune) AS dep, k.sdx FROM src_n x LEFT JOIN name_keys k ON k.ln = x.ln`);
  await session.run('DROP TABLE ref_n; DROP TABLE src_n; DROP TABLE names; DROP TABLE name_keys');
  const referencePersons = Number((await session.query('SELECT count(*)::INTEGER AS n FROM persons'))[0]!.n);
  const normaliseMs = Date.now() - t;
  const referenceRowsUsed = Number((await session.query('SELECT count(*)::INTEGER AS n FROM ref'))[0]!.n);

  return { referenceRows, referenceRowsUsed, referencePersons, nirExcluded: excluded, sourceRecords, lastNameAgreement: agreement, pseudonymisedValues: pseudonymised, durations: { loadMs, pseudonymiseMs, normaliseMs } };
}

/** Every source record needs an id, unique in the file: the linkage table points at it. */
async function checkSourceIds(session: EngineSession, file: InputFile): Promise<void> {
  const missing = await session.query(`SELECT line FROM src_raw WHERE id IS NULL OR trim(id) = '' ORDER BY line LIMIT 5`);
  if (missing.length) {
    throw new HdhError('linkage.source_id_missing', 400, { file: file.label, line: lineOf(file, Number(missing[0]!.line)) }, missing.map((r) => ({ location: 'source.columns.id', file: file.label, line: lineOf(file, Number(r.line)), message: 'empty record id' })));
  }
  const duplicates = await session.query(`SELECT trim(id) AS id, min(line)::INTEGER AS first, max(line)::INTEGER AS again FROM src_raw GROUP BY trim(id) HAVING count(*) > 1 ORDER BY first LIMIT 5`);
  if (duplicates.length) {
    const d = duplicates[0]!;
    throw new HdhError(
      'linkage.source_id_duplicate',
      400,
      { file: file.label, id: String(d.id), line: lineOf(file, Number(d.again)) },
      duplicates.map((r) => ({ location: 'source.columns.id', file: file.label, line: lineOf(file, Number(r.again)), message: `record id "${String(r.id)}" already on line ${lineOf(file, Number(r.first))}` })),
    );
  }
}

/** CSV: the header is line 1, so data row n is line n + 1; Parquet: the row number. */
function lineOf(file: InputFile, row: number): number {
  return file.format === 'csv' ? row + 1 : row;
}

/**
 * Checks and pseudonymises each distinct NIR of `ref_raw`, leaving `nir_map(raw, pseudonym)`.
 * Only an index and the pseudonym cross back into DuckDB (appended to a table, no file).
 */
async function pseudonymiseNirs(session: EngineSession, pseudonymise: PseudonymiseFn): Promise<{ excluded: NirExclusions; pseudonymised: number }> {
  const excluded: NirExclusions = { missing: 0, length: 0, characters: 0, key: 0 };
  excluded.missing = Number((await session.query(`SELECT count(*)::INTEGER AS n FROM ref_raw WHERE nir IS NULL OR trim(nir) = ''`))[0]!.n);
  await session.run(`CREATE TABLE nir_distinct AS SELECT (row_number() OVER () - 1)::INTEGER AS i, raw FROM (SELECT DISTINCT nir_compact(nir) AS raw FROM ref_raw WHERE nir IS NOT NULL AND trim(nir) <> '')`);
  const rowsPerValue = new Map<number, number>();
  for (const r of await session.query(`SELECT d.i, count(*)::INTEGER AS n FROM nir_distinct d JOIN ref_raw x ON nir_compact(x.nir) = d.raw GROUP BY d.i HAVING count(*) > 1`)) rowsPerValue.set(Number(r.i), Number(r.n));
  await session.run('CREATE TABLE nir_pseudonyms (i VARCHAR, pseudonym VARCHAR)');
  let pseudonymised = 0;
  let indices: string[] = [];
  let values: string[] = [];
  const flush = async () => {
    if (!values.length) return;
    const pseudonyms = pseudonymise(values);
    pseudonymised += values.length;
    await session.append('nir_pseudonyms', indices.map((i, k) => [i, pseudonyms[k]!]));
    indices = [];
    values = [];
  };
  for await (const batch of session.stream('SELECT i, raw FROM nir_distinct')) {
    for (const row of batch) {
      const check = checkNir(String(row.raw));
      if (check.ok) {
        indices.push(String(row.i));
        values.push(check.nir);
      } else excluded[check.problem] += rowsPerValue.get(Number(row.i)) ?? 1;
    }
    if (values.length >= 65_536) await flush();
  }
  await flush();
  await session.run(`CREATE TABLE nir_map AS SELECT d.raw, p.pseudonym FROM nir_distinct d JOIN nir_pseudonyms p ON p.i::INTEGER = d.i`);
  await session.run('DROP TABLE nir_distinct; DROP TABLE nir_pseudonyms');
  return { excluded, pseudonymised };
}
