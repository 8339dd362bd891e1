/**
 * Schema-valid synthetic data for any table of a Frictionless folder — données génériques:
 * types and lengths from the schema, codes from the nomenclatures, unique primary keys, and
 * foreign keys that point at rows that exist. Every value is a pure function of (seed, table,
 * row number), so a child computes its parent's key without reading it, and runs reproduce.
 */
import path from 'node:path';
import type { AnalyticsEngine } from '../platform/engine/engine.js';
import { quoteLiteral } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import type { Lake } from '../platform/lake/lake.js';
import './messages.js';
import type { FrictionlessCatalogue, SchemaField, TableSchema } from './frictionless.js';
import type { GenerationResult } from './generator.js';
import { duckType } from './snds-tables.js';

export interface GenericParams {
  tables: string[];
  /** Rows of every table (parents included). */
  rows: number;
  seed: number;
  fromYear?: number;
  toYear?: number;
}

const DATE_TYPES = new Set(['date', 'datetime', 'year', 'yearmonth']);

export class GenericPlan {
  readonly tables: TableSchema[] = [];
  constructor(
    private readonly catalogue: FrictionlessCatalogue,
    private readonly p: Required<GenericParams>,
  ) {
    const seen = new Set<string>();
    const visit = (name: string, from?: { table: string; field: string }) => {
      if (seen.has(name)) return;
      if (!catalogue.hasTable(name)) {
        if (from) throw new HdhError('synthetic.unsatisfiable', 400, { table: from.table, field: from.field, reason: `foreign key to a missing table ${name}` });
        throw new HdhError('synthetic.unknown_table', 400, { table: name });
      }
      seen.add(name);
      const t = catalogue.table(name);
      for (const fk of t.foreignKeys) visit(fk.reference.resource, { table: name, field: fk.fields.join('+') });
      this.tables.push(t);
    };
    for (const t of p.tables) visit(t);
  }

  private h(table: string, field: string, idx: string): string {
    return `CAST(hash(hash(${this.p.seed}, '${table}', '${field}', ${idx})) >> 1 AS BIGINT)`;
  }

  /** SQL of a field's value at row `idx` (an SQL expression). */
  value(t: TableSchema, f: SchemaField, idx: string, depth = 0): string {
    if (depth > 8) throw new HdhError('synthetic.unsatisfiable', 400, { table: t.name, field: f.name, reason: 'foreign keys form a cycle' });
    const fkIndex = t.foreignKeys.findIndex((fk) => fk.fields.includes(f.name));
    if (fkIndex >= 0) {
      const fk = t.foreignKeys[fkIndex]!;
      const parent = this.catalogue.table(fk.reference.resource);
      const refName = fk.reference.fields[fk.fields.indexOf(f.name)] ?? f.name;
      const ref = parent.fields.find((x) => x.name === refName);
      if (!ref) throw new HdhError('synthetic.unsatisfiable', 400, { table: t.name, field: f.name, reason: `${parent.name} has no column ${refName}` });
      // A foreign key inside the primary key maps row r to parent row r, which keeps the key unique.
      const inPk = fk.fields.some((x) => t.primaryKey.includes(x));
      const parentIdx = inPk ? idx : `(${this.h(t.name, `fk${fkIndex}`, idx)} % ${this.p.rows})`;
      return this.value(parent, ref, parentIdx, depth + 1);
    }
    const len = Number(String(f.length ?? '').split(',')[0]) || 0;
    // One column of the primary key carries the uniqueness: preferably one without a code list.
    const pkFields = t.primaryKey.filter((k) => !t.foreignKeys.some((fk) => fk.fields.includes(k)));
    const driver = pkFields.find((k) => { const n = t.fields.find((x) => x.name === k)?.nomenclature; return !n || n === '-'; }) ?? pkFields[0];
    if (driver === f.name || (f.constraints?.unique && t.primaryKey.length <= 1)) {
      if (f.nomenclature && f.nomenclature !== '-' && !DATE_TYPES.has(f.type)) {
        const codes = this.catalogue.codesFor(t.name, f.name);
        if (codes.length < this.p.rows) throw new HdhError('synthetic.unsatisfiable', 400, { table: t.name, field: f.name, reason: `${this.p.rows} unique values asked, its nomenclature has ${codes.length}` });
        return `[${codes.map(quoteLiteral).join(', ')}][1 + ${idx}]`;
      }
      const digits = String(this.p.rows).length;
      if (len && len < digits) throw new HdhError('synthetic.unsatisfiable', 400, { table: t.name, field: f.name, reason: `${this.p.rows} unique values do not fit in ${len} characters` });
      if (f.type === 'integer' || f.type === 'number') return `(${idx} + 1)`;
      if (f.type === 'string') return `lpad(CAST(${idx} + 1 AS VARCHAR), ${len || digits}, '0')`;
    }
    if (f.nomenclature && f.nomenclature !== '-' && !DATE_TYPES.has(f.type)) {
      const codes = this.catalogue.codesFor(t.name, f.name);
      return `[${codes.map(quoteLiteral).join(', ')}][1 + (${this.h(t.name, f.name, idx)} % ${codes.length})::BIGINT]`;
    }
    const r = this.h(t.name, f.name, idx);
    const D0 = `DATE '${this.p.fromYear}-01-01'`;
    const days = `date_diff('day', ${D0}, DATE '${this.p.toYear}-12-31') + 1`;
    switch (f.type) {
      case 'integer':
        return `(${r} % ${10 ** Math.min(len || 4, 9)})`;
      case 'number':
        return `round((${r} % 100000) / 100.0, 2)`;
      case 'boolean':
        return `(${r} % 2 = 0)`;
      case 'date':
        return `(${D0} + CAST(${r} % (${days}) AS INTEGER))`;
      case 'datetime':
        return `CAST(${D0} + CAST(${r} % (${days}) AS INTEGER) AS TIMESTAMP)`;
      case 'year':
        return `CAST(${this.p.fromYear} + ${r} % ${this.p.toYear - this.p.fromYear + 1} AS VARCHAR)`;
      case 'yearmonth':
        return `strftime(${D0} + CAST(${r} % (${days}) AS INTEGER), '%Y%m')`;
      default:
        return `substr(upper(md5(CAST(${r} AS VARCHAR)) || md5(CAST(${r} + 1 AS VARCHAR))), 1, ${Math.min(len || 8, 64)})`;
    }
  }

  select(t: TableSchema): string {
    const cols = t.fields.map((f) => {
      const v = this.value(t, f, 'r');
      const typed = f.type === 'date' && f.format && f.format !== 'default' ? `strftime(${v}, '${f.format}')` : v;
      return `CAST(${typed} AS ${duckType(f)}) AS "${f.name}"`;
    });
    return `SELECT ${cols.join(', ')} FROM range(0, ${this.p.rows}) t(r) ORDER BY r`;
  }
}

export async function generateGenericRelease(deps: { lake: Lake; engine: AnalyticsEngine; catalogue: FrictionlessCatalogue; now?: () => Date }, params: GenericParams, name = 'generic-synthetic'): Promise<GenerationResult> {
  const started = performance.now();
  if (!Number.isInteger(params.rows) || params.rows < 1 || params.rows > 10_000_000) throw new HdhError('synthetic.invalid_parameter', 400, { parameter: 'rows', reason: 'an integer from 1 to 10,000,000' });
  if (!params.tables.length) throw new HdhError('synthetic.invalid_parameter', 400, { parameter: 'tables', reason: 'at least one table' });
  const p = { fromYear: 2019, toYear: 2021, ...params };
  const plan = new GenericPlan(deps.catalogue, p);
  const selects = plan.tables.map((t) => ({ t, sql: plan.select(t) })); // every error surfaces before the draft exists
  const draft = deps.lake.beginRelease(name);
  const session = await deps.engine.open({ threads: 1, memoryLimit: '1GB' }).catch((err: unknown) => {
    draft.abort();
    throw err;
  });
  try {
    const out: { name: string; rowsByFile: Record<string, number>; schema: string; product: string }[] = [];
    for (const { t, sql } of selects) {
      const file = path.join(draft.tableDir(t.name), 'part-00000.parquet');
      const rows = await session.query(`COPY (${sql}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
      out.push({ name: t.name, rowsByFile: { [`${t.name}/part-00000.parquet`]: Number(Object.values(rows[0] ?? {})[0] ?? 0) }, schema: t.file, product: t.product });
    }
    await session.close();
    const manifest = draft.publish({ synthetic: true, createdAt: (deps.now ?? (() => new Date()))(), generator: { name: 'generic/1', parameters: { ...p } }, tables: out });
    return { manifest, seconds: (performance.now() - started) / 1000, rows: Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows])) };
  } catch (err) {
    await session.close().catch(() => undefined);
    draft.abort();
    throw err;
  }
}
