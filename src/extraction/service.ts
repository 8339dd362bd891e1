/**
 * Extraction — extraction du périmètre autorisé: when a project reaches provisioning (or on a hub
 * staff's request, or when the lake has a new release), exactly its permit is copied from the
 * lake's current releases into the project's own folder, person identifiers re-pseudonymised
 * with the project's key (DP-03, DP-04) and opted-out people removed unless the project serves a
 * public-service mission (PR-01, PR-02). Each run is a new version, written as a draft and renamed
 * into place (atomic like the lake), with its manifest; every step is audited. Runs are queued
 * one at a time: an extraction may use most of the machine's memory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { ProjectService, ProjectStatusChange } from '../projects/service.js';
import { systemActor, type AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { PseudonymKeyRing } from '../platform/crypto/pseudonym.js';
import type { Db } from '../platform/db/database.js';
import type { AnalyticsEngine } from '../platform/engine/engine.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { fsyncDir, writeFileSynced, type Lake } from '../platform/lake/lake.js';
import { CatalogueFacts } from './catalogue-facts.js';
import { extractOnCluster, type ExtractionCluster } from './cluster.js';
import { runExtraction } from './extractor.js';
import type { OptOutList } from './opposition.js';
import { planExtraction, type ExtractionPlan } from './plan.js';
import { assertCanExtract, assertCanSeeExtracts } from './policy.js';
import * as repo from './repo.js';
import type { ExtractRow } from './repo.js';
import type { ExtractManifest, ExtractView, ReleaseRef } from './schema.js';

export type { OptOutList } from './opposition.js';
export { FixedOptOutList, noOppositionRegistry } from './opposition.js';
export type { ExtractManifest, ExtractView } from './schema.js';

registerMessages({
  'extraction.already_running': { fr: 'Une extraction de ce projet est déjà en cours.', en: 'An extraction of this project is already running.' },
  'extraction.no_perimeter': { fr: 'Le projet n’a pas de périmètre.', en: 'The project has no perimeter.' },
  'extraction.table_missing': { fr: 'Aucune version courante du lac ne contient la table {table}.', en: 'No current lake release holds table {table}.' },
  'extraction.table_unknown': { fr: 'Table inconnue du catalogue : {table}', en: 'Table unknown to the catalogue: {table}' },
  'extraction.column_missing': { fr: 'La colonne {column} n’existe pas dans {table}.', en: 'Column {column} does not exist in {table}.' },
  'extraction.anchor_missing': { fr: 'La table {table} se rattache aux personnes par {anchor}, absente du lac.', en: 'Table {table} is tied to people through {anchor}, which the lake does not hold.' },
});

export interface ExtractionServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  lake: Lake;
  engine: AnalyticsEngine;
  /** HDH_ENGINE=clickhouse: the extraction runs on this cluster (the lake's releases are loaded into it). */
  cluster?: ExtractionCluster;
  pseudonyms: PseudonymKeyRing;
  catalog: Pick<CatalogService, 'getTable'>;
  projects: Pick<ProjectService, 'permit' | 'accessFacts'>;
  optOuts: OptOutList;
  /** `<dir>/<project id>/extracts/v<N>/` */
  workspacesDir: string;
  memoryLimit: string;
  threads: number;
  /** Errors of background runs (they are also audited). */
  onError?: (err: unknown) => void;
}

/** What a workspace needs of the delivered extract. */
export interface CurrentExtract {
  version: number;
  dir: string;
  manifest: ExtractManifest;
  keyVersion: number;
  createdAt: string;
}

/** What the deletion certificate lists of each extract version (DP-13). */
export interface DeletedExtract {
  version: number;
  status: string;
  manifestSha256: string | null;
  tables: { name: string; rows: number }[];
  totalRows: number;
}

type Permit = Awaited<ReturnType<ProjectService['permit']>>;

const label = (actor: AnyActor) => (actor.kind === 'user' ? actor.email : `system:${actor.label}`);

export class ExtractionService {
  #queue: Promise<void> = Promise.resolve();
  /** Starts requested by the projects hook, not yet queued (or refused and being audited). */
  readonly #starting = new Set<Promise<unknown>>();

  constructor(private readonly deps: ExtractionServiceDeps) {}

  projectDir(projectId: string): string {
    return path.join(this.deps.workspacesDir, projectId);
  }

  extractDir(projectId: string, version: number): string {
    return path.join(this.projectDir(projectId), 'extracts', `v${version}`);
  }

  /** The projects domain's hook: provisioning starts the extraction of the permit. */
  onProjectStatusChanged(change: ProjectStatusChange): void {
    if (change.to !== 'provisioning') return;
    const actor = systemActor('extraction');
    const started = this.start(actor, change.projectId, { reason: 'project reached provisioning' }).catch(async (err: unknown) => {
      // LOG-03: a delivery that cannot start is traced; hub staff see it and may request it again.
      const code = err instanceof HdhError ? err.code : 'internal';
      await this.deps.audit.recordStandalone({ actor, action: 'extraction.start', target: { type: 'project', id: change.projectId }, projectId: change.projectId, outcome: 'failure', details: { code, ...(err instanceof HdhError ? { params: err.params } : {}) } }).catch(() => undefined);
      this.deps.onError?.(err);
    });
    this.#starting.add(started);
    void started.finally(() => this.#starting.delete(started));
  }

  /** Hub staff (or the system): checks the permit, records the new version, queues the run. Returns at once. */
  async request(actor: AnyActor, projectId: string, options: { reason?: string | undefined; force?: boolean | undefined } = {}): Promise<ExtractView> {
    assertCanExtract(actor);
    return this.start(actor, projectId, { reason: options.reason ?? 'requested by hub staff', force: options.force ?? false });
  }

  /** Waits until every queued extraction has finished (tests, CLI, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.#starting]);
    for (;;) {
      const current = this.#queue;
      await current;
      if (current === this.#queue) return;
    }
  }

  private async start(actor: AnyActor, projectId: string, options: { reason: string; force?: boolean }): Promise<ExtractView> {
    const permit = await this.deps.projects.permit(actor, projectId);
    if (!permit.perimeter || permit.perimeterVersion === null) throw new HdhError('extraction.no_perimeter', 409);
    const plan = await planExtraction(permit.perimeter, this.deps.lake, new CatalogueFacts(this.deps.catalog));
    const key = this.deps.pseudonyms.current();
    const { db } = this.deps;
    const row = await db.transaction().execute(async (tx) => {
      if ((await repo.running(tx, projectId)).length) throw new HdhError('extraction.already_running', 409);
      const latest = await repo.latestReady(tx, projectId);
      if (!options.force && latest && isUpToDate(latest, permit, plan.releases, key)) return latest;
      const now = this.deps.clock.now();
      const row = {
        id: crypto.randomUUID(), project_id: projectId, version: await repo.nextVersion(tx, projectId), status: 'running' as const, perimeter_version: permit.perimeterVersion!,
        key_id: key.id, key_version: key.version, releases: repo.json(plan.releases), opposition_applied: !permit.publicServiceMission, excluded_by_opposition: null, total_rows: null,
        manifest: null, manifest_sha256: null, error: null, reason: options.reason, requested_by: label(actor), created_at: now, finished_at: null, deleted_at: null,
      };
      await repo.insertExtract(tx, row);
      await this.deps.audit.record(tx, { actor, action: 'extraction.start', target: { type: 'extract', id: row.id }, projectId, details: { version: row.version, perimeterVersion: row.perimeter_version, releases: plan.releases, key, reason: options.reason, oppositionApplied: row.opposition_applied } });
      return { ...row, releases: plan.releases };
    });
    if (row.status === 'running') {
      const run = this.#queue.then(() => this.run(actor, permit, plan, row));
      this.#queue = run.catch((err: unknown) => this.deps.onError?.(err));
    }
    return present(row);
  }

  private async run(actor: AnyActor, permit: Permit, plan: ExtractionPlan, row: ExtractRow): Promise<void> {
    const projectId = row.project_id;
    const extractsDir = path.join(this.projectDir(projectId), 'extracts');
    const draft = path.join(extractsDir, `.draft-v${row.version}-${crypto.randomBytes(4).toString('hex')}`);
    fs.mkdirSync(draft, { recursive: true });
    const started = performance.now();
    try {
      // Outside any transaction: both open their own (the key opening is audited, LOG-09).
      const pseudonymiser = await this.deps.pseudonyms.openForProject(projectId, label(actor), { id: row.key_id, version: row.key_version });
      const optedOut = permit.publicServiceMission ? null : await this.deps.optOuts.optedOutPseudonyms(this.deps.pseudonyms.current());
      const spill = path.join(draft, '.spill');
      let out;
      if (this.deps.cluster) {
        out = await extractOnCluster(this.deps.cluster, { plan, files: this.deps.lake, catalogue: new CatalogueFacts(this.deps.catalog), pseudonymiser, optedOut, period: permit.perimeter!.period, outDir: draft, memoryLimit: this.deps.memoryLimit, threads: this.deps.threads });
      } else {
        const session = await this.deps.engine.open({
          // Rows keep the lake's order: a care line and its detail lines stay in step, which makes the
          // analysts' joins several times faster than on a shuffled extract (measured, docs/benchmarks.md).
          memoryLimit: this.deps.memoryLimit, threads: this.deps.threads, tempDirectory: spill,
          allowedDirectories: [...plan.releases.map((r) => this.deps.lake.releaseDir(r.name, r.version)), draft],
        });
        try {
          out = await runExtraction({ plan, session, pseudonymiser, optedOut, period: permit.perimeter!.period, outDir: draft });
        } finally {
          await session.close();
        }
      }
      fs.rmSync(spill, { recursive: true, force: true });
      const perimeter = permit.perimeter!;
      const manifest: ExtractManifest = {
        manifestVersion: 1, projectId, reference: permit.reference, version: row.version, createdAt: this.deps.clock.now().toISOString(), createdBy: row.requested_by,
        perimeterVersion: row.perimeter_version, period: perimeter.period,
        population: { description: perimeter.population.description, inclusion: perimeter.population.inclusion, exclusion: perimeter.population.exclusion, appliedByExtraction: false },
        key: { id: row.key_id, version: row.key_version, derivation: 'HKDF-SHA-256 per project' },
        releases: plan.releases,
        opposition: { applied: !!optedOut, reason: optedOut ? 'research' : 'public_service_mission', source: optedOut ? (this.deps.optOuts.source ?? 'opposition registry') : 'not applied (PR-02)', listSize: optedOut?.length ?? 0, personsExcluded: out.personsExcluded },
        tables: out.tables, totalRows: out.totalRows,
      };
      const text = JSON.stringify(manifest, null, 2) + '\n';
      writeFileSynced(path.join(draft, 'manifest.json'), text);
      fsyncDir(draft);
      fs.renameSync(draft, this.extractDir(projectId, row.version));
      fsyncDir(extractsDir);
      const sha = crypto.createHash('sha256').update(text).digest('hex');
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.finishExtract(tx, row.id, { status: 'ready', manifest: text, manifest_sha256: sha, excluded_by_opposition: out.personsExcluded, total_rows: out.totalRows, finished_at: this.deps.clock.now() });
        await this.deps.audit.record(tx, { actor, action: 'extraction.complete', target: { type: 'extract', id: row.id }, projectId, details: { version: row.version, manifestSha256: sha, tables: out.tables.map((t) => ({ name: t.name, rows: t.rows })), totalRows: out.totalRows, personsExcluded: out.personsExcluded, identifiers: out.identifiers, seconds: Math.round((performance.now() - started) / 100) / 10 } });
      });
    } catch (err) {
      fs.rmSync(draft, { recursive: true, force: true });
      const message = err instanceof Error ? err.message.slice(0, 2000) : String(err);
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.finishExtract(tx, row.id, { status: 'failed', error: message, finished_at: this.deps.clock.now() });
        await this.deps.audit.record(tx, { actor, action: 'extraction.complete', target: { type: 'extract', id: row.id }, projectId, outcome: 'failure', details: { version: row.version, error: message } });
      });
      throw err;
    }
  }

  /** Every version of a project's extract (staff, the lead and the team). */
  async list(actor: AnyActor, projectId: string): Promise<ExtractView[]> {
    assertCanSeeExtracts(actor, await this.deps.projects.accessFacts(projectId));
    const rows = await repo.extractsOf(this.deps.db, projectId);
    await this.deps.audit.recordStandalone({ actor, action: 'extraction.list', target: { type: 'project', id: projectId }, projectId });
    return rows.map(present);
  }

  /** The newest delivered version, for the workspace (its caller checked access). */
  async current(projectId: string): Promise<CurrentExtract | null> {
    const row = await repo.latestReady(this.deps.db, projectId);
    if (!row?.manifest) return null;
    return { version: row.version, dir: this.extractDir(projectId, row.version), manifest: row.manifest, keyVersion: row.key_version, createdAt: row.created_at.toISOString() };
  }

  async isRunning(projectId: string): Promise<boolean> {
    return (await repo.running(this.deps.db, projectId)).length > 0;
  }

  /**
   * Hourly: a project whose lake releases, perimeter or key changed since its last delivery gets a
   * new version (the old ones stay until the project ends).
   */
  async refreshAll(): Promise<ExtractView[]> {
    const started: ExtractView[] = [];
    for (const projectId of await repo.projectsWithReadyExtracts(this.deps.db)) {
      const facts = await this.deps.projects.accessFacts(projectId);
      if (!facts || (facts.status !== 'active' && facts.status !== 'provisioning')) continue;
      try {
        const view = await this.start(systemActor('extraction'), projectId, { reason: 'new lake release or perimeter' });
        if (view.status === 'running') started.push(view);
      } catch (err) {
        if (!(err instanceof HdhError && err.code === 'extraction.already_running')) this.deps.onError?.(err);
      }
    }
    return started;
  }

  /** DP-13: removes every extract version of a project from disk; the rows stay, marked deleted. */
  async deleteAll(projectId: string): Promise<DeletedExtract[]> {
    await this.settled();
    const rows = await repo.extractsOf(this.deps.db, projectId);
    fs.rmSync(path.join(this.projectDir(projectId), 'extracts'), { recursive: true, force: true });
    await repo.markDeleted(this.deps.db, projectId, this.deps.clock.now());
    return rows.filter((r) => r.status !== 'deleted').map((r) => ({ version: r.version, status: r.status, manifestSha256: r.manifest_sha256, tables: r.manifest?.tables.map((t) => ({ name: t.name, rows: t.rows })) ?? [], totalRows: r.total_rows ?? 0 }));
  }
}

function isUpToDate(latest: ExtractRow, permit: Permit, releases: ReleaseRef[], key: { id: string; version: number }): boolean {
  const same = (a: ReleaseRef[], b: ReleaseRef[]) => JSON.stringify(a) === JSON.stringify(b);
  return latest.perimeter_version === permit.perimeterVersion && same(latest.releases, releases) && latest.key_id === key.id && latest.key_version === key.version && latest.opposition_applied === !permit.publicServiceMission;
}

export function present(r: ExtractRow): ExtractView {
  return {
    id: r.id, version: r.version, status: r.status, perimeterVersion: r.perimeter_version, key: { id: r.key_id, version: r.key_version }, releases: r.releases,
    oppositionApplied: r.opposition_applied, excludedByOpposition: r.excluded_by_opposition, totalRows: r.total_rows, manifestSha256: r.manifest_sha256,
    tables: r.manifest?.tables.map((t) => ({ name: t.name, rows: t.rows, columns: t.columns, pseudonymisedColumns: t.pseudonymisedColumns, personFilter: t.personFilter, periodFilter: t.periodFilter })) ?? [],
    error: r.error, reason: r.reason, requestedBy: r.requested_by, createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}
