/**
 * Ingestion — chargement des données des producteurs: a file arrives in chunks (resumable), a
 * load validates it against the catalogue table's schema and pseudonymises its NIRs
 * (pipeline.ts), the producer reads the report, then publishes the load as an immutable lake
 * release (replace the table, or append to its previous release). The raw file is deleted as soon
 * as a load has read it. Every step is audited (LOG-01, LOG-02); key openings too (LOG-09).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline as streamPipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { PseudonymKeyRing } from '../platform/crypto/pseudonym.js';
import type { Db } from '../platform/db/database.js';
import type { AnalyticsEngine } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import { sha256File, type Lake, type ReleaseManifest } from '../platform/lake/lake.js';
import './messages.js';
import { planLoad } from './plan.js';
import { runPipeline, type LoadPolicy, type PipelineInput } from './pipeline.js';
import { assertCanLoad, assertCanReadLoads } from './policy.js';
import * as repo from './repo.js';
import type { LoadRow, UploadRow } from './repo.js';
import { sniffFile } from './sniff.js';

export type LoadMode = 'replace' | 'append';
export interface LoadOptions {
  policy: LoadPolicy;
  mode: LoadMode;
}
export interface LoadProgress {
  phase: 'queued' | 'read' | 'duplicates' | 'pseudonymise' | 'write' | 'done';
  done?: number | undefined;
  total?: number | undefined;
}

export interface IngestDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  catalog: CatalogService;
  keys: PseudonymKeyRing;
  engine: AnalyticsEngine;
  lake: Lake;
  /** `<data dir>/ingest`: uploads in progress and loads' working folders. */
  dir: string;
  chunkBytes?: number;
  memoryLimit?: string;
}

const actorLabel = (actor: AnyActor) => (actor.kind === 'user' ? actor.email : `system:${actor.label}`);
const actorId = (actor: AnyActor) => (actor.kind === 'user' ? actor.userId : null);
export const releaseNameOf = (table: string) => `ingest-${table.toLowerCase().replace(/_/g, '-')}`;

export class IngestService {
  readonly #progress = new Map<string, LoadProgress>();
  readonly #busyUploads = new Set<string>();
  readonly #running = new Map<string, Promise<void>>();
  readonly chunkBytes: number;

  constructor(private readonly deps: IngestDeps) {
    this.chunkBytes = deps.chunkBytes ?? 8 << 20;
    fs.mkdirSync(path.join(deps.dir, 'uploads'), { recursive: true });
    fs.mkdirSync(path.join(deps.dir, 'loads'), { recursive: true });
  }

  /** At start: loads cut by a stop are marked failed (their upload is kept, so they can be rerun). */
  async recoverInterrupted(): Promise<number> {
    return repo.failInterrupted(this.deps.db, this.deps.clock.now());
  }

  // Uploads

  async createUpload(actor: AnyActor, input: { table: string; fileName: string; size: number }): Promise<UploadRow> {
    assertCanLoad(actor, input.table, await this.deps.catalog.tableProducerOrganisations(input.table));
    const now = this.deps.clock.now();
    const row: UploadRow = { id: crypto.randomUUID(), table_name: input.table, file_name: input.fileName, size: input.size, received: 0, chunk_size: this.chunkBytes, status: input.size === 0 ? 'complete' : 'receiving', created_by: actorId(actor), created_by_label: actorLabel(actor), created_at: now, updated_at: now };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertUpload(tx, row);
      await this.deps.audit.record(tx, { actor, action: 'ingest.upload_started', target: { type: 'table', id: input.table }, details: { upload: row.id, fileName: input.fileName, size: input.size } });
    });
    fs.writeFileSync(this.uploadFile(row.id), '');
    return row;
  }

  async upload(actor: AnyActor, id: string): Promise<UploadRow> {
    const row = await repo.findUpload(this.deps.db, id);
    if (!row || !this.ownsOrAdmin(actor, row.created_by)) throw new HdhError('ingest.upload_not_found', 404, { id });
    return row;
  }

  /**
   * Writes one chunk at `offset`, which must be where the file stands (a client resumes by asking
   * the upload's `received` first). A chunk larger than the chunk size or past the declared size is refused.
   */
  async appendChunk(actor: AnyActor, id: string, offset: number, body: Readable): Promise<UploadRow> {
    const row = await this.upload(actor, id);
    if (row.status !== 'receiving') throw new HdhError('ingest.upload_closed', 409, { id, status: row.status });
    if (offset !== row.received) throw new HdhError('ingest.bad_offset', 409, { expected: row.received, offset });
    if (this.#busyUploads.has(id)) throw new HdhError('ingest.upload_busy', 409, { id });
    this.#busyUploads.add(id);
    try {
      const file = this.uploadFile(id);
      fs.truncateSync(file, offset); // a chunk cut by a dropped connection is overwritten, not appended to
      let written = 0;
      const limit = Math.min(row.chunk_size, row.size - offset);
      const out = fs.createWriteStream(file, { flags: 'r+', start: offset });
      await streamPipeline(body, async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          written += chunk.length;
          if (written > limit) throw new HdhError('ingest.chunk_too_large', 413, { limit });
          yield chunk;
        }
      }, out);
      const received = offset + written;
      const status = received === row.size ? 'complete' : 'receiving';
      await repo.updateUpload(this.deps.db, id, { received, status, updated_at: this.deps.clock.now() });
      return { ...row, received, status };
    } catch (err) {
      fs.truncateSync(this.uploadFile(id), offset);
      throw err;
    } finally {
      this.#busyUploads.delete(id);
    }
  }

  // Loads

  /** Starts validating a complete upload in the background; the load's status and progress tell when it is done. */
  async startLoad(actor: AnyActor, uploadId: string, options: LoadOptions): Promise<LoadRow> {
    const upload = await this.upload(actor, uploadId);
    if (upload.status !== 'complete') throw new HdhError('ingest.upload_incomplete', 409, { received: upload.received, size: upload.size });
    const load = await this.beginLoad(actor, upload.table_name, upload.file_name, upload.size, options, upload.id);
    const run = this.runLoad(actor, load, this.uploadFile(upload.id), true).finally(() => this.#running.delete(load.id));
    this.#running.set(load.id, run);
    return load;
  }

  /** Loads a file in place (CLI): waits for the report; the file is the caller's and is left untouched. */
  async loadFile(actor: AnyActor, table: string, file: string, options: LoadOptions, onProgress?: (p: LoadProgress) => void): Promise<LoadRow> {
    const stat = fs.statSync(file);
    const load = await this.beginLoad(actor, table, path.basename(file), stat.size, options, null);
    await this.runLoad(actor, load, file, false, onProgress);
    return (await repo.findLoad(this.deps.db, load.id))!;
  }

  /** Waits for a background load (tests, CLI). */
  async settled(loadId: string): Promise<void> {
    await this.#running.get(loadId);
  }

  progress(loadId: string): LoadProgress | null {
    return this.#progress.get(loadId) ?? null;
  }

  async load(actor: AnyActor, id: string): Promise<LoadRow> {
    assertCanReadLoads(actor);
    const row = await repo.findLoad(this.deps.db, id);
    if (!row) throw new HdhError('ingest.load_not_found', 404, { id });
    await this.assertMayTouchTable(actor, row);
    return row;
  }

  async listLoads(actor: AnyActor, filter: { table?: string | undefined }): Promise<LoadRow[]> {
    assertCanReadLoads(actor);
    const mine = actor.kind === 'user' && !actor.roles.includes('administrator') && !actor.roles.includes('security_officer');
    return repo.listLoads(this.deps.db, { table: filter.table, createdBy: mine ? actorId(actor) ?? undefined : undefined }, 200);
  }

  /** Publishes a validated load as a new release of its table: written aside, fsynced, renamed into place. */
  async publish(actor: AnyActor, id: string): Promise<{ load: LoadRow; release: ReleaseManifest }> {
    const row = await this.load(actor, id);
    assertCanLoad(actor, row.table_name, await this.deps.catalog.tableProducerOrganisations(row.table_name));
    if (row.status !== 'validated') throw new HdhError('ingest.not_publishable', 409, { status: row.status });
    const work = this.loadDir(id);
    const output = path.join(work, 'output.parquet');
    if (!fs.existsSync(output)) throw new HdhError('ingest.output_missing', 409, { id });
    const name = releaseNameOf(row.table_name);
    const draft = this.deps.lake.beginRelease(name);
    let release: ReleaseManifest;
    try {
      const tableDir = draft.tableDir(row.table_name);
      const rowsByFile: Record<string, number> = {};
      if (row.mode === 'append') {
        const previous = this.deps.lake.listReleases(name).at(-1);
        const files = previous ? this.deps.lake.tableFiles(previous, row.table_name) ?? [] : [];
        const table = previous?.tables.find((t) => t.name === row.table_name);
        // Earlier files are hard-linked: the new release is whole on its own, at no copy cost.
        for (const [k, f] of files.entries()) {
          const base = path.basename(f);
          fs.linkSync(f, path.join(tableDir, base));
          rowsByFile[`${row.table_name}/${base}`] = table!.files[k]!.rows;
        }
      }
      const target = `part-${row.started_at.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${id.slice(0, 8)}.parquet`;
      fs.copyFileSync(output, path.join(tableDir, target));
      rowsByFile[`${row.table_name}/${target}`] = row.rows_valid ?? 0;
      release = draft.publish({
        synthetic: false,
        createdAt: this.deps.clock.now(),
        load: { id, table: row.table_name, fileSha256: row.file_sha256 ?? '', catalogueVersion: row.catalogue_version ?? 0, pseudonymKey: row.key_id ? { id: row.key_id, version: row.key_version ?? 0 } : null, mode: row.mode, rowsRejected: row.rows_rejected ?? 0 },
        tables: [{ name: row.table_name, rowsByFile }],
      });
    } catch (err) {
      draft.abort();
      throw err;
    }
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateLoad(tx, id, { status: 'published', release_name: release.name, release_version: release.version, published_at: now });
      await this.deps.audit.record(tx, { actor, action: 'ingest.published', target: { type: 'table', id: row.table_name }, details: { load: id, release: release.name, version: release.version, rows: release.tables[0]!.rows, mode: row.mode } });
    });
    fs.rmSync(output, { force: true });
    return { load: (await repo.findLoad(this.deps.db, id))!, release };
  }

  async discard(actor: AnyActor, id: string): Promise<LoadRow> {
    const row = await this.load(actor, id);
    if (row.status !== 'validated' && row.status !== 'rejected' && row.status !== 'failed') throw new HdhError('ingest.not_discardable', 409, { status: row.status });
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateLoad(tx, id, { status: 'discarded' });
      await this.deps.audit.record(tx, { actor, action: 'ingest.discarded', target: { type: 'table', id: row.table_name }, details: { load: id } });
    });
    fs.rmSync(this.loadDir(id), { recursive: true, force: true });
    return (await repo.findLoad(this.deps.db, id))!;
  }

  /** The rejected rows of a quarantine-policy load (NIRs masked), as Parquet. */
  async quarantineFile(actor: AnyActor, id: string): Promise<string> {
    await this.load(actor, id);
    const file = path.join(this.loadDir(id), 'quarantine.parquet');
    if (!fs.existsSync(file)) throw new HdhError('ingest.no_quarantine', 404, { id });
    return file;
  }

  private async beginLoad(actor: AnyActor, table: string, fileName: string, bytes: number, options: LoadOptions, uploadId: string | null): Promise<LoadRow> {
    assertCanLoad(actor, table, await this.deps.catalog.tableProducerOrganisations(table));
    const row: LoadRow = {
      id: crypto.randomUUID(), upload_id: uploadId, table_name: table, file_name: fileName, file_bytes: bytes, file_sha256: null, policy: options.policy, mode: options.mode, status: 'validating',
      report: null, rows_read: null, rows_valid: null, rows_rejected: null, key_id: null, key_version: null, catalogue_version: null, release_name: null, release_version: null, error: null,
      created_by: actorId(actor), created_by_label: actorLabel(actor), started_at: this.deps.clock.now(), finished_at: null, published_at: null,
    };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertLoad(tx, row);
      await this.deps.audit.record(tx, { actor, action: 'ingest.load_started', target: { type: 'table', id: table }, details: { load: row.id, upload: uploadId, fileName, bytes, policy: options.policy, mode: options.mode } });
    });
    this.#progress.set(row.id, { phase: 'queued' });
    return row;
  }

  private async runLoad(actor: AnyActor, load: LoadRow, file: string, ownsFile: boolean, onProgress?: (p: LoadProgress) => void): Promise<void> {
    const work = this.loadDir(load.id);
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    const progress = (p: LoadProgress) => {
      this.#progress.set(load.id, p);
      onProgress?.(p);
    };
    try {
      const fileSha256 = sha256File(file);
      const schema = await this.deps.catalog.tableSchema(load.table_name);
      const plan = planLoad({ ...schema, name: load.table_name });
      const nomenclatures = new Map<string, Set<string>>();
      for (const c of plan.columns) {
        // Date referentials (IR_DTE_V) list calendar days: the type and range checks say more.
        if (!c.nomenclature || c.kind !== 'value' || c.type === 'date' || c.type === 'datetime') continue;
        const key = c.nomenclature.column ? `${c.nomenclature.name}:${c.nomenclature.column}` : c.nomenclature.name;
        if (nomenclatures.has(key)) continue;
        const values = await this.deps.catalog.nomenclatureValues(c.nomenclature.name, c.nomenclature.column);
        if (values) nomenclatures.set(key, values);
      }
      const catalogueVersion = await this.deps.catalog.currentVersion();
      const now = this.deps.clock.now();
      const used: { key: { id: string; version: number } | null } = { key: null };
      const input: PipelineInput = {
        file, format: sniffFile(file), plan, nomenclatures, engine: this.deps.engine, workDir: work,
        outputFile: path.join(work, 'output.parquet'), quarantineFile: path.join(work, 'quarantine.parquet'), policy: load.policy,
        dateRange: { from: '1900-01-01', to: `${now.getUTCFullYear() + 1}-12-31` },
        memoryLimit: this.deps.memoryLimit ?? '2GB',
        pseudonymiser: async () => {
          const p = await this.deps.keys.open('ingest', actorLabel(actor));
          used.key = p.key;
          return p;
        },
        onProgress: (p) => progress(p),
      };
      const result = await runPipeline(input);
      const status = result.accepted ? 'validated' : 'rejected';
      const r = result.report;
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.updateLoad(tx, load.id, {
          status, report: r, file_sha256: fileSha256, rows_read: r.rowsRead, rows_valid: r.rowsValid, rows_rejected: r.rowsRejected, catalogue_version: catalogueVersion,
          key_id: used.key?.id ?? null, key_version: used.key?.version ?? null, finished_at: this.deps.clock.now(),
        });
        await this.deps.audit.record(tx, { actor, action: `ingest.load_${status}`, target: { type: 'table', id: load.table_name }, outcome: result.accepted ? 'success' : 'failure', details: { load: load.id, rowsRead: r.rowsRead, rowsValid: r.rowsValid, rowsRejected: r.rowsRejected, invalidNirs: r.nir.invalid, distinctNirs: r.nir.distinct, fileErrors: r.fileErrors.length } });
      });
      if (ownsFile) this.consumeUpload(load.upload_id);
    } catch (err) {
      const message = err instanceof HdhError ? err.code : 'internal error';
      await repo.updateLoad(this.deps.db, load.id, { status: 'failed', error: message, finished_at: this.deps.clock.now() });
      await this.deps.audit.recordStandalone({ actor, action: 'ingest.load_failed', target: { type: 'table', id: load.table_name }, outcome: 'failure', details: { load: load.id, error: message } });
      fs.rmSync(path.join(work, 'output.parquet'), { force: true });
      if (!(err instanceof HdhError)) throw err;
    } finally {
      progress({ phase: 'done' });
    }
  }

  /** The raw file holds NIRs: once read, it goes. */
  private consumeUpload(uploadId: string | null): void {
    if (!uploadId) return;
    fs.rmSync(this.uploadFile(uploadId), { force: true });
    void repo.updateUpload(this.deps.db, uploadId, { status: 'consumed', updated_at: this.deps.clock.now() });
  }

  private async assertMayTouchTable(actor: AnyActor, row: LoadRow): Promise<void> {
    if (actor.kind === 'system' || actor.roles.includes('administrator') || actor.roles.includes('security_officer')) return;
    if (row.created_by === actor.userId) return;
    assertCanLoad(actor, row.table_name, await this.deps.catalog.tableProducerOrganisations(row.table_name));
  }

  private ownsOrAdmin(actor: AnyActor, createdBy: string | null): boolean {
    return actor.kind === 'system' || actor.roles.includes('administrator') || createdBy === actor.userId;
  }

  private uploadFile(id: string): string {
    return path.join(this.deps.dir, 'uploads', `${id}.part`);
  }

  private loadDir(id: string): string {
    return path.join(this.deps.dir, 'loads', id);
  }
}
