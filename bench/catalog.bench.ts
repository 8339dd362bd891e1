/**
 * Catalogue: import of the real SNDS dictionary (../shared/data/schema-snds, or
 * HDH_SCHEMA_SNDS_DIR) as `hdh catalog import` does, then French full-text search over it through
 * HTTP at 1 and 50 concurrent clients, on the embedded store (PGlite) and — when
 * HDH_BENCH_DATABASE_URL (or HDH_TEST_DATABASE_URL) names a PostgreSQL server whose role may
 * create databases — on PostgreSQL too, in a scratch database dropped afterwards.
 *
 * The machine is shared, so every load is measured in three rounds, each interleaved with its
 * baselines (a bare Fastify server sending a search-sized JSON body, and `/api/health`), and the
 * median round is reported with the spread of the rounds in the note.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createHub, type Hub } from '../src/main.js';
import { systemActor } from '../src/platform/actor.js';
import { searchCatalogue } from '../src/catalog/search.js';
import { schemaSndsDir } from '../test/support/snds-dictionary.js';
import { median, percentile, type Benchmark, type BenchRow } from './harness.js';
import { benchPostgresUrl, withScratchDatabase } from './scratch-postgres.js';

/** Query texts a user types, letter by letter prefixes included. */
const typed = ['deces', 'décès', 'cause de deces', 'beneficiaire', 'bénéf', 'pharmacie', 'sejour', 'séjour hospitalier', 'diagnostic principal', 'ALD', 'affection longue', 'ER_PRS_F', 'ER_PHA', 'T_MCO', 'BEN_NIR', 'naissance', 'sexe', 'departement', 'médicament', 'CIP13', 'ATC', 'prestation', 'specialite', 'medecin generaliste', 'urgence', 'hospitalisation', 'psychiatrie', 'dialyse', 'cancer', 'diabete', 'infarctus', 'consultation', 'acte', 'CCAM', 'GHM', 'etablissement', 'FINESS', 'date de soins', 'montant rembourse', 'taux'];
const queries = typed.flatMap((q) => (q.length > 4 ? [q.slice(0, 3), q.slice(0, 5), q] : [q]));
const ROUNDS = 3;
const FIFTY = { clients: 50, perClient: 40 };
/** Cold load at 50 clients: every request a word never searched before. */
const FIFTY_COLD = { clients: 50, perClient: 4 };
const ONE_COLD = 40;

const run = promisify(execFile);

interface Load {
  latencies: number[];
  /** CPU of this (server) process per request during the load: what the server spends, whatever the wall clock. */
  serverCpuMs: number;
}

/** Runs the load from a separate Node process (bench/load-client.mjs). */
async function timedLoad(urls: string[], clients: number, perClient: number): Promise<Load> {
  const cpu = process.cpuUsage();
  const { stdout } = await run(process.execPath, [path.resolve('bench/load-client.mjs'), JSON.stringify({ urls, clients, perClient })], { maxBuffer: 16 * 2 ** 20 });
  const used = process.cpuUsage(cpu);
  const { latencies } = JSON.parse(stdout) as { latencies: number[] };
  return { latencies, serverCpuMs: (used.user + used.system) / 1000 / latencies.length };
}

/** Per-round figures of one load, reduced to the median round. */
class Rounds {
  private readonly rounds: Load[] = [];
  add(load: Load): void {
    this.rounds.push(load);
  }
  private each(f: (l: Load) => number): number[] {
    return this.rounds.map(f);
  }
  p(n: number): number {
    return median(this.each((l) => percentile(l.latencies, n)));
  }
  cpu(): number {
    return median(this.each((l) => l.serverCpuMs));
  }
  spread(n: number): string {
    return `rounds ${this.each((l) => percentile(l.latencies, n)).map((v) => v.toFixed(1)).join(' / ')} ms`;
  }
}

/** Distinct words of the dictionary's labels, none among the typed queries: searches nobody made before. */
async function coldWords(hub: Hub, count: number): Promise<string[]> {
  const { rows } = await sql<{ w: string }>`
    select w from (
      select distinct lower(w) as w from catalog_variables, regexp_split_to_table(label, '[^[:alpha:]]+') w
      union select distinct lower(w) from catalog_tables, regexp_split_to_table(title || ' ' || description, '[^[:alpha:]]+') w
    ) words where length(w) >= 4 order by md5(w) limit ${count + queries.length}`.execute(hub.database.db);
  const typedSet = new Set(queries.map((q) => q.toLowerCase()));
  const words = rows.map((r) => r.w).filter((w) => !typedSet.has(w));
  if (words.length < count) throw new Error(`only ${words.length} distinct words for ${count} cold searches`);
  return words.slice(0, count);
}

async function benchStore(store: { label: string; env: Record<string, string> }, source: string): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-catalog-'));
  const hub = await createHub(loadConfig({}, { HDH_DATA_DIR: dir, HDH_LOG_LEVEL: 'silent', HDH_DEMO: 'true', ...store.env }), { webDist: null });
  const bare = Fastify();
  try {
    const db = hub.database.db;
    const imported = await hub.services.catalog.importFolder(systemActor('bench'), source);
    const d = imported.diff;
    const rows = d.tables.added + d.variables.added + d.joins.added + d.nomenclatures.added + d.codes;
    const rawStarted = performance.now();
    await sql`create table bench_raw as select g as id, 'label ' || g as label, g % 97 as k from generate_series(1, ${rows}) g`.execute(db);
    const rawMs = performance.now() - rawStarted;
    await sql`drop table bench_raw`.execute(db);

    const uncached: number[] = [];
    for (const q of queries) {
      const started = performance.now();
      await searchCatalogue(db, { q, limit: 20 });
      uncached.push(performance.now() - started);
    }

    await hub.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(hub.app.server.address() as { port: number }).port}`;
    const searchUrl = (q: string) => `${base}/api/catalog/search?q=${encodeURIComponent(q)}`;
    // Baseline server: Fastify alone, sending a constant body the size of a search response.
    const body = await (await fetch(searchUrl('deces'))).text();
    bare.get('/', (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/`;
    const healthUrl = `${base}/api/health`;

    const cold = await coldWords(hub, ROUNDS * (ONE_COLD + FIFTY_COLD.clients * FIFTY_COLD.perClient));
    const typedUrls = queries.map(searchUrl);
    const loads = { bare1: new Rounds(), health1: new Rounds(), cold1: new Rounds(), warm1: new Rounds(), bare50: new Rounds(), health50: new Rounds(), warm50: new Rounds(), cold50: new Rounds() };
    const load = { start: os.loadavg()[0]!, end: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // 1 client: the typed queries once each, first time (cold: the cache empties with a new
      // catalogue version only, so round 1 is cold and later rounds use fresh words), then again (cached).
      loads.bare1.add(await timedLoad([bareUrl], 1, queries.length));
      loads.health1.add(await timedLoad([healthUrl], 1, queries.length));
      loads.cold1.add(await timedLoad(round === 0 ? typedUrls : cold.splice(0, ONE_COLD).map(searchUrl), 1, round === 0 ? queries.length : ONE_COLD));
      loads.warm1.add(await timedLoad(typedUrls, 1, queries.length));
      // 50 clients, closed loop: the typed queries again and again (cached), and words never searched (cold).
      loads.bare50.add(await timedLoad([bareUrl], FIFTY.clients, FIFTY.perClient));
      loads.health50.add(await timedLoad([healthUrl], FIFTY.clients, FIFTY.perClient));
      loads.warm50.add(await timedLoad(typedUrls, FIFTY.clients, FIFTY.perClient));
      loads.cold50.add(await timedLoad(cold.splice(0, FIFTY_COLD.clients * FIFTY_COLD.perClient).map(searchUrl), FIFTY_COLD.clients, FIFTY_COLD.perClient));
    }
    load.end = os.loadavg()[0]!;

    const s = store.label;
    const { bare1, health1, cold1, warm1, bare50, health50, warm50, cold50 } = loads;
    return [
      { metric: `${s}: import of schema-snds, time`, value: imported.durationMs / 1000, unit: 's', note: `${rows.toLocaleString('en-US')} rows` },
      { metric: `${s}: import of schema-snds, rows/s`, value: rows / (imported.durationMs / 1000), unit: 'rows/s', baseline: { label: 'plain INSERT…SELECT', value: rows / (rawMs / 1000) } },
      { metric: `${s}: search in the service, uncached, p50`, value: median(uncached), unit: 'ms', note: `p95 ${percentile(uncached, 95).toFixed(1)} ms over ${queries.length} distinct queries, one at a time` },
      { metric: `${s}: HTTP 1 client, first search of each query, p50`, value: cold1.p(50), unit: 'ms', baseline: { label: 'bare Fastify p50', value: bare1.p(50) }, note: cold1.spread(50) },
      { metric: `${s}: HTTP 1 client, first search of each query, p95`, value: cold1.p(95), unit: 'ms', baseline: { label: 'bare Fastify p95', value: bare1.p(95) }, note: cold1.spread(95) },
      { metric: `${s}: HTTP 1 client, repeated queries, p50`, value: warm1.p(50), unit: 'ms', baseline: { label: 'bare Fastify p50', value: bare1.p(50) }, note: `/api/health p50 ${health1.p(50).toFixed(2)} ms` },
      { metric: `${s}: HTTP 1 client, repeated queries, p95`, value: warm1.p(95), unit: 'ms', baseline: { label: 'bare Fastify p95', value: bare1.p(95) }, note: `/api/health p95 ${health1.p(95).toFixed(2)} ms` },
      { metric: `${s}: HTTP 50 clients, repeated queries, p50`, value: warm50.p(50), unit: 'ms', baseline: { label: 'bare Fastify p50', value: bare50.p(50) }, note: `/api/health p50 ${health50.p(50).toFixed(1)} ms; ${warm50.spread(50)}` },
      { metric: `${s}: HTTP 50 clients, repeated queries, p95`, value: warm50.p(95), unit: 'ms', baseline: { label: 'bare Fastify p95', value: bare50.p(95) }, note: `goal ≤ 20 ms; /api/health p95 ${health50.p(95).toFixed(1)} ms; ${warm50.spread(95)}; load average ${load.start.toFixed(1)} → ${load.end.toFixed(1)} on ${os.cpus().length} cores` },
      { metric: `${s}: HTTP 50 clients, repeated queries, server CPU per request`, value: warm50.cpu(), unit: 'ms', baseline: { label: 'bare Fastify', value: bare50.cpu() }, note: `/api/health ${health50.cpu().toFixed(2)} ms (CPU time: steadier than latency on a shared machine)` },
      { metric: `${s}: HTTP 50 clients, words never searched, p50`, value: cold50.p(50), unit: 'ms', baseline: { label: 'bare Fastify p50', value: bare50.p(50) }, note: cold50.spread(50) },
      { metric: `${s}: HTTP 50 clients, words never searched, p95`, value: cold50.p(95), unit: 'ms', baseline: { label: 'bare Fastify p95', value: bare50.p(95) }, note: cold50.spread(95) },
    ];
  } finally {
    await bare.close();
    await hub.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const catalogBenchmark: Benchmark = {
  name: 'catalog',
  title: 'Catalogue import and search',
  description: [
    'Import of the full SNDS dictionary (188 tables, 4,815 variables, 505 nomenclatures, ~414,000 codes) in one transaction, as `hdh catalog import` does, into a file-backed PGlite store and, when `HDH_BENCH_DATABASE_URL` (or `HDH_TEST_DATABASE_URL`) is set, into a scratch PostgreSQL database (pool of 10). Baseline: the same store inserting as many plain rows with one `INSERT … SELECT generate_series`.',
    `Then French full-text search through HTTP (\`GET /api/catalog/search\`), each request timed by a load client in its own process (one keep-alive connection per client, closed loop): *first search of each query* (${queries.length} as-you-type queries, then fresh dictionary words), *repeated queries* (the same ${queries.length}, as type-ahead repeats them: answered from the search cache of the current catalogue version), *words never searched* (${FIFTY_COLD.clients} clients × ${FIFTY_COLD.perClient} distinct words taken from the dictionary's labels). Baselines in the same run, interleaved: a bare Fastify server sending a constant body the size of a search response (the floor for this machine, this client and this payload) and \`GET /api/health\` (one store round trip).`,
    `Each load runs in ${ROUNDS} rounds; the table gives the median round and the note each round. Goal: search p95 ≤ 20 ms at 50 clients.`,
  ].join(' '),
  async run() {
    const source = schemaSndsDir();
    if (!source) throw new Error('the SNDS dictionary is needed for this benchmark (HDH_SCHEMA_SNDS_DIR)');
    const rows = await benchStore({ label: 'PGlite', env: {} }, source);
    const server = benchPostgresUrl();
    if (server) rows.push(...(await withScratchDatabase(server, (url) => benchStore({ label: 'PostgreSQL', env: { HDH_DATABASE_URL: url } }, source))));
    return rows;
  },
};
