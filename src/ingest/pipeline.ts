/**
 * One load through DuckDB — chaîne de chargement: read the file once into a typed, checked table
 * (every rule an entry in the row's `__errors` list), find primary-key duplicates, pseudonymise
 * each distinct NIR once (keyed HMAC in Node) and join, write the valid rows as Parquet into the
 * release draft, and the rejected ones — NIRs masked — into a quarantine file. NIRs never leave
 * this working session except as pseudonyms; the report shows masked values only.
 */
import type { AnalyticsEngine, EngineSession } from '../platform/engine/engine.js';
import { quoteIdent as q, quoteLiteral as lit } from '../platform/engine/engine.js';
import type { Pseudonymiser } from '../platform/crypto/pseudonym.js';
import { splitHex } from '../platform/crypto/hmac-batch.js';
import type { LoadPlan, PlannedColumn } from './plan.js';
import type { FileFormat } from './sniff.js';

export type LoadPolicy = 'reject' | 'quarantine';

export const ruleNames = ['structure', 'type', 'length', 'required', 'nomenclature', 'date_range', 'primary_key', 'nir_length', 'nir_characters', 'nir_key'] as const;
export type Rule = (typeof ruleNames)[number];

export interface RuleCount {
  rule: Rule;
  column: string | null;
  count: number;
}

export interface Problem {
  rule: Rule;
  column: string | null;
  /** The offending value as read; NIRs are masked. */
  value: string | null;
}

export interface OffendingRow {
  /** Data record number (1 = first record after the header). */
  row: number;
  /** Line in the file, assuming one record per line. */
  line: number;
  problems: Problem[];
}

export interface ValidationReport {
  format: FileFormat;
  columns: { matched: string[]; missing: string[]; extra: string[]; dropped: string[]; pseudonymised: string[] };
  /** Whole-file problems (a required column missing, unreadable file): nothing can be loaded. */
  fileErrors: { code: string; column: string | null; message: string }[];
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  rules: RuleCount[];
  samples: OffendingRow[];
  nir: { distinct: number; invalid: number };
}

export interface PipelineInput {
  file: string;
  format: FileFormat;
  plan: LoadPlan;
  /** Allowed values per nomenclature key `NAME` or `NAME:COLUMN`; absent = not checked. */
  nomenclatures: Map<string, Set<string>>;
  pseudonymiser: () => Promise<Pseudonymiser>;
  engine: AnalyticsEngine;
  workDir: string;
  outputFile: string;
  quarantineFile: string;
  policy: LoadPolicy;
  dateRange: { from: string; to: string };
  memoryLimit?: string;
  threads?: number;
  sampleSize?: number;
  onProgress?: (progress: { phase: 'read' | 'duplicates' | 'pseudonymise' | 'write'; done?: number; total?: number }) => void;
}

export interface PipelineResult {
  report: ValidationReport;
  accepted: boolean;
  rowsWritten: number;
}

const INLINE_CODES = 2000;
const nomKey = (n: { name: string; column: string | null }) => (n.column ? `${n.name}:${n.column}` : n.name);

export async function runPipeline(input: PipelineInput): Promise<PipelineResult> {
  const session = await input.engine.open({ memoryLimit: input.memoryLimit ?? '2GB', threads: input.threads ?? 2, tempDirectory: input.workDir });
  try {
    return await new Pipeline(input, session).run();
  } finally {
    await session.close();
  }
}

class Pipeline {
  private readonly sampleSize: number;
  constructor(
    private readonly input: PipelineInput,
    private readonly db: EngineSession,
  ) {
    this.sampleSize = input.sampleSize ?? 100;
  }

  async run(): Promise<PipelineResult> {
    const { plan, format } = this.input;
    const report: ValidationReport = {
      format,
      columns: { matched: [], missing: [], extra: [], dropped: [], pseudonymised: [] },
      fileErrors: [], rowsRead: 0, rowsValid: 0, rowsRejected: 0, rules: [], samples: [], nir: { distinct: 0, invalid: 0 },
    };
    const header = await this.header();
    const byUpper = new Map(header.map((h) => [h.toUpperCase(), h]));
    const source = new Map<string, string>();
    for (const c of plan.columns) {
      const found = byUpper.get(c.name.toUpperCase());
      if (found !== undefined) {
        source.set(c.name, found);
        report.columns.matched.push(c.name);
        if (c.kind === 'drop') report.columns.dropped.push(c.name);
        if (c.kind === 'nir') report.columns.pseudonymised.push(c.name);
      } else {
        report.columns.missing.push(c.name);
        if (c.required) report.fileErrors.push({ code: 'missing_column', column: c.name, message: `required column ${c.name} is not in the file` });
      }
    }
    const known = new Set(plan.columns.map((c) => c.name.toUpperCase()));
    report.columns.extra = header.filter((h) => !known.has(h.toUpperCase()));
    if (report.columns.matched.length === 0) report.fileErrors.push({ code: 'no_known_column', column: null, message: `no column of ${plan.table} in the file header` });
    if (report.fileErrors.length) return { report, accepted: false, rowsWritten: 0 };

    await this.loadNomenclatures();
    this.input.onProgress?.({ phase: 'read' });
    await this.db.run(this.checkSql(source));
    const structural = format.kind === 'csv' ? await this.structuralErrors() : [];
    this.input.onProgress?.({ phase: 'duplicates' });
    await this.findDuplicates();

    const counts = await this.db.query(`SELECT count(*)::BIGINT AS n, count(*) FILTER (WHERE len(__errors) = 0 AND rowid NOT IN (SELECT r FROM dup))::BIGINT AS ok FROM checked`);
    report.rowsRead = Number(counts[0]!.n) + structural.length;
    report.rowsValid = Number(counts[0]!.ok);
    report.rowsRejected = report.rowsRead - report.rowsValid;
    report.rules = await this.ruleCounts(structural.length);
    report.samples = await this.samples(structural);
    report.nir.invalid = report.rules.filter((r) => r.rule.startsWith('nir_')).reduce((s, r) => s + r.count, 0);

    const accepted = this.input.policy === 'quarantine' ? report.rowsValid > 0 : report.rowsRejected === 0;
    // Rows DuckDB could not even split (structure) keep their raw text in its rejects table only; never written out.
    if (this.input.policy === 'quarantine' && report.rowsRejected - structural.length > 0) await this.writeQuarantine();
    if (!accepted) return { report, accepted, rowsWritten: 0 };

    report.nir.distinct = await this.pseudonymise();
    this.input.onProgress?.({ phase: 'write' });
    await this.db.run(`COPY (${this.outputSql()}) TO ${lit(this.input.outputFile)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
    return { report, accepted, rowsWritten: report.rowsValid };
  }

  private readExpr(): string {
    const { file, format } = this.input;
    if (format.kind === 'parquet') return `read_parquet(${lit(file)})`;
    return `read_csv(${lit(file)}, delim = ${lit(format.delimiter)}, header = true, all_varchar = true, quote = '"', escape = '"', encoding = ${lit(format.encoding)}, store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_rejects_scan', auto_detect = true, sample_size = 20480)`;
  }

  private async header(): Promise<string[]> {
    const rows = await this.db.query(`DESCRIBE SELECT * FROM ${this.readExpr()}`);
    return rows.map((r) => String(r.column_name));
  }

  private async loadNomenclatures(): Promise<void> {
    const seen = new Set<string>();
    for (const [i, c] of this.input.plan.columns.entries()) {
      if (!c.nomenclature) continue;
      const values = this.input.nomenclatures.get(nomKey(c.nomenclature));
      if (!values || values.size <= INLINE_CODES || seen.has(`nom_${i}`)) continue;
      seen.add(`nom_${i}`);
      await this.db.run(`CREATE TABLE nom_${i} (code VARCHAR PRIMARY KEY)`);
      const rows = [...values].map((v) => [v]);
      for (let k = 0; k < rows.length; k += 50_000) await this.db.appendRows(`nom_${i}`, rows.slice(k, k + 50_000));
    }
  }

  /** One pass over the file: normalised text → typed value and the list of broken rules. */
  /**
   * Three layers, each computing a thing once: normalised text (NIRs compacted), typed values and
   * NIR validity, then the rules. The list of broken rules is built only for rows that break one
   * (a CASE evaluates its branch for the selected rows only): clean rows cost comparisons.
   */
  private checkSql(source: Map<string, string>): string {
    const { plan } = this.input;
    const missing = ['', ...plan.missingValues].map(lit).join(', ');
    const layer1 = plan.columns.map((c, i) => {
      const s = source.get(c.name);
      if (s === undefined) return `NULL::VARCHAR AS v${i}`;
      const text = `trim(CAST(${q(s)} AS VARCHAR))`;
      const normalised = `CASE WHEN ${text} IN (${missing}) THEN NULL ELSE ${text} END`;
      return c.kind === 'nir' ? `upper(replace(replace(replace(${normalised}, ' ', ''), '.', ''), '-', '')) AS v${i}` : `${normalised} AS v${i}`;
    });
    const layer2: string[] = [];
    const rules: { when: string; then: string }[] = [];
    const raws: string[] = [];
    const outputs: string[] = [];
    plan.columns.forEach((c, i) => {
      const v = `v${i}`;
      const tag = (rule: Rule) => lit(`${rule}:${c.name}`);
      layer2.push(v);
      if (c.required) rules.push({ when: `${v} IS NULL`, then: tag('required') });
      if (c.kind === 'nir') {
        const shape = `regexp_full_match(${v}, '[12378][0-9]{4}([0-9]{2}|2A|2B)[0-9]{8}')`;
        const keyOk = `(97 - (CAST(replace(replace(substr(${v}, 1, 13), '2A', '19'), '2B', '18') AS BIGINT) % 97)) = CAST(substr(${v}, 14, 2) AS INTEGER)`;
        layer2.push(`CASE WHEN ${v} IS NULL THEN NULL WHEN length(${v}) <> 15 THEN 'nir_length' WHEN NOT ${shape} THEN 'nir_characters' WHEN NOT ${keyOk} THEN 'nir_key' ELSE 'ok' END AS k${i}`);
        rules.push({ when: `k${i} <> 'ok'`, then: `k${i} || ${lit(`:${c.name}`)}` });
        outputs.push(`CASE WHEN k${i} = 'ok' THEN substr(v${i}, 1, 13) END AS n${i}`);
        raws.push(`CASE WHEN ${v} IS NULL THEN NULL ELSE repeat('•', length(${v})) END`);
        return;
      }
      raws.push(c.kind === 'drop' ? `CASE WHEN ${v} IS NULL THEN NULL ELSE '(identifiant direct masqué)' END` : v);
      if (c.kind === 'drop') return;
      layer2.push(`${typedExpr(c, v)} AS t${i}`);
      outputs.push(`t${i}`);
      rules.push({ when: `${v} IS NOT NULL AND t${i} IS NULL`, then: tag('type') });
      if (c.maxLength && c.duckType === 'VARCHAR') rules.push({ when: `length(${v}) > ${c.maxLength}`, then: tag('length') });
      const codes = c.nomenclature ? this.input.nomenclatures.get(nomKey(c.nomenclature)) : undefined;
      // Small code lists are inlined (a constant IN list is a hash probe, cheaper than a join per column).
      if (codes) rules.push({ when: codes.size <= INLINE_CODES ? `${v} IS NOT NULL AND NOT (${v} IN (${[...codes].map(lit).join(', ')}))` : `${v} IS NOT NULL AND ${v} NOT IN (SELECT code FROM nom_${i})`, then: tag('nomenclature') });
      if (c.duckType === 'DATE' || c.duckType === 'TIMESTAMP') {
        const { from, to } = this.input.dateRange;
        rules.push({ when: `t${i} < DATE ${lit(from)} OR t${i} > DATE ${lit(to)}`, then: tag('date_range') });
      }
    });
    const flags = rules.map((r, k) => `coalesce(${r.when}, false) AS e${k}`);
    const anyBroken = rules.length ? rules.map((_, k) => `e${k}`).join(' OR ') : 'false';
    const list = `[${rules.map((r, k) => `CASE WHEN e${k} THEN ${r.then} END`).join(', ')}]`;
    return `CREATE TABLE checked AS
      SELECT ${[...outputs, `CASE WHEN ${anyBroken} THEN list_filter(${list}, x -> x IS NOT NULL) ELSE []::VARCHAR[] END AS __errors`, `CASE WHEN ${anyBroken} THEN [${raws.join(', ')}] END AS __raw`].join(', ')}
      FROM (
        SELECT *, ${flags.join(', ') || 'false AS e_none'}
        FROM (SELECT ${layer2.join(', ')} FROM (SELECT ${layer1.join(', ')} FROM ${this.readExpr()}))
      )`;
  }

  private async structuralErrors(): Promise<{ line: number; column: string | null; type: string }[]> {
    // One line may break several ways (DuckDB lists each); the report counts lines.
    const rows = await this.db.query(`SELECT line::BIGINT AS line, first(column_name) AS column_name, string_agg(DISTINCT error_type, ', ') AS error_type FROM csv_rejects GROUP BY line ORDER BY line`).catch(() => []);
    return rows.map((r) => ({ line: Number(r.line), column: r.column_name === null ? null : String(r.column_name), type: String(r.error_type) }));
  }

  private async findDuplicates(): Promise<void> {
    const { plan } = this.input;
    const cols = plan.primaryKey.map((k) => {
      const i = plan.columns.findIndex((c) => c.name === k);
      const c = plan.columns[i];
      return c && c.kind !== 'drop' ? (c.kind === 'nir' ? `n${i}` : `t${i}`) : null;
    });
    if (cols.length === 0 || cols.some((c) => c === null)) {
      await this.db.run('CREATE TABLE dup (r BIGINT)');
      return;
    }
    const key = cols.join(', ');
    await this.db.run(`CREATE TABLE dup AS
      SELECT c.rowid AS r FROM checked c
      JOIN (SELECT ${key}, min(rowid) AS first FROM checked WHERE len(__errors) = 0 GROUP BY ${key} HAVING count(*) > 1) d
      USING (${key})
      WHERE len(c.__errors) = 0 AND c.rowid <> d.first`);
  }

  private async ruleCounts(structural: number): Promise<RuleCount[]> {
    const rows = await this.db.query(`SELECT e, count(*)::BIGINT AS n FROM (SELECT unnest(__errors) AS e FROM checked) GROUP BY e ORDER BY n DESC, e`);
    const out: RuleCount[] = rows.map((r) => {
      const [rule, column] = String(r.e).split(':') as [Rule, string];
      return { rule, column, count: Number(r.n) };
    });
    const dups = Number((await this.db.query('SELECT count(*)::BIGINT AS n FROM dup'))[0]!.n);
    if (dups) out.push({ rule: 'primary_key', column: this.input.plan.primaryKey.join(', '), count: dups });
    if (structural) out.push({ rule: 'structure', column: null, count: structural });
    return out;
  }

  private async samples(structural: { line: number; column: string | null; type: string }[]): Promise<OffendingRow[]> {
    const { plan } = this.input;
    const rows = await this.db.query(`SELECT rowid::BIGINT AS r, __errors, __raw, rowid IN (SELECT r FROM dup) AS dup FROM checked
      WHERE len(__errors) > 0 OR rowid IN (SELECT r FROM dup) ORDER BY rowid LIMIT ${this.sampleSize}`);
    const rejectedLines = structural.map((s) => s.line);
    const out: OffendingRow[] = rows.map((r) => {
      const row = Number(r.r) + 1;
      const raw = (r.__raw as (string | null)[] | null) ?? [];
      const problems: Problem[] = ((r.__errors as string[] | null) ?? []).map((e) => {
        const [rule, column] = e.split(':') as [Rule, string];
        const index = plan.columns.findIndex((c) => c.name === column);
        return { rule, column, value: raw[index] ?? null };
      });
      if (r.dup) problems.push({ rule: 'primary_key', column: plan.primaryKey.join(', '), value: null });
      return { row, line: lineOf(row, rejectedLines), problems };
    });
    for (const s of structural.slice(0, this.sampleSize)) {
      out.push({ row: 0, line: s.line, problems: [{ rule: 'structure', column: s.column, value: s.type }] });
    }
    return out.sort((a, b) => a.line - b.line).slice(0, this.sampleSize);
  }

  private async writeQuarantine(): Promise<void> {
    const names = this.input.plan.columns.map((c) => lit(c.name)).join(', ');
    await this.db.run(`COPY (SELECT rowid + 1 AS record, __errors AS problems, map([${names}], __raw) AS "values" FROM checked
      WHERE len(__errors) > 0 OR rowid IN (SELECT r FROM dup) ORDER BY rowid) TO ${lit(this.input.quarantineFile)} (FORMAT parquet, COMPRESSION zstd)`);
  }

  /** Hashes each distinct valid NIR once (batched), loads the mapping, returns how many. */
  private async pseudonymise(): Promise<number> {
    const nirCols = this.input.plan.columns.flatMap((c, i) => (c.kind === 'nir' ? [`n${i}`] : []));
    await this.db.run('CREATE TABLE pseudo_map (nir VARCHAR, pseudonym VARCHAR)');
    if (nirCols.length === 0) return 0;
    const valid = `len(__errors) = 0 AND rowid NOT IN (SELECT r FROM dup)`;
    const union = `SELECT DISTINCT nir FROM (${nirCols.map((n) => `SELECT ${n} AS nir FROM checked WHERE ${n} IS NOT NULL AND ${valid}`).join(' UNION ALL ')})`;
    const total = Number((await this.db.query(`SELECT count(*)::BIGINT AS n FROM (${union})`))[0]!.n);
    this.input.onProgress?.({ phase: 'pseudonymise', done: 0, total });
    const pseudonymiser = await this.input.pseudonymiser();
    // A streaming result dies when the connection runs another statement (the appends), so the
    // distinct NIRs are read in hash partitions of about a million, each read whole, then appended.
    const parts = Math.max(1, Math.ceil(total / 1_000_000));
    let done = 0;
    for (let part = 0; part < parts; part++) {
      const rows = await this.db.query(parts === 1 ? union : `SELECT nir FROM (${union}) WHERE hash(nir) % ${parts} = ${part}`);
      for (let k = 0; k < rows.length; k += 100_000) {
        const nirs = rows.slice(k, k + 100_000).map((r) => String(r.nir));
        // Checked NIRs are 13 ASCII characters: one packed buffer, one batch HMAC call.
        const pseudonyms = splitHex(pseudonymiser.pseudonymisePacked(Buffer.from(nirs.join(''), 'latin1'), 13, { hex: true }));
        await this.db.appendRows('pseudo_map', nirs.map((n, j) => [n, pseudonyms[j]!]));
        done += nirs.length;
        this.input.onProgress?.({ phase: 'pseudonymise', done, total });
      }
    }
    return done;
  }

  private outputSql(): string {
    const { plan } = this.input;
    const joins: string[] = [];
    const cols = plan.columns.flatMap((c, i) => {
      if (c.kind === 'drop') return [];
      if (c.kind === 'nir') {
        joins.push(`LEFT JOIN pseudo_map m${i} ON m${i}.nir = c.n${i}`);
        return [`m${i}.pseudonym AS ${q(c.name)}`];
      }
      return [`c.t${i} AS ${q(c.name)}`];
    });
    return `SELECT ${cols.join(', ')} FROM checked c ${joins.join(' ')} WHERE len(c.__errors) = 0 AND c.rowid NOT IN (SELECT r FROM dup)`;
  }
}

/** The typed value of a column, NULL when the text does not parse. */
function typedExpr(c: PlannedColumn, v: string): string {
  switch (c.type) {
    case 'integer':
      return `TRY_CAST(${v} AS ${c.duckType})`;
    case 'number':
      return `TRY_CAST(replace(${v}, ',', '.') AS DOUBLE)`;
    case 'boolean':
      return `CASE WHEN lower(${v}) IN ('1', 'true', 't', 'o', 'oui', 'y', 'yes') THEN true WHEN lower(${v}) IN ('0', 'false', 'f', 'n', 'non', 'no') THEN false END`;
    case 'date':
      return c.format ? `CASE WHEN try_strptime(${v}, ${lit(c.format)}) IS NOT NULL THEN ${v} END` : `COALESCE(TRY_CAST(${v} AS DATE), CAST(try_strptime(${v}, '%d/%m/%Y') AS DATE))`;
    case 'datetime':
      return c.format ? `try_strptime(${v}, ${lit(c.format)})` : `COALESCE(TRY_CAST(${v} AS TIMESTAMP), try_strptime(${v}, '%d/%m/%Y %H:%M:%S'))`;
    case 'year':
      return `CASE WHEN regexp_full_match(${v}, '(18|19|20|21)[0-9]{2}') THEN ${v} END`;
    case 'yearmonth':
      return `CASE WHEN regexp_full_match(${v}, '(18|19|20|21)[0-9]{2}-?(0[1-9]|1[0-2])') THEN ${v} END`;
    default:
      return v;
  }
}

/** Line of a record when one record is one line, skipping the header and the lines DuckDB rejected. */
function lineOf(row: number, rejectedLines: number[]): number {
  let line = row + 1;
  for (const r of rejectedLines) {
    if (r <= line) line++;
    else break;
  }
  return line;
}
