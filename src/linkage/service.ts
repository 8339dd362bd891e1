/**
 * Record linkage — appariement, with the hub as trusted third party (tiers de confiance):
 * deterministic runs on the person pseudonym of two lake tables, probabilistic runs linking a
 * source without NIR (a registry) to a reference with NIR. Runs are queued and executed one at a
 * time in the background (each may take minutes and both cores); the caller polls the run.
 *
 * Every run is audited (LOG-01) when it starts and when it ends — counts, file names, the key
 * reference; never a trait, a NIR or a pseudonym — and a failure is audited too (LOG-03).
 * Identity files uploaded from the web (LOG-02) and every run's working folder are deleted once
 * the run ends; uploads never used are deleted after a day.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { AuditService } from '../audit/service.js';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { PseudonymKeyRing } from '../platform/crypto/pseudonym.js';
import type { Db, Executor } from '../platform/db/database.js';
import type { AnalyticsEngine } from '../platform/engine/engine.js';
import { HdhError, type Locale } from '../platform/errors.js';
import type { Lake } from '../platform/lake/lake.js';
import { checkLakeTable, runDeterministicLinkage } from './deterministic.js';
import { assertCanLink, assertCanUseLocalFiles } from './policy.js';
import { describe, parametersOf, settingsFrom, type LocalProbabilisticInput, type Plan, type ProbabilisticPlan } from './plans.js';
import { DEFAULT_REFERENCE_COLUMNS, DEFAULT_SOURCE_COLUMNS, type FileFormat, type InputFile } from './prepare.js';
import { auditCounts, engineFailure, presentSummary, presentUpload } from './presenters.js';
import { runProbabilisticLinkage } from './probabilistic.js';
import * as repo from './repo.js';
import type { LakeColumnRef, LinkageReport, RunSummary, RunView, StartRunBody, UploadView } from './schema.js';

export type { LocalProbabilisticInput } from './plans.js';
import './messages.js';

export interface LinkageServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  lake: Lake;
  engine: AnalyticsEngine;
  pseudonyms: Pick<PseudonymKeyRing, 'open'>;
  /** Holds `uploads/` (identity files waiting for a run) and `work/` (one folder per running run). */
  dir: string;
  threads?: number;
  memoryLimit?: string;
  /** Uploads never used are deleted after this long. */
  uploadTtlMs?: number;
}

const UPLOAD_FORMATS: Record<string, FileFormat> = { '.csv': 'csv', '.txt': 'csv', '.parquet': 'parquet' };

export class LinkageService {
  /** Runs execute one after the other: each may use every core. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: LinkageServiceDeps) {}

  private get uploadsDir(): string {
    return path.join(this.deps.dir, 'uploads');
  }

  private get workRoot(): string {
    return path.join(this.deps.dir, 'work');
  }

  /**
   * At start: runs whose hub process is gone (stopped or crashed mid-run) are failed and audited,
   * and their working folders deleted; runs of another live process (the server, while a CLI
   * command opens the same database) are left alone. Uploads never used are deleted after a day.
   */
  async recover(): Promise<void> {
    const now = this.deps.clock.now();
    const live = new Set<string>();
    for (const run of await repo.unfinishedRuns(this.deps.db)) {
      if (run.runner && processAlive(run.runner)) {
        live.add(run.id);
        continue;
      }
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.finishRun(tx, run.id, { status: 'failed', code: 'linkage.interrupted', params: {} }, now);
        await this.deps.audit.record(tx, { actor: null, actorLabel: 'system:linkage', action: 'linkage.run_failed', target: { type: 'linkage_run', id: run.id }, outcome: 'failure', details: { code: 'linkage.interrupted' } });
      });
    }
    for (const entry of safeReaddir(this.workRoot)) if (!live.has(entry)) fs.rmSync(path.join(this.workRoot, entry), { recursive: true, force: true });
    const expired = await repo.uploadsOlderThan(this.deps.db, new Date(now.getTime() - (this.deps.uploadTtlMs ?? 24 * 3_600_000)));
    for (const u of expired) fs.rmSync(this.uploadPath(u.id, u.format), { force: true });
    await repo.markUploadsRemoved(this.deps.db, expired.map((u) => u.id), now);
  }

  private uploadPath(id: string, format: FileFormat): string {
    return path.join(this.uploadsDir, `${id}.${format}`);
  }

  /** Stores an identity file for a coming run (LOG-02: traced with its name and size, never its content). */
  async upload(actor: AnyActor, file: { name: string; content: Readable; isTruncated?: () => boolean }): Promise<UploadView> {
    assertCanLink(actor);
    const name = path.basename(file.name).slice(0, 200) || 'upload';
    const format = UPLOAD_FORMATS[path.extname(name).toLowerCase()];
    if (!format) {
      file.content.resume();
      throw new HdhError('linkage.file_format', 400, { file: name }, [{ location: 'body.file', message: 'expected a .csv or .parquet file' }]);
    }
    const id = crypto.randomUUID();
    fs.mkdirSync(this.uploadsDir, { recursive: true, mode: 0o700 });
    const target = this.uploadPath(id, format);
    try {
      await pipeline(file.content, fs.createWriteStream(target, { mode: 0o600 }));
      if (file.isTruncated?.()) throw new HdhError('request.body_too_large', 413, { limit: 'upload' });
      const bytes = fs.statSync(target).size;
      if (bytes === 0) throw new HdhError('linkage.upload_empty', 400, {}, [{ location: 'body.file', message: 'empty file' }]);
      const row: repo.UploadRow = { id, name, format, bytes, uploaded_by_id: actor.kind === 'user' ? actor.userId : null, uploaded_by_label: labelOf(actor), uploaded_at: this.deps.clock.now(), used_by_run: null, removed_at: null };
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.insertUpload(tx, row);
        await this.deps.audit.record(tx, { actor, action: 'linkage.file_uploaded', target: { type: 'linkage_upload', id }, details: { name, format, bytes } });
      });
      return presentUpload(row);
    } catch (err) {
      fs.rmSync(target, { force: true });
      throw err;
    }
  }

  async listUploads(actor: AnyActor): Promise<UploadView[]> {
    assertCanLink(actor);
    return (await repo.listAvailableUploads(this.deps.db)).map(presentUpload);
  }

  /** Lake releases and their tables, to pick the two sides of a deterministic run. */
  lakeTables(actor: AnyActor): { name: string; version: number; synthetic: boolean; tables: { name: string; rows: number }[] }[] {
    assertCanLink(actor);
    return this.deps.lake.listReleases().map((m) => ({ name: m.name, version: m.version, synthetic: m.synthetic, tables: m.tables.map((t) => ({ name: t.name, rows: t.rows })) }));
  }

  /** Queues a run from the API (probabilistic inputs are uploads, claimed by the run). Returns the queued run. */
  async start(actor: AnyActor, body: StartRunBody, locale: Locale = 'en'): Promise<RunView> {
    assertCanLink(actor);
    // A side naming no release or table is refused now rather than failing in the queue.
    if (body.kind === 'deterministic') for (const [side, ref] of [['left', body.left], ['right', body.right]] as const) checkLakeTable(this.deps.lake, side, ref);
    const id = crypto.randomUUID();
    const plan = await this.deps.db.transaction().execute(async (tx) => {
      const planned: Plan = body.kind === 'deterministic' ? { kind: 'deterministic', left: body.left, right: body.right } : await this.planFromUploads(tx, body);
      await this.recordQueued(tx, actor, id, planned);
      if (planned.kind === 'probabilistic') {
        for (const [side, u] of [['reference', planned.uploads[0]!], ['source', planned.uploads[1]!]] as const) {
          // A concurrent start may have claimed it since we looked: then this one fails whole.
          if (!(await repo.claimUpload(tx, u.id, id))) throw new HdhError('linkage.upload_not_found', 404, { id: u.id }, [{ location: `body.${side}.upload`, message: 'already used' }]);
        }
      }
      return planned;
    });
    void this.schedule(actor, id, plan).catch(() => undefined);
    return this.fetch(id, locale);
  }

  private async planFromUploads(tx: Executor, body: Extract<StartRunBody, { kind: 'probabilistic' }>): Promise<ProbabilisticPlan> {
    const file = async (side: 'reference' | 'source', uploadId: string): Promise<InputFile & { id: string }> => {
      const upload = await repo.availableUpload(tx, uploadId);
      if (!upload || (side === 'source' && uploadId === body.reference.upload)) {
        throw new HdhError('linkage.upload_not_found', 404, { id: uploadId }, [{ location: `body.${side}.upload`, message: 'unknown or already used upload' }]);
      }
      return { id: upload.id, path: this.uploadPath(upload.id, upload.format), format: upload.format, label: upload.name };
    };
    const reference = await file('reference', body.reference.upload);
    const source = await file('source', body.source.upload);
    return {
      kind: 'probabilistic',
      output: body.output,
      reference,
      referenceColumns: { ...DEFAULT_REFERENCE_COLUMNS, ...body.reference.columns },
      source,
      sourceColumns: { ...DEFAULT_SOURCE_COLUMNS, ...body.source.columns },
      settings: settingsFrom(body.settings),
      uploads: [reference, source].map((f) => ({ id: f.id, path: f.path })),
    };
  }

  /** Command line: a probabilistic run on local files; resolves when the run has ended. */
  async runLocal(actor: AnyActor, input: LocalProbabilisticInput, onPhase?: (phase: string) => void): Promise<RunView> {
    assertCanLink(actor);
    assertCanUseLocalFiles(actor);
    const file = (side: 'reference' | 'source', p: string): InputFile => {
      const abs = path.resolve(p);
      if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) throw new HdhError('linkage.file_not_found', 400, { file: p }, [{ location: `${side}.path`, message: 'no such file' }]);
      const format = UPLOAD_FORMATS[path.extname(abs).toLowerCase()];
      if (!format) throw new HdhError('linkage.file_format', 400, { file: p }, [{ location: `${side}.path`, message: 'expected a .csv or .parquet file' }]);
      return { path: abs, format, label: path.basename(abs) };
    };
    const plan: ProbabilisticPlan = {
      kind: 'probabilistic',
      output: input.output,
      reference: file('reference', input.reference.path),
      referenceColumns: { ...DEFAULT_REFERENCE_COLUMNS, ...input.reference.columns },
      source: file('source', input.source.path),
      sourceColumns: { ...DEFAULT_SOURCE_COLUMNS, ...input.source.columns },
      settings: settingsFrom(input.settings),
      uploads: [],
    };
    const id = crypto.randomUUID();
    await this.deps.db.transaction().execute((tx) => this.recordQueued(tx, actor, id, plan));
    await this.schedule(actor, id, plan, onPhase);
    return this.fetch(id);
  }

  /** Command line and tests: a deterministic run, awaited. */
  async runDeterministic(actor: AnyActor, left: LakeColumnRef, right: LakeColumnRef): Promise<RunView> {
    assertCanLink(actor);
    const id = crypto.randomUUID();
    const plan: Plan = { kind: 'deterministic', left, right };
    await this.deps.db.transaction().execute((tx) => this.recordQueued(tx, actor, id, plan));
    await this.schedule(actor, id, plan);
    return this.fetch(id);
  }

  async list(actor: AnyActor, locale: Locale = 'en', limit = 100): Promise<RunSummary[]> {
    assertCanLink(actor);
    return (await repo.listRuns(this.deps.db, Math.min(Math.max(limit, 1), 500))).map((r) => presentSummary(r, locale));
  }

  async get(actor: AnyActor, id: string, locale: Locale = 'en'): Promise<RunView> {
    assertCanLink(actor);
    return this.fetch(id, locale);
  }

  /** Resolves when every queued run has ended (tests, shutdown). */
  async idle(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  private async fetch(id: string, locale: Locale = 'en'): Promise<RunView> {
    const row = await repo.getRun(this.deps.db, id);
    if (!row) throw new HdhError('linkage.run_not_found', 404, { id });
    return { ...presentSummary(row, locale), parameters: row.parameters, report: row.report };
  }

  /** The queued run and its audit event, in the caller's transaction. */
  private async recordQueued(tx: Executor, actor: AnyActor, id: string, plan: Plan): Promise<void> {
    const description = describe(plan);
    await repo.insertRun(tx, {
      id,
      kind: plan.kind,
      status: 'queued',
      description,
      started_by_id: actor.kind === 'user' ? actor.userId : null,
      started_by_label: labelOf(actor),
      runner: RUNNER,
      parameters: parametersOf(plan),
      links: null,
      match_rate: null,
      release_name: null,
      release_version: null,
      error_code: null,
      created_at: this.deps.clock.now(),
      started_at: null,
      finished_at: null,
    });
    await this.deps.audit.record(tx, { actor, action: 'linkage.run_queued', target: { type: 'linkage_run', id }, details: { kind: plan.kind, description } });
  }

  /** Chains the run after the runs before it; resolves when it has ended (successfully or not). */
  private schedule(actor: AnyActor, id: string, plan: Plan, onPhase?: (phase: string) => void): Promise<void> {
    const done = this.queue.then(() => this.execute(actor, id, plan, onPhase));
    this.queue = done.catch(() => undefined);
    return done;
  }

  private async execute(actor: AnyActor, id: string, plan: Plan, onPhase?: (phase: string) => void): Promise<void> {
    const workDir = path.join(this.workRoot, id);
    await repo.markRunning(this.deps.db, id, this.deps.clock.now());
    try {
      fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
      const report = await this.compute(actor, id, plan, workDir, onPhase);
      const release = report.kind === 'probabilistic' ? { name: report.release.name, version: report.release.version } : null;
      const links = report.kind === 'probabilistic' ? report.links : report.left.matchedPersons;
      const matchRate = report.kind === 'probabilistic' ? report.matchRate : report.left.matchRate;
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.finishRun(tx, id, { status: 'succeeded', report, links, matchRate, release }, this.deps.clock.now());
        await this.deps.audit.record(tx, { actor, action: 'linkage.run_completed', target: { type: 'linkage_run', id }, details: auditCounts(report) });
      });
    } catch (err) {
      const failure = err instanceof HdhError ? { code: err.code, params: err.params } : engineFailure(err);
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.finishRun(tx, id, { status: 'failed', ...failure }, this.deps.clock.now());
        await this.deps.audit.record(tx, { actor, action: 'linkage.run_failed', target: { type: 'linkage_run', id }, outcome: 'failure', details: { kind: plan.kind, code: failure.code } });
      });
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
      if (plan.kind === 'probabilistic' && plan.uploads.length) {
        for (const u of plan.uploads) fs.rmSync(u.path, { force: true });
        await repo.markUploadsRemoved(this.deps.db, plan.uploads.map((u) => u.id), this.deps.clock.now());
      }
    }
  }

  private async compute(actor: AnyActor, id: string, plan: Plan, workDir: string, onPhase?: (phase: string) => void): Promise<LinkageReport> {
    const { engine, lake } = this.deps;
    if (plan.kind === 'deterministic') return runDeterministicLinkage({ engine, lake }, plan.left, plan.right);
    // Opening the key is itself traced by the key ring (LOG-09).
    const pseudonymiser = await this.deps.pseudonyms.open('linkage', labelOf(actor));
    return runProbabilisticLinkage(
      { engine, lake, now: () => this.deps.clock.now() },
      {
        reference: plan.reference,
        referenceColumns: plan.referenceColumns,
        source: plan.source,
        sourceColumns: plan.sourceColumns,
        settings: plan.settings,
        workDir,
        outputName: plan.output,
        pseudonymise: (values) => pseudonymiser.pseudonymise(values),
        key: pseudonymiser.key,
        threads: this.deps.threads ?? Math.min(4, os.availableParallelism()),
        memoryLimit: this.deps.memoryLimit ?? '4GB',
        provenance: { run: id },
      },
      onPhase,
    );
  }
}

/** This process, as recorded on the runs it executes. */
const RUNNER = `${os.hostname()}:${process.pid}`;

/** Whether the process that recorded `runner` still runs (only knowable on this host). */
function processAlive(runner: string): boolean {
  const [host, pid] = runner.split(':');
  if (host !== os.hostname()) return true;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function labelOf(actor: AnyActor): string {
  return actor.kind === 'user' ? actor.email : `system:${actor.label}`;
}

