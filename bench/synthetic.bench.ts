/**
 * Synthetic SNDS core generation: 1,000,000 people × 2019–2021 (HDH_BENCH_PERSONS to change),
 * and 200,000 people to show that memory does not grow with N. Baseline: DuckDB writing the
 * same total number of rows of random values (an 8-column table) to ZSTD Parquet on this machine,
 * i.e. the raw write throughput the generator cannot beat.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Benchmark, BenchRow } from './harness.js';
import { benchmarkSyntheticGeneration } from './synthetic.js';

async function rawParquetRowsPerSecond(rows: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-raw-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  try {
    const started = performance.now();
    await conn.run(`COPY (SELECT i, i % 97 AS a, hash(i) AS b, (i * 7) % 1000 AS c, 'C' || (i % 5000)::VARCHAR AS d, DATE '2019-01-01' + (i % 1000)::INTEGER AS e, random() AS f, (i % 3)::VARCHAR AS g FROM range(${rows}) t(i))
      TO '${path.join(dir, 'raw.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
    return rows / ((performance.now() - started) / 1000);
  } finally {
    conn.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const syntheticBenchmark: Benchmark = {
  name: 'synthetic',
  title: 'Synthetic SNDS core generation',
  description:
    'Generation of the SNDS core (IR_BEN_R, ER_PRS_F, ER_PHA_F, ER_ETE_F, PMSI MCO yearly tables, KI_CCI_R, KI_ECD_R, IR_IMB_R, IR_PHA_R) over 2019–2021 into a lake release (ZSTD Parquet), default 2 workers. Goal: 1,000,000 people in ≤ 120 s with memory flat in N. Baseline: DuckDB writing the same number of rows of an 8-column random table to ZSTD Parquet (raw write throughput).',
  async run() {
    const persons = Number(process.env.HDH_BENCH_PERSONS ?? 1_000_000);
    const small = await benchmarkSyntheticGeneration({ persons: Math.round(persons / 5) });
    const large = await benchmarkSyntheticGeneration({ persons });
    const baseline = { label: 'raw DuckDB Parquet write', value: await rawParquetRowsPerSecond(large.totalRows) };
    const rows: BenchRow[] = [
      { metric: `${persons.toLocaleString('en-US')} people: wall time`, value: large.seconds, unit: 's', note: `goal ≤ 120 s; ${large.totalRows.toLocaleString('en-US')} rows, ${Math.round(large.bytesOnDisk / 2 ** 20)} MiB Parquet` },
      { metric: `${persons.toLocaleString('en-US')} people: rows/s`, value: large.rowsPerSecond, unit: 'rows/s', baseline },
      { metric: `${persons.toLocaleString('en-US')} people: peak RSS`, value: large.peakRssMb, unit: 'MiB', baseline: { label: `${small.persons.toLocaleString('en-US')} people`, value: small.peakRssMb }, note: 'ratio ≈ 1 means memory does not grow with N' },
      ...Object.entries(large.rowsPerSecondByTable)
        .sort((a, b) => b[1] - a[1])
        .map(([table, rps]) => ({ metric: `rows/s ${table}`, value: rps, unit: 'rows/s', note: `${large.rows[table]!.toLocaleString('en-US')} rows` })),
    ];
    return rows;
  },
};
