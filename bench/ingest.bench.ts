/**
 * Ingest + validate + pseudonymise a 10-million-row ER_PRS_F-like CSV (HDH_BENCH_INGEST_ROWS to
 * change; 1 distinct person per 10 rows), against the same-run baseline of a plain DuckDB
 * `COPY (SELECT * FROM read_csv(…)) TO '….parquet'` of the same file (issue #6: goal ≥ 0.5×).
 * The file uses the demo catalogue's ER_PRS_F schema; every value is valid, NIRs have their key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Benchmark, BenchRow } from './harness.js';
import { inferSensitivity } from '../src/catalog/sensitivity.js';
import type { FrictionlessTableSchema } from '../src/catalog/service.js';
import { planLoad, type LoadPlan } from '../src/ingest/plan.js';
import { runPipeline } from '../src/ingest/pipeline.js';
import { sniffFile } from '../src/ingest/sniff.js';
import { PseudonymKeyRing } from '../src/platform/crypto/pseudonym.js';
import { DuckDbEngine } from '../src/platform/engine/duckdb.js';
import { repoRoot } from '../src/main.js';

const catalogue = path.join(repoRoot, 'data', 'demo-catalogue');

function readNomenclature(name: string, column: string | null): string[] {
  const file = fs.readdirSync(path.join(catalogue, 'nomenclatures'), { recursive: true, encoding: 'utf8' }).find((f) => path.basename(f) === `${name}.csv`);
  if (!file) return [];
  const [header, ...lines] = fs.readFileSync(path.join(catalogue, 'nomenclatures', file), 'utf8').trim().split('\n');
  const index = column ? Math.max(0, header!.split(';').indexOf(column)) : 0;
  return lines.map((l) => l.split(';')[index]!.trim()).filter((v) => v !== '');
}

function valueExpr(plan: LoadPlan, name: string, nomenclatures: Map<string, Set<string>>): string {
  const c = plan.columns.find((x) => x.name === name)!;
  if (c.kind === 'nir') return 'nir';
  if (name === 'DCT_ORD_NUM') return 'i';
  const key = c.nomenclature ? (c.nomenclature.column ? `${c.nomenclature.name}:${c.nomenclature.column}` : c.nomenclature.name) : null;
  const codes = key && c.type !== 'date' ? [...(nomenclatures.get(key) ?? [])].slice(0, 50) : [];
  if (codes.length) return `[${codes.map((v) => `'${v}'`).join(', ')}][(i % ${codes.length}) + 1]`;
  switch (c.type) {
    case 'integer':
      return `(i % ${10 ** Math.min(Number(c.maxLength ?? 4) || 4, 4)})::VARCHAR`;
    case 'number':
      return `replace(((i % 9999) / 100.0)::DECIMAL(6,2)::VARCHAR, '.', ',')`;
    case 'date':
      return `strftime(DATE '2019-01-01' + (i % 1000)::INTEGER, '%Y-%m-%d')`;
    case 'year':
      return `(1940 + i % 70)::VARCHAR`;
    default:
      return `left('A' || (i % 1000)::VARCHAR, ${c.maxLength ?? 8})`;
  }
}

async function writeCsv(file: string, rows: number, plan: LoadPlan, nomenclatures: Map<string, Set<string>>): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  try {
    // p → a 13-character NIR, injective for p < 2,160,000; the key is computed like the checker does.
    const nir13 = `(1 + p % 2)::VARCHAR || lpad(((p // 2) % 90 + 10)::VARCHAR, 2, '0') || lpad(((p // 180) % 12 + 1)::VARCHAR, 2, '0') || '75' || lpad(((p // 2160) % 999 + 1)::VARCHAR, 3, '0') || '001'`;
    const cols = plan.columns.map((c) => `${valueExpr(plan, c.name, nomenclatures)} AS "${c.name}"`).join(', ');
    await conn.run(`COPY (
      SELECT ${cols} FROM (
        SELECT i, n13 || lpad((97 - (n13::BIGINT % 97))::VARCHAR, 2, '0') AS nir FROM (SELECT i, ${nir13} AS n13 FROM (SELECT i, i % ${Math.max(1, Math.round(rows / 10))} AS p FROM range(${rows}) t(i)))
      )) TO '${file}' (HEADER, DELIMITER ';')`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function baselineSeconds(file: string, out: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB' });
  const conn = await instance.connect();
  try {
    const started = performance.now();
    await conn.run(`COPY (SELECT * FROM read_csv('${file}')) TO '${out}' (FORMAT parquet, COMPRESSION zstd)`);
    return (performance.now() - started) / 1000;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  title: 'Ingest + validate + pseudonymise an ER_PRS_F-like CSV',
  description:
    'The ingestion pipeline (src/ingest/pipeline.ts: one typed + checked pass, primary-key duplicates, nomenclature membership, NIR key check, keyed HMAC of each distinct NIR, join, ZSTD Parquet) on a CSV following the demo ER_PRS_F schema (29 columns, 10 rows per person). Baseline: plain DuckDB `COPY (SELECT * FROM read_csv(file)) TO parquet` of the same file, same threads and memory. Goal (issue #6): speed ≥ 0.5 × the baseline.',
  async run() {
    const rows = Number(process.env.HDH_BENCH_INGEST_ROWS ?? 10_000_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-ingest-'));
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(catalogue, 'schemas', 'DCIR', 'ER_PRS_F.json'), 'utf8')) as FrictionlessTableSchema;
      const schema = { ...raw, missingValues: raw.missingValues ?? [''], fields: raw.fields.map((f) => ({ ...f, sensitivity: inferSensitivity(String(f.name), String(f.description ?? ''), null) })) };
      const plan = planLoad(schema);
      const nomenclatures = new Map<string, Set<string>>();
      for (const c of plan.columns) {
        if (!c.nomenclature || c.type === 'date') continue;
        const values = readNomenclature(c.nomenclature.name, c.nomenclature.column);
        if (values.length) nomenclatures.set(c.nomenclature.column ? `${c.nomenclature.name}:${c.nomenclature.column}` : c.nomenclature.name, new Set(values));
      }
      const file = path.join(dir, 'er_prs_f.csv');
      await writeCsv(file, rows, plan, nomenclatures);
      const bytes = fs.statSync(file).size;
      const base = await baselineSeconds(file, path.join(dir, 'baseline.parquet'));

      const ring = new PseudonymKeyRing([{ id: 'bench', version: 1, key: crypto.randomBytes(32).toString('base64') }], () => undefined);
      const phases: Record<string, number> = {};
      let last = performance.now();
      let phase = 'start';
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
      const started = performance.now();
      const work = fs.mkdtempSync(path.join(dir, 'work-'));
      const result = await runPipeline({
        file, format: sniffFile(file), plan, nomenclatures, pseudonymiser: () => ring.open('bench', 'bench'), engine: new DuckDbEngine(), workDir: work,
        outputFile: path.join(work, 'out.parquet'), quarantineFile: path.join(work, 'q.parquet'), policy: 'reject', dateRange: { from: '1900-01-01', to: '2030-12-31' }, memoryLimit: '2GB', threads: 2,
        onProgress: (p) => {
          if (p.phase === phase) return;
          const now = performance.now();
          phases[phase] = (phases[phase] ?? 0) + (now - last) / 1000;
          last = now;
          phase = p.phase;
        },
      });
      const seconds = (performance.now() - started) / 1000;
      phases[phase] = (phases[phase] ?? 0) + (performance.now() - last) / 1000;
      clearInterval(sampler);
      if (!result.accepted || result.report.rowsValid !== rows) throw new Error(`bench file not accepted: ${JSON.stringify(result.report.rules)}`);
      const out: BenchRow[] = [
        { metric: `${rows.toLocaleString('en-US')} rows (${Math.round(bytes / 2 ** 20)} MiB CSV): rows/s`, value: rows / seconds, unit: 'rows/s', baseline: { label: 'plain DuckDB read_csv → Parquet', value: rows / base }, note: 'goal: ratio ≥ 0.5' },
        { metric: 'wall time', value: seconds, unit: 's', baseline: { label: 'plain DuckDB read_csv → Parquet', value: base } },
        { metric: 'distinct NIRs pseudonymised', value: result.report.nir.distinct, unit: 'NIRs' },
        { metric: 'peak RSS of the process', value: peakRss / 2 ** 20, unit: 'MiB', note: 'DuckDB memory_limit 2GB' },
        ...Object.entries(phases).filter(([k]) => k !== 'start' || phases[k]! > 0.05).map(([k, v]) => ({ metric: `phase ${k === 'start' ? 'header + nomenclatures' : k}`, value: v, unit: 's' })),
      ];
      return out;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
