/**
 * Benchmark: generate a synthetic SNDS core (default 1,000,000 people × 3 years) into a
 * temporary lake and report rows per table, seconds, rows per second and peak memory (RSS,
 * sampled every 100 ms, and the process high-water mark). Not a test: call it by hand,
 *   npx tsx -e "import('./bench/synthetic.ts').then(m => m.benchmarkSyntheticGeneration()).then(r => console.log(r))"
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbEngine } from '../src/platform/engine/duckdb.js';
import { Lake } from '../src/platform/lake/lake.js';
import { FrictionlessCatalogue } from '../src/synthetic/frictionless.js';
import { generateSndsRelease, type SyntheticParams } from '../src/synthetic/generator.js';

export interface SyntheticBenchmark {
  persons: number;
  years: string;
  seconds: number;
  rows: Record<string, number>;
  totalRows: number;
  rowsPerSecond: number;
  /** Rows per second of each table, over the whole run (tables are written together). */
  rowsPerSecondByTable: Record<string, number>;
  peakRssMb: number;
  maxRssMb: number;
  bytesOnDisk: number;
}

export async function benchmarkSyntheticGeneration(options: Partial<SyntheticParams> & { keep?: boolean } = {}): Promise<SyntheticBenchmark> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-synth-'));
  const params: SyntheticParams = { persons: 1_000_000, fromYear: 2019, toYear: 2021, seed: 1, ...options };
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  try {
    const lake = new Lake(dir);
    const catalogue = new FrictionlessCatalogue([path.resolve(import.meta.dirname, '..', 'data', 'demo-catalogue')]);
    const result = await generateSndsRelease({ lake, engine: new DuckDbEngine(), catalogue }, params);
    const totalRows = Object.values(result.rows).reduce((s, n) => s + n, 0);
    return {
      persons: params.persons,
      years: `${params.fromYear}-${params.toYear}`,
      seconds: Math.round(result.seconds * 10) / 10,
      rows: result.rows,
      totalRows,
      rowsPerSecond: Math.round(totalRows / result.seconds),
      rowsPerSecondByTable: Object.fromEntries(Object.entries(result.rows).map(([t, n]) => [t, Math.round(n / result.seconds)])),
      peakRssMb: Math.round(peak / 2 ** 20),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      bytesOnDisk: result.manifest.tables.reduce((s, t) => s + t.files.reduce((a, f) => a + f.bytes, 0), 0),
    };
  } finally {
    clearInterval(sampler);
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
