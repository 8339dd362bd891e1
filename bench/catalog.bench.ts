/**
 * Catalogue: import of the real SNDS dictionary (../shared/data/schema-snds, or
 * HDH_SCHEMA_SNDS_DIR) into a file-backed embedded store, as `hdh catalog import` does; then
 * search over it through HTTP at 1 and 50 concurrent clients (p50/p95 of each request, measured
 * by the client), and uncached search in the service. Baselines in the same run: for import, the
 * same store inserting the same number of plain rows in one statement; for search, `/api/health`
 * under the same load.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createHub } from '../src/main.js';
import { systemActor } from '../src/platform/actor.js';
import { searchCatalogue } from '../src/catalog/search.js';
import { schemaSndsDir } from '../test/support/snds-dictionary.js';
import { median, percentile, type Benchmark, type BenchRow } from './harness.js';

/** Query texts a user types, letter by letter prefixes included: distinct, so caches warm up slowly. */
const typed = ['deces', 'décès', 'cause de deces', 'beneficiaire', 'bénéf', 'pharmacie', 'sejour', 'séjour hospitalier', 'diagnostic principal', 'ALD', 'affection longue', 'ER_PRS_F', 'ER_PHA', 'T_MCO', 'BEN_NIR', 'naissance', 'sexe', 'departement', 'médicament', 'CIP13', 'ATC', 'prestation', 'specialite', 'medecin generaliste', 'urgence', 'hospitalisation', 'psychiatrie', 'dialyse', 'cancer', 'diabete', 'infarctus', 'consultation', 'acte', 'CCAM', 'GHM', 'etablissement', 'FINESS', 'date de soins', 'montant rembourse', 'taux'];
const run = promisify(execFile);
const queries = typed.flatMap((q) => (q.length > 4 ? [q.slice(0, 3), q.slice(0, 5), q] : [q]));

/** Runs the load from a separate Node process (bench/load-client.mjs) and returns each latency. */
async function timedLoad(url: (i: number) => string, clients: number, perClient: number): Promise<number[]> {
  const urls = Array.from({ length: Math.min(clients * perClient, queries.length) }, (_, i) => url(i));
  const { stdout } = await run(process.execPath, [path.resolve('bench/load-client.mjs'), JSON.stringify({ urls, clients, perClient })], { maxBuffer: 16 * 2 ** 20 });
  return JSON.parse(stdout) as number[];
}

export const catalogBenchmark: Benchmark = {
  name: 'catalog',
  title: 'Catalogue import and search',
  description:
    'Import of the full SNDS dictionary (188 tables, 4,815 variables, 505 nomenclatures, ~414,000 codes) into a file-backed PGlite store, one transaction, as `hdh catalog import` does. Baseline: the same store inserting the same number of plain rows with one `INSERT … SELECT generate_series`. Then French full-text search through HTTP (`GET /api/catalog/search`, 124 distinct as-you-type queries, rotating) at 1 and 50 concurrent clients, latency of each request measured by a load client in its own process; baseline: `GET /api/health` under the same load. Goal: search p95 ≤ 20 ms at 50 clients.',
  async run() {
    const source = schemaSndsDir();
    if (!source) throw new Error('the SNDS dictionary is needed for this benchmark (HDH_SCHEMA_SNDS_DIR)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-bench-catalog-'));
    const hub = await createHub(loadConfig({}, { HDH_DATA_DIR: dir, HDH_LOG_LEVEL: 'silent', HDH_DEMO: 'true' }), { webDist: null });
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
      const { port } = hub.app.server.address() as { port: number };
      const base = `http://127.0.0.1:${port}`;
      const search = (i: number) => `${base}/api/catalog/search?q=${encodeURIComponent(queries[i % queries.length]!)}`;
      const health = () => `${base}/api/health`;
      const one = await timedLoad(search, 1, queries.length);
      const oneBase = await timedLoad(health, 1, queries.length);
      const fifty = await timedLoad(search, 50, 40);
      const fiftyBase = await timedLoad(health, 50, 40);
      const result: BenchRow[] = [
        { metric: 'import of schema-snds: time', value: imported.durationMs / 1000, unit: 's', note: `${rows.toLocaleString('en-US')} rows` },
        { metric: 'import of schema-snds: rows/s', value: rows / (imported.durationMs / 1000), unit: 'rows/s', baseline: { label: 'plain INSERT…SELECT', value: rows / (rawMs / 1000) } },
        { metric: 'search, uncached (service), p50', value: median(uncached), unit: 'ms', note: `p95 ${percentile(uncached, 95).toFixed(1)} ms over ${queries.length} distinct queries` },
        { metric: 'search HTTP, 1 client, p50', value: median(one), unit: 'ms', baseline: { label: '/api/health p50', value: median(oneBase) } },
        { metric: 'search HTTP, 1 client, p95', value: percentile(one, 95), unit: 'ms', baseline: { label: '/api/health p95', value: percentile(oneBase, 95) } },
        { metric: 'search HTTP, 50 clients, p50', value: median(fifty), unit: 'ms', baseline: { label: '/api/health p50', value: median(fiftyBase) } },
        { metric: 'search HTTP, 50 clients, p95', value: percentile(fifty, 95), unit: 'ms', baseline: { label: '/api/health p95', value: percentile(fiftyBase, 95) }, note: 'goal ≤ 20 ms' },
      ];
      return result;
    } finally {
      await hub.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
