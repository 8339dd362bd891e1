/**
 * Extraction on a ClickHouse cluster (HDH_ENGINE=clickhouse): the plan is the same as on DuckDB
 * (the file lake's current releases); before running it, each planned release version is loaded
 * into the cluster if it is not there yet (idempotent, routed from the catalogue), then the
 * extraction runs on the shards and the Parquet files land in the draft folder as before.
 */
import path from 'node:path';
import type { Pseudonymiser } from '../platform/crypto/pseudonym.js';
import { ClickhouseEngine, type ClickhouseConfig } from '../platform/engine/clickhouse/engine.js';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import type { AnalyticsEngine } from '../platform/engine/engine.js';
import { ClickhouseLake, type ClusterTable } from '../platform/lake/clickhouse-lake.js';
import type { Lake } from '../platform/lake/lake.js';
import { runClusterExtraction } from './cluster-extractor.js';
import { clusterRouting } from './cluster-routing.js';
import type { ExtractorOutput } from './extractor.js';
import type { ExtractionCatalogue, ExtractionPlan } from './plan.js';

export interface ExtractionCluster {
  engine: ClickhouseEngine;
  lake: ClickhouseLake;
  /** Reads the lake's Parquet files at load time and writes the extract's. */
  duckdb: AnalyticsEngine;
}

/** The cluster of the configuration, its lake loaded from `files` (scratch CSVs under `workDir`). */
export function extractionCluster(config: ClickhouseConfig, files: Lake, workDir: string): ExtractionCluster {
  const engine = new ClickhouseEngine(config);
  const duckdb = new DuckDbEngine();
  return { engine, duckdb, lake: new ClickhouseLake({ engine, files, duckdb, workDir: path.join(workDir, 'clickhouse-load') }) };
}

export interface ClusterRunInput {
  plan: ExtractionPlan;
  files: Lake;
  catalogue: ExtractionCatalogue;
  pseudonymiser: Pseudonymiser;
  optedOut: string[] | null;
  period: { from: string; to: string };
  outDir: string;
  memoryLimit: string;
  threads: number;
}

export async function extractOnCluster(cluster: ExtractionCluster, input: ClusterRunInput): Promise<ExtractorOutput> {
  const tables = new Map<string, ClusterTable>();
  for (const ref of input.plan.releases) {
    const manifest = input.files.readManifest(ref.name, ref.version);
    if (!manifest) throw new Error(`release ${ref.name} v${ref.version} is not in the lake`);
    // Loads the version if the cluster lacks it; a loaded version is returned as is (and made current).
    const loaded = await cluster.lake.load(manifest, await clusterRouting(manifest, input.catalogue));
    for (const t of loaded.tables) if (input.plan.tables.concat(input.plan.closureTables).some((p) => p.name === t.name && p.release.name === ref.name && p.release.version === ref.version)) tables.set(t.name, t);
  }
  const session = await cluster.engine.open({ memoryLimit: input.memoryLimit, threads: input.threads });
  try {
    return await runClusterExtraction({ plan: input.plan, tables, session, duckdb: cluster.duckdb, pseudonymiser: input.pseudonymiser, optedOut: input.optedOut, period: input.period, outDir: input.outDir, memoryLimit: input.memoryLimit, threads: input.threads });
  } finally {
    await session.close();
  }
}
