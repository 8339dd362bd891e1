/**
 * Synthetic data — données synthétiques: generate a synthetic SNDS release into the lake, list
 * the releases, show a table's first rows, stream a table as CSV or Parquet. Reads are public
 * (policy.ts); each read runs in a DuckDB session sandboxed to the release's folder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AuditService } from '../audit/service.js';
import { systemActor, type AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { AnalyticsEngine, EngineSession } from '../platform/engine/engine.js';
import { quoteLiteral } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import type { Lake, ReleaseManifest } from '../platform/lake/lake.js';
import { FrictionlessCatalogue } from './frictionless.js';
import { generateSndsRelease, SNDS_RELEASE_NAME, type GenerationProgress, type GenerationResult, type SyntheticParams } from './generator.js';
import { generateGenericRelease, type GenericParams } from './generic.js';
import { assertCanGenerate, assertPublicRelease } from './policy.js';
import type { ReleaseView } from './schema.js';

export interface SyntheticServiceDeps {
  lake: Lake;
  engine: AnalyticsEngine;
  /** Frictionless roots (demo catalogue first); read lazily. */
  catalogueRoots: string[];
  clock: Clock;
  audit?: AuditService;
  /** Told of each published release (the composition root registers it in the catalogue). */
  onPublished?: (release: PublishedRelease) => Promise<unknown>;
}

export interface PublishedRelease {
  name: string;
  version: number;
  synthetic: boolean;
  tables: { name: string; rows: number }[];
}

export interface TableDownload {
  contentType: string;
  fileName: string;
  body: Readable;
}

export class SyntheticService {
  private catalogue: FrictionlessCatalogue | null = null;
  constructor(private readonly deps: SyntheticServiceDeps) {}

  private cat(): FrictionlessCatalogue {
    this.catalogue ??= new FrictionlessCatalogue(this.deps.catalogueRoots);
    return this.catalogue;
  }

  /** Generates a release; an administrator from the web, an operator from the CLI. Audited. */
  async generate(actor: AnyActor, params: SyntheticParams, onProgress?: (p: GenerationProgress) => void): Promise<GenerationResult> {
    assertCanGenerate(actor);
    const result = await generateSndsRelease({ lake: this.deps.lake, engine: this.deps.engine, catalogue: this.cat(), now: () => this.deps.clock.now() }, params, onProgress);
    await this.deps.audit?.recordStandalone({
      actor,
      action: 'synthetic.release_generated',
      target: { type: 'release', id: `${result.manifest.name}/${result.manifest.version}` },
      details: { parameters: result.manifest.generator?.parameters ?? {}, rows: Object.values(result.rows).reduce((s, n) => s + n, 0) },
    });
    await this.announce(result);
    return result;
  }

  /** Schema-valid data for any tables of the catalogue (and their foreign-key parents). Audited. */
  async generateGeneric(actor: AnyActor, params: GenericParams): Promise<GenerationResult> {
    assertCanGenerate(actor);
    const result = await generateGenericRelease({ lake: this.deps.lake, engine: this.deps.engine, catalogue: this.cat(), now: () => this.deps.clock.now() }, params);
    await this.deps.audit?.recordStandalone({ actor, action: 'synthetic.release_generated', target: { type: 'release', id: `${result.manifest.name}/${result.manifest.version}` }, details: { parameters: { ...params } } });
    await this.announce(result);
    return result;
  }

  private async announce(result: GenerationResult): Promise<void> {
    const m = result.manifest;
    await this.deps.onPublished?.({ name: m.name, version: m.version, synthetic: m.synthetic, tables: m.tables.map((t) => ({ name: t.name, rows: t.rows })) });
  }

  listReleases(): ReleaseView[] {
    return this.deps.lake.listReleases().filter((m) => m.synthetic).map(present);
  }

  getRelease(name: string, version: number): ReleaseView {
    return present(assertPublicRelease(this.deps.lake.readManifest(name, version), name, version));
  }

  /** The first rows of a table (50 at most), as JSON-safe values. */
  async sample(name: string, version: number, table: string, limit = 50): Promise<{ table: string; columns: string[]; rows: Record<string, unknown>[] }> {
    const { files, dir } = this.tableFiles(name, version, table);
    return this.withSession(dir, async (s) => {
      const rows = await s.query(`SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}]) LIMIT ${Math.min(Math.max(1, limit), 50)}`);
      const columns = (await s.query(`SELECT name FROM parquet_schema(${quoteLiteral(files[0]!)}) WHERE name <> 'duckdb_schema'`)).map((r) => String(r.name));
      return { table, columns, rows };
    });
  }

  /** Streams a whole table as CSV (`;`, UTF-8, header) or as one Parquet file. */
  async download(name: string, version: number, table: string, format: 'csv' | 'parquet'): Promise<TableDownload> {
    const { files, dir } = this.tableFiles(name, version, table);
    const base = `${table}-${name}-v${version}`;
    if (format === 'parquet') {
      if (files.length === 1) return { contentType: 'application/vnd.apache.parquet', fileName: `${base}.parquet`, body: fs.createReadStream(files[0]!) };
      // Several chunk files: DuckDB concatenates them into one temporary file, removed once sent.
      const tmp = path.join(this.deps.lake.root, '.tmp', `download-${crypto.randomBytes(6).toString('hex')}.parquet`);
      fs.mkdirSync(path.dirname(tmp), { recursive: true });
      await this.withSession(dir, (s) => s.run(`COPY (SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}])) TO ${quoteLiteral(tmp)} (FORMAT parquet, COMPRESSION zstd)`), [path.dirname(tmp)]);
      const body = fs.createReadStream(tmp);
      body.on('close', () => fs.rmSync(tmp, { force: true }));
      return { contentType: 'application/vnd.apache.parquet', fileName: `${base}.parquet`, body };
    }
    const engine = this.deps.engine;
    const sql = `SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`;
    async function* rows() {
      const session = await engine.open({ threads: 1, memoryLimit: '256MB', allowedDirectories: [dir] });
      try {
        yield* session.stream(sql);
      } finally {
        await session.close();
      }
    }
    const csv = stringify({ header: true, delimiter: ';', cast: { boolean: (b) => (b ? 'true' : 'false') } });
    const source = Readable.from(rows());
    source.on('data', (batch: Record<string, unknown>[]) => {
      for (const r of batch) if (!csv.write(r)) source.pause();
    });
    csv.on('drain', () => source.resume());
    source.on('end', () => csv.end());
    source.on('error', (err) => csv.destroy(err));
    return { contentType: 'text/csv; charset=utf-8', fileName: `${base}.csv`, body: csv };
  }

  private tableFiles(name: string, version: number, table: string): { files: string[]; dir: string } {
    const manifest = assertPublicRelease(this.deps.lake.readManifest(name, version), name, version);
    const files = this.deps.lake.tableFiles(manifest, table);
    if (!files) throw new HdhError('synthetic.table_not_found', 404, { name, version, table });
    return { files, dir: this.deps.lake.releaseDir(name, version) };
  }

  private async withSession<T>(dir: string, fn: (s: EngineSession) => Promise<T>, extraDirs: string[] = []): Promise<T> {
    const s = await this.deps.engine.open({ threads: 1, memoryLimit: '256MB', allowedDirectories: [dir, ...extraDirs] });
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  }
}

function present(m: ReleaseManifest): ReleaseView {
  return {
    name: m.name,
    version: m.version,
    synthetic: m.synthetic,
    createdAt: m.createdAt,
    generator: m.generator ?? null,
    tables: m.tables.map((t) => ({ name: t.name, rows: t.rows, product: t.product ?? null, schema: t.schema ?? null, bytes: t.files.reduce((s, f) => s + f.bytes, 0) })),
  };
}

/** Parameters of the demo population generated on a demo hub's first start. */
export const DEMO_SYNTHETIC: SyntheticParams = { persons: 3000, fromYear: 2019, toYear: 2021, seed: 2019, chunkSize: 3000, workers: 1 };

/**
 * On a demo hub's first start, a small synthetic population (a few thousand people, about two
 * seconds) so every page and program has data. Returns the new release, or null when one exists.
 */
export async function ensureDemoSyntheticRelease(service: SyntheticService, params: SyntheticParams = DEMO_SYNTHETIC): Promise<ReleaseView | null> {
  if (service.listReleases().some((r) => r.name === SNDS_RELEASE_NAME)) return null;
  const result = await service.generate(systemActor('demo'), params);
  return service.getRelease(result.manifest.name, result.manifest.version);
}
