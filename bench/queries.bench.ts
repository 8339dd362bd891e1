/**
 * Real analyst programs on synthetic data: 100,000 people × 2019–2021 generated into a lake
 * release, SNDS-named views over its Parquet files, then every program of ../shared/bench/queries
 * and bench/queries run unchanged. Reports rows returned and time of each; baseline: a full
 * `count(*)` scan of ER_PRS_F in the same session.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbEngine } from '../src/platform/engine/duckdb.js';
import { Lake } from '../src/platform/lake/lake.js';
import { FrictionlessCatalogue } from '../src/synthetic/frictionless.js';
import { generateSndsRelease } from '../src/synthetic/generator.js';
import type { Benchmark, BenchRow } from './harness.js';

function programs(): { name: string; sql: string }[] {
  const dirs = [
    { label: 'shared', dir: path.resolve('../shared/bench/queries') },
    { label: 'ours', dir: path.resolve('bench/queries') },
  ];
  return dirs.flatMap(({ label, dir }) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => ({ name: `${label}/${f}`, sql: fs.readFileSync(path.join(dir, f), 'utf8') })) : [],
  );
}

export const queriesBenchmark: Benchmark = {
  name: 'queries',
  title: 'Analyst programs on 100,000 synthetic people',
  description:
    'A synthetic SNDS core of 100,000 people × 2019–2021 is generated, SNDS-named views are laid over its Parquet files, and each real analyst program (`../shared/bench/queries`, `bench/queries`) runs unchanged in DuckDB. Each must return rows; the note gives the row count. Baseline: `SELECT count(*) FROM ER_PRS_F` in the same session.',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-queries-'));
    const engine = new DuckDbEngine();
    try {
      const lake = new Lake(path.join(dir, 'lake'));
      const catalogue = new FrictionlessCatalogue([path.resolve('data/demo-catalogue')]);
      const { manifest } = await generateSndsRelease({ lake, engine, catalogue }, { persons: 100_000, fromYear: 2019, toYear: 2021, seed: 1 });
      const session = await engine.open({ threads: 2 });
      try {
        for (const t of manifest.tables) await session.run(`CREATE VIEW ${t.name} AS SELECT * FROM read_parquet([${lake.tableFiles(manifest, t.name)!.map((f) => `'${f}'`).join(', ')}])`);
        let started = performance.now();
        await session.query('SELECT count(*) AS n FROM ER_PRS_F');
        const baseline = { label: 'count(*) ER_PRS_F', value: performance.now() - started };
        const rows: BenchRow[] = [];
        for (const p of programs()) {
          started = performance.now();
          const result = await session.query(p.sql);
          const ms = performance.now() - started;
          if (result.length === 0) throw new Error(`${p.name} returned no rows on 100,000 people`);
          rows.push({ metric: p.name, value: ms, unit: 'ms', baseline, note: `${result.length} rows; first: ${JSON.stringify(result[0], (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)).slice(0, 120)}` });
        }
        return rows;
      } finally {
        await session.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
