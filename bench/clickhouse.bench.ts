/**
 * The lake and the extraction on ClickHouse (18.16, Debian's package) against one machine's DuckDB,
 * all in one run on this machine: a synthetic SNDS core 2019–2020 (HDH_BENCH_CLICKHOUSE_PERSONS
 * people, 400,000 by default), loaded into a private local cluster twice — 2 shards and 1 shard
 * (same servers, the `hdh_single` cluster) — then:
 *
 * - the analyst programs of ../shared/bench/queries (the dates written as ISO text; a program that
 *   18.16 cannot run as written has its rewrite in bench/clickhouse-queries, same result checked),
 *   fetched, and counted on the server (the engine's work without the result's transfer);
 * - an extraction (claims, drug lines, beneficiaries; 1 year; 1 % of people opposed) with the
 *   runner of each engine, Parquet written.
 *
 * Both ClickHouse shapes are measured twice: with each server's default threads (the 2 servers
 * then share this machine's cores: what a single box gains from sharding), and with 1 thread per
 * query per server (each shard as if on its own 1-core machine: what sharding gains when shards
 * get their own hardware). The medians of 3 runs are reported; every engine must return the
 * same rows.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseTestUrls } from '../test/support/clickhouse.js';
import { DCIR_KEYS, syntheticRouting } from '../test/support/cluster-lake.js';
import { PseudonymKeyRing } from '../src/platform/crypto/pseudonym.js';
import { ClickhouseEngine, type ClickhouseConfig, type ClickhouseSession } from '../src/platform/engine/clickhouse/engine.js';
import { DuckDbEngine } from '../src/platform/engine/duckdb.js';
import type { EngineRow, EngineSession } from '../src/platform/engine/engine.js';
import { ClickhouseLake, type ClusterRelease, type ClusterTable } from '../src/platform/lake/clickhouse-lake.js';
import { Lake, type ReleaseManifest } from '../src/platform/lake/lake.js';
import { runClusterExtraction } from '../src/extraction/cluster-extractor.js';
import { runExtraction } from '../src/extraction/extractor.js';
import { planExtraction, type ExtractionCatalogue, type TableFacts } from '../src/extraction/plan.js';
import { FrictionlessCatalogue } from '../src/synthetic/frictionless.js';
import { generateSndsRelease } from '../src/synthetic/generator.js';
import { median, type Benchmark, type BenchRow } from './harness.js';

const run = promisify(execFile);
const REPEAT = 3;

interface Program {
  name: string;
  duckdb: string;
  clickhouse: string;
}

function programs(): Program[] {
  const dir = path.resolve('../shared/bench/queries');
  if (!fs.existsSync(dir)) throw new Error(`${dir} is missing`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const original = fs.readFileSync(path.join(dir, f), 'utf8');
      const rewrite = path.resolve('bench/clickhouse-queries', f);
      // Dates are ISO text on the cluster (see docs/adr/0016): DATE 'x' becomes 'x'.
      const clickhouse = fs.existsSync(rewrite) ? fs.readFileSync(rewrite, 'utf8') : original.replace(/\bDATE\s+('\d{4}-\d\d-\d\d')/g, '$1');
      return { name: `shared/${f}`, duckdb: original, clickhouse };
    });
}

/** Table names of a program → the cluster's names ({T} or a bare T: Distributed; {T:local}: shard-local). */
function onCluster(sql: string, tables: ClusterTable[]): string {
  const byName = new Map(tables.map((t) => [t.name, t]));
  return sql
    .replace(/\{([A-Z0-9_]+)(:local)?\}/g, (m, name: string, local?: string) => (byName.has(name) ? (local ? byName.get(name)!.local : byName.get(name)!.sql) : m))
    .replace(/\b(FROM|JOIN)\s+([A-Z][A-Z0-9_]+)\b/g, (m, kw: string, name: string) => (byName.has(name) ? `${kw} ${byName.get(name)!.sql}` : m));
}

/** What the extraction asks of the catalogue, for the three tables of the benchmark perimeter. */
function benchCatalogue(columns: Map<string, string[]>): ExtractionCatalogue {
  const facts: Record<string, Omit<TableFacts, 'columns' | 'template'>> = {
    IR_BEN_R: { identifiers: ['BEN_NIR_PSA', 'BEN_NIR_ANO', 'BEN_IDT_ANO', 'ASS_NIR_ANO'], joins: [], primaryKey: ['BEN_NIR_PSA', 'BEN_RNG_GEM'] },
    ER_PRS_F: { identifiers: ['BEN_NIR_PSA'], joins: [], primaryKey: DCIR_KEYS },
    ER_PHA_F: { identifiers: [], joins: [{ fromTable: 'ER_PHA_F', fromFields: DCIR_KEYS, toTable: 'ER_PRS_F', toFields: DCIR_KEYS }], primaryKey: [] },
  };
  return { describe: async (name) => (facts[name] ? { template: name, columns: columns.get(name) ?? [], ...facts[name] } : null) };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** Rows as comparable text: numbers rounded (sums of doubles differ in the last digits between engines). */
function canonical(rows: EngineRow[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(
        Object.values(r).map((v) => (v === null ? null : typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) ? Math.round(Number(v) * 1000) / 1000 : v)),
      ),
    )
    .sort();
}

export const clickhouseBenchmark: Benchmark = {
  name: 'clickhouse',
  title: 'The lake and the extraction on ClickHouse: 2 shards vs 1 shard vs DuckDB',
  description:
    'A synthetic SNDS core (2019–2020) is loaded into a local ClickHouse 18.16 cluster twice — 2 shards and 1 shard, the same 2 server processes on this machine — and read by DuckDB from its Parquet files. Each analyst program of `../shared/bench/queries` (fetching its rows, and counted on the server: the engine work without the transfer) and an extraction (claims, drug lines, beneficiaries; 2019; 1 % of people opposed; Parquet written) run on each; medians of 3, every engine returning the same rows. "default threads": each server uses all cores, so the 2 shards share this machine; "1 thread/shard": one thread per query on each server, i.e. each shard as if it had its own 1-core machine. Ratio column: the row against its baseline (below 1 = faster; the issue\'s goal for 2 shards vs 1 is ≤ 0.625, i.e. ≥ 1.6× faster).',
  async run() {
    const persons = Number(process.env.HDH_BENCH_CLICKHOUSE_PERSONS ?? 400_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-clickhouse-'));
    fs.chmodSync(dir, 0o755);
    const script = path.resolve('scripts/clickhouse-cluster.sh');
    const clusterArgs = ['--dir', path.join(dir, 'cluster'), '--base-port', String(18_900 + (process.pid % 20) * 30)];
    const rows: BenchRow[] = [];
    try {
      const files = new Lake(path.join(dir, 'lake'));
      const catalogue = new FrictionlessCatalogue([path.resolve('data/demo-catalogue')]);
      const generated = await timed(() => generateSndsRelease({ lake: files, engine: new DuckDbEngine(), catalogue }, { persons, fromYear: 2019, toYear: 2020, seed: 7, workers: 2 }));
      const manifest: ReleaseManifest = generated.value.manifest;
      const claims = manifest.tables.find((t) => t.name === 'ER_PRS_F')!.rows;
      const allRows = manifest.tables.reduce((s, t) => s + t.rows, 0);
      console.log(`  generated ${persons} people, ${claims} claims, ${allRows} rows in ${(generated.ms / 1000).toFixed(1)} s`);

      await run(script, ['start', '--shards', '2', ...clusterArgs]);
      const { stdout } = await run(script, ['url', ...clusterArgs]);
      const nodes = parseTestUrls(stdout.trim());
      const base = { user: nodes.user, password: nodes.password, onCluster: false, requestTimeoutMs: 6 * 3_600_000 };
      const shapes: { label: string; config: ClickhouseConfig }[] = [
        { label: '2 shards', config: { ...base, urls: nodes.urls, cluster: 'hdh', database: 'bench_2' } },
        { label: '1 shard', config: { ...base, urls: nodes.urls.slice(0, 1), cluster: 'hdh_single', database: 'bench_1' } },
      ];
      const loaded = new Map<string, ClusterRelease>();
      for (const shape of shapes) {
        const lake = new ClickhouseLake({ engine: new ClickhouseEngine(shape.config), files, duckdb: new DuckDbEngine(), workDir: path.join(dir, 'work') });
        const load = await timed(() => lake.load(manifest, syntheticRouting(manifest)));
        loaded.set(shape.label, load.value);
        rows.push({ metric: `load into ClickHouse, ${shape.label}`, value: allRows / (load.ms / 1000), unit: 'rows/s', note: `${allRows.toLocaleString('en-US')} rows (${claims.toLocaleString('en-US')} claims) in ${(load.ms / 1000).toFixed(1)} s; DuckDB reads Parquet, writes one TSV file per shard, each streamed to its shard` });
      }

      // DuckDB over the release's Parquet files (the single-machine baseline).
      const duck = await new DuckDbEngine().open({ threads: os.cpus().length, memoryLimit: '8GB' });
      const columns = new Map<string, string[]>();
      try {
        for (const t of manifest.tables) {
          await duck.run(`CREATE VIEW ${t.name} AS SELECT * FROM read_parquet([${files.tableFiles(manifest, t.name)!.map((f) => `'${f}'`).join(', ')}])`);
          columns.set(t.name, (await duck.query(`SELECT column_name AS c FROM (DESCRIBE ${t.name})`)).map((r) => String(r.c)));
        }
        const sessions = async (threads: number | undefined) => {
          const out = new Map<string, ClickhouseSession>();
          for (const shape of shapes) out.set(shape.label, await new ClickhouseEngine(shape.config).open({ memoryLimit: '8GB', ...(threads ? { threads } : {}) }));
          return out;
        };
        const median3 = async (fn: () => Promise<EngineRow[]>) => {
          const times: number[] = [];
          let result: EngineRow[] = [];
          for (let i = 0; i < REPEAT; i++) {
            const r = await timed(fn);
            times.push(r.ms);
            result = r.value;
          }
          return { ms: median(times), result };
        };

        const bare = (sql: string) => sql.replace(/;\s*(--[^\n]*)?\s*$/, '');
        for (const p of programs()) {
          // Each program twice: fetching its rows (what an analyst waits for), and counted on the
          // server (the engine's work alone, without sending and parsing the result).
          for (const counted of [false, true]) {
            const wrap = (sql: string) => (counted ? `SELECT count(*) AS n FROM (${bare(sql)}) q` : bare(sql));
            const name = counted ? `${p.name}, counted on the server` : p.name;
            const onDuck = await median3(() => duck.query(wrap(p.duckdb)));
            if (onDuck.result.length === 0 || (counted && Number(onDuck.result[0]!.n) === 0)) throw new Error(`${p.name} returned no rows on DuckDB`);
            for (const threads of [undefined, 1] as const) {
              const tag = threads ? '1 thread/shard' : 'default threads';
              const open = await sessions(threads);
              try {
                const measured = new Map<string, number>();
                for (const shape of shapes) {
                  const s = open.get(shape.label)!;
                  const sql = onCluster(p.clickhouse, loaded.get(shape.label)!.tables);
                  const r = await median3(() => s.query(`${wrap(sql)}\nSETTINGS join_default_strictness = 'ALL'`));
                  if (JSON.stringify(canonical(r.result)) !== JSON.stringify(canonical(onDuck.result))) throw new Error(`${p.name}: ClickHouse ${shape.label} and DuckDB disagree (${r.result.length} vs ${onDuck.result.length} rows)`);
                  measured.set(shape.label, r.ms);
                }
                const note = counted ? `${Number(onDuck.result[0]!.n).toLocaleString('en-US')} rows counted` : `${onDuck.result.length.toLocaleString('en-US')} rows fetched, same on every engine`;
                rows.push({ metric: `${name} — 2 shards (${tag})`, value: measured.get('2 shards')!, unit: 'ms', baseline: { label: '1 shard', value: measured.get('1 shard')! }, note });
                if (!threads) rows.push({ metric: `${name} — DuckDB (${os.cpus().length} threads)`, value: onDuck.ms, unit: 'ms', baseline: { label: 'ClickHouse 2 shards', value: measured.get('2 shards')! } });
              } finally {
                for (const s of open.values()) await s.close();
              }
            }
          }
        }

        // The extraction: one plan, each engine's runner.
        const perimeter = {
          tables: [
            { name: 'IR_BEN_R', columns: ['BEN_NIR_PSA', 'BEN_RNG_GEM', 'BEN_IDT_ANO', 'BEN_SEX_COD', 'BEN_NAI_ANN', 'BEN_DCD_DTE'] },
            { name: 'ER_PRS_F', columns: [...DCIR_KEYS, 'BEN_NIR_PSA', 'BEN_RNG_GEM', 'EXE_SOI_DTD', 'PRS_NAT_REF', 'PRS_ACT_QTE', 'PSE_SPE_COD', 'PRS_PAI_MNT'] },
            { name: 'ER_PHA_F', columns: [...DCIR_KEYS, 'PHA_PRS_C13', 'PHA_ACT_QSN'] },
          ],
          period: { from: '2019-01-01', to: '2019-12-31' },
        };
        const plan = await planExtraction(perimeter, files, benchCatalogue(columns));
        const optedOut = (await duck.query(`SELECT BEN_NIR_PSA AS v FROM IR_BEN_R USING SAMPLE 1 PERCENT (bernoulli, 7)`)).map((r) => String(r.v));
        const keys = new PseudonymKeyRing([{ id: 'bench', version: 1, key: Buffer.alloc(32, 7).toString('base64') }], () => undefined);
        const pseudonymiser = await keys.openForProject('bench-project', 'bench');
        const extract = async (label: string, fn: (outDir: string) => Promise<{ totalRows: number }>) => {
          const times: number[] = [];
          let total = 0;
          for (let i = 0; i < REPEAT; i++) {
            const outDir = fs.mkdtempSync(path.join(dir, `extract-${label.replace(/\W+/g, '-')}-`));
            const r = await timed(() => fn(outDir));
            times.push(r.ms);
            total = r.value.totalRows;
            fs.rmSync(outDir, { recursive: true, force: true });
          }
          return { ms: median(times), total };
        };
        const onDuckExtract = await extract('duckdb', async (outDir) => {
          const s: EngineSession = await new DuckDbEngine().open({ threads: os.cpus().length, memoryLimit: '4GB', preserveInsertionOrder: false });
          try {
            return await runExtraction({ plan, session: s, pseudonymiser, optedOut, period: perimeter.period, outDir });
          } finally {
            await s.close();
          }
        });
        for (const threads of [undefined, 1] as const) {
          const tag = threads ? '1 thread/shard' : 'default threads';
          const measured = new Map<string, number>();
          for (const shape of shapes) {
            const tables = new Map(loaded.get(shape.label)!.tables.map((t) => [t.name, t]));
            const r = await extract(`${shape.label}-${tag}`, async (outDir) => {
              const s = await new ClickhouseEngine(shape.config).open({ memoryLimit: '4GB', ...(threads ? { threads } : {}) });
              try {
                return await runClusterExtraction({ plan, tables, session: s, duckdb: new DuckDbEngine(), pseudonymiser, optedOut, period: perimeter.period, outDir, threads: os.cpus().length });
              } finally {
                await s.close();
              }
            });
            if (r.total !== onDuckExtract.total) throw new Error(`extraction: ClickHouse ${shape.label} delivered ${r.total} rows, DuckDB ${onDuckExtract.total}`);
            measured.set(shape.label, r.ms);
          }
          rows.push({ metric: `extraction — 2 shards (${tag})`, value: measured.get('2 shards')!, unit: 'ms', baseline: { label: '1 shard', value: measured.get('1 shard')! }, note: `${onDuckExtract.total.toLocaleString('en-US')} rows delivered, ${optedOut.length.toLocaleString('en-US')} people opposed` });
          if (!threads) rows.push({ metric: `extraction — DuckDB (${os.cpus().length} threads)`, value: onDuckExtract.ms, unit: 'ms', baseline: { label: 'ClickHouse 2 shards', value: measured.get('2 shards')! } });
        }
      } finally {
        await duck.close();
      }
      rows.unshift({ metric: 'synthetic release', value: claims, unit: 'claims', note: `${persons.toLocaleString('en-US')} people, ${allRows.toLocaleString('en-US')} rows in all tables; generated in ${(generated.ms / 1000).toFixed(1)} s` });
      return rows;
    } finally {
      await run(script, ['stop', ...clusterArgs]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

