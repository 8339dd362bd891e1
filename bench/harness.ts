/**
 * Benchmark harness: each benchmark measures itself and a baseline in the same run, on this
 * machine, and returns rows for docs/benchmarks.md. Ratios against the baseline are what
 * compare across machines; the absolute numbers say what this machine did.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  note?: string;
}

export interface Benchmark {
  name: string;
  title: string;
  /** What is measured and what the baseline is, for the report. */
  description: string;
  run(): Promise<BenchRow[]>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function format(n: number): string {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(Math.abs(n) >= 10 ? 1 : 2);
}

export function renderSection(bench: Benchmark, rows: BenchRow[], at: Date): string {
  const lines = [
    `<!-- bench:${bench.name}:start -->`,
    `## ${bench.title}`,
    '',
    `${bench.description}`,
    '',
    `Measured ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.`,
    '',
    '| metric | value | baseline (same run) | ratio | note |',
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const base = r.baseline ? `${r.baseline.label}: ${format(r.baseline.value)} ${r.unit}` : '—';
      const ratio = r.baseline && r.baseline.value ? `${(r.value / r.baseline.value).toFixed(2)}×` : '—';
      return `| ${r.metric} | ${format(r.value)} ${r.unit} | ${base} | ${ratio} | ${r.note ?? ''} |`;
    }),
    `<!-- bench:${bench.name}:end -->`,
  ];
  return lines.join('\n');
}

/** Replaces (or appends) each benchmark's section in docs/benchmarks.md, keeping the others. */
export function writeReport(file: string, sections: { name: string; text: string }[]): void {
  let doc = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench [name…]`. Each section is replaced when its benchmark runs again; every figure comes with a baseline measured in the same run on the same machine.\n';
  for (const s of sections) {
    const re = new RegExp(`<!-- bench:${s.name}:start -->[\\s\\S]*?<!-- bench:${s.name}:end -->`);
    doc = re.test(doc) ? doc.replace(re, s.text) : `${doc.trimEnd()}\n\n${s.text}\n`;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc.endsWith('\n') ? doc : `${doc}\n`);
}
