/** `npm run bench [name…]`: runs the named benchmarks (all when none) and updates docs/benchmarks.md. */
import path from 'node:path';
import { renderSection, writeReport, type Benchmark } from './harness.js';
import { startupBenchmark } from './startup.bench.js';
import { apiBenchmark } from './api.bench.js';
import { syntheticBenchmark } from './synthetic.bench.js';
import { catalogBenchmark } from './catalog.bench.js';
import { queriesBenchmark } from './queries.bench.js';
import { ingestBenchmark } from './ingest.bench.js';
import { pseudonymBenchmark } from './pseudonym.bench.js';
import { workspaceBenchmark } from './workspace.bench.js';
import { linkageBenchmark } from './linkage.bench.js';
import { clickhouseBenchmark } from './clickhouse.bench.js';

export const benchmarks: Benchmark[] = [startupBenchmark, apiBenchmark, catalogBenchmark, syntheticBenchmark, queriesBenchmark, ingestBenchmark, pseudonymBenchmark, linkageBenchmark, workspaceBenchmark, clickhouseBenchmark];

export async function runBenchmarks(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${benchmarks.map((b) => b.name).join(', ')})`);
  const selected = names.length ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;
  const sections: { name: string; text: string }[] = [];
  for (const bench of selected) {
    console.log(`bench ${bench.name}: ${bench.title}…`);
    const rows = await bench.run();
    for (const r of rows) console.log(`  ${r.metric}: ${r.value.toFixed(2)} ${r.unit}${r.baseline ? ` (baseline ${r.baseline.label}: ${r.baseline.value.toFixed(2)})` : ''}`);
    sections.push({ name: bench.name, text: renderSection(bench, rows, new Date()) });
  }
  const file = path.resolve('docs/benchmarks.md');
  writeReport(file, sections);
  console.log(`Results written to ${file}`);
}
