/**
 * Project workspaces — espaces de travail cloisonnés: members of an active project query its
 * extract with SQL in a sandboxed engine process (sessions.ts), behind the statement check
 * (sql-guard.ts). Every query is audited with who, when, the SQL text and its hash, rows
 * returned, duration and outcome (LOG-01, LOG-03); only a capped number of rows ever leaves
 * (displayed, never downloadable). Programs, jobs, personal tokens and the closure at the
 * project's end (DP-13) live beside this file and share its access check.
 */
import crypto from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { CharterService } from '../charters/service.js';
import type { ExtractionService } from '../extraction/service.js';
import type { IdentityService } from '../identity/service.js';
import { parisDay, type ProjectAccess, type ProjectService, type ProjectStatusChange } from '../projects/service.js';
import type { Actor, AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { quoteIdent } from '../platform/engine/engine.js';
import { SandboxError, type ResultColumn } from '../platform/engine/sandbox.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { WorkspaceClosure } from './closure.js';
import { WorkspaceJobs } from './jobs.js';
import { assertWorkspaceAccess } from './policy.js';
import { WorkspacePrograms } from './programs.js';
import * as repo from './repo.js';
import type { QueryRow } from './repo.js';
import type { QueryView } from './schema.js';
import { WorkspaceSessions, type Execution, type WorkspaceLimits, type WorkspaceSession } from './sessions.js';
import { ApiTokens } from './tokens.js';

export type { WorkspaceLimits } from './sessions.js';

registerMessages({
  'workspace.not_provisioned': { fr: 'Les données du projet ne sont pas encore extraites.', en: 'The project’s data has not been extracted yet.' },
  'workspace.query_not_found': { fr: 'Requête introuvable.', en: 'Query not found.' },
  'workspace.result_expired': { fr: 'Le résultat de cette requête n’est plus en mémoire : relancez-la.', en: 'This query’s result is no longer in memory: run it again.' },
  'workspace.busy': { fr: 'Deux requêtes sont déjà en cours : attendez ou annulez-en une.', en: 'Two queries are already running: wait or cancel one.' },
  'workspace.query_timeout': { fr: 'La requête a dépassé la durée maximale et a été arrêtée.', en: 'The query exceeded the time limit and was stopped.' },
  'workspace.query_cancelled': { fr: 'Requête annulée.', en: 'Query cancelled.' },
  'workspace.engine_crashed': { fr: 'Le moteur de la session s’est arrêté ; une nouvelle session sera ouverte.', en: 'The session’s engine stopped; a new session will be opened.' },
  'workspace.engine_stopped': { fr: 'Le hub s’est arrêté pendant la requête.', en: 'The hub stopped while the query ran.' },
  'workspace.query_out_of_memory': { fr: 'La requête a dépassé la mémoire de la session.', en: 'The query exceeded the session’s memory.' },
  'workspace.query_failed': { fr: 'La requête a échoué : {message}', en: 'The query failed: {message}' },
  'workspace.statement_mismatch': { fr: 'L’instruction exécutée ne correspond pas à celle contrôlée.', en: 'The statement that ran does not match the one checked.' },
  'workspace.result_not_ready': { fr: 'Cette requête n’a pas de résultat (statut {status}).', en: 'This query has no result (status {status}).' },
  'workspace.table_not_found': { fr: 'Table ou vue introuvable dans votre espace : {table}.', en: 'No such table or view in your workspace: {table}.' },
});

export interface WorkspaceServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  projects: Pick<ProjectService, 'accessFacts'>;
  extraction: Pick<ExtractionService, 'current' | 'isRunning' | 'deleteAll'>;
  catalog: Pick<CatalogService, 'getTable' | 'programs'>;
  identity: Pick<IdentityService, 'getUser'>;
  charters: Pick<CharterService, 'hasAcceptedCurrent'>;
  /** `<dir>/<project id>/scratch/<user id>/` beside the extraction's `extracts/`. */
  workspacesDir: string;
  limits: WorkspaceLimits;
  tokenMaxDays: number;
  onError?: (err: unknown) => void;
}

const FIRST_PAGE = 100;
const WAIT_MS = 1500;
const MAX_INTERACTIVE = 2;

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const terminal = new Set(['closed', 'archived', 'withdrawn', 'refused']);

export class WorkspaceService {
  readonly sessions: WorkspaceSessions;
  readonly programs: WorkspacePrograms;
  readonly jobs: WorkspaceJobs;
  readonly tokens: ApiTokens;
  readonly closure: WorkspaceClosure;
  /** Idle engine processes are stopped every minute (not only by the hourly job): they hold memory. */
  readonly #reaper: NodeJS.Timeout;

  constructor(private readonly deps: WorkspaceServiceDeps) {
    this.sessions = new WorkspaceSessions({ workspacesDir: deps.workspacesDir, limits: deps.limits });
    this.#reaper = setInterval(() => void this.sessions.closeIdle().catch((err: unknown) => deps.onError?.(err)), 60_000);
    this.#reaper.unref();
    const access = (actor: AnyActor, projectId: string) => this.access(actor, projectId);
    this.programs = new WorkspacePrograms({ db: deps.db, clock: deps.clock, audit: deps.audit, catalogue: deps.catalog.programs, access });
    this.jobs = new WorkspaceJobs({ db: deps.db, clock: deps.clock, audit: deps.audit, limits: deps.limits, access, workspace: this, onError: deps.onError });
    this.tokens = new ApiTokens({ db: deps.db, clock: deps.clock, audit: deps.audit, identity: deps.identity, charters: deps.charters, access, maxDays: deps.tokenMaxDays, today: () => this.today() });
    this.closure = new WorkspaceClosure({ db: deps.db, clock: deps.clock, audit: deps.audit, projects: deps.projects, extraction: deps.extraction, sessions: this.sessions, workspacesDir: deps.workspacesDir, revokeTokens: (tx, projectId, at) => repo.revokeProjectTokens(tx, projectId, at) });
  }

  private today(): string {
    return parisDay(this.deps.clock.now());
  }

  /** The access check every workspace operation starts with (policy.ts). */
  async access(actor: AnyActor, projectId: string, statuses?: readonly string[]): Promise<ProjectAccess> {
    const project = await this.deps.projects.accessFacts(projectId);
    try {
      assertWorkspaceAccess(actor, project, this.today(), statuses);
    } catch (err) {
      // LOG-03: a refused entry is traced (not the 404 of a project that does not exist).
      if (err instanceof HdhError && project) await this.deps.audit.recordStandalone({ actor, action: 'workspace.access', target: { type: 'project', id: projectId }, projectId, outcome: 'denied', details: { code: err.code } });
      throw err;
    }
    return project;
  }

  /** The member's session on the current extract; 409 until an extract is delivered. */
  async session(actor: Actor, projectId: string): Promise<WorkspaceSession> {
    const extract = await this.deps.extraction.current(projectId);
    if (!extract) throw new HdhError('workspace.not_provisioned', 409);
    const { session, started } = await this.sessions.open(projectId, actor.userId, extract);
    if (started) await this.deps.audit.recordStandalone({ actor, action: 'workspace.session_open', target: { type: 'project', id: projectId }, projectId, details: { extractVersion: extract.version, pid: session.sandbox.pid ?? null } });
    return session;
  }

  async status(actor: AnyActor, projectId: string) {
    const project = await this.access(actor, projectId, ['provisioning', 'active', ...terminal]);
    const extract = await this.deps.extraction.current(projectId);
    const running = await this.deps.extraction.isRunning(projectId);
    const closed = terminal.has(project.status) || !!(await repo.findDeletion(this.deps.db, projectId));
    const status: 'not_provisioned' | 'extracting' | 'open' | 'closed' = closed ? 'closed' : extract && project.status === 'active' ? 'open' : running || project.status === 'provisioning' ? 'extracting' : 'not_provisioned';
    const labels = extract && !closed ? await this.labels(extract.manifest.tables.map((t) => t.name)) : new Map<string, { title: string; columns: Map<string, { label: string; nomenclature: string | null }> }>();
    const l = this.deps.limits;
    return {
      projectId,
      status,
      extract: extract && !closed
        ? {
            version: extract.version, createdAt: extract.createdAt, keyVersion: extract.keyVersion, excludedByOpposition: extract.manifest.opposition.personsExcluded, oppositionApplied: extract.manifest.opposition.applied,
            tables: extract.manifest.tables.map((t) => ({ name: t.name, rows: t.rows, columns: t.columns.map((c) => ({ ...c, ...(labels.get(t.name)?.columns.get(c.name)?.label ? { label: labels.get(t.name)!.columns.get(c.name)!.label } : {}) })) })),
          }
        : null,
      limits: { displayRows: l.displayRows, timeoutMs: l.queryTimeoutMs, memoryMb: l.memoryMb, maxSqlChars: l.maxSqlChars },
    };
  }

  private async labels(tables: string[]) {
    const out = new Map<string, { title: string; columns: Map<string, { label: string; nomenclature: string | null }> }>();
    for (const name of tables) {
      try {
        const t = await this.deps.catalog.getTable(name);
        out.set(name, { title: t.title, columns: new Map(t.variables.map((v) => [v.name, { label: v.label, nomenclature: v.nomenclature }])) });
      } catch {
        // A table the catalogue does not describe still shows, without labels.
      }
    }
    return out;
  }

  /** The perimeter's dictionary (labels and nomenclatures from the catalogue) and the member's own scratch objects. */
  async dictionary(actor: Actor, projectId: string) {
    await this.access(actor, projectId);
    const session = await this.session(actor, projectId);
    const objects = await session.objects();
    const extract = await this.deps.extraction.current(projectId);
    const labels = await this.labels(extract?.manifest.tables.map((t) => t.name) ?? []);
    const fromExtract = (extract?.manifest.tables ?? []).map((t) => ({
      table: t.name, label: labels.get(t.name)?.title ?? '', source: 'extract' as const, kind: 'view' as const,
      columns: t.columns.map((c) => {
        const known = labels.get(t.name)?.columns.get(c.name);
        return { name: c.name, type: c.type, label: known?.label ?? '', ...(known?.nomenclature ? { nomenclature: known.nomenclature } : {}) };
      }),
    }));
    const scratch = objects.filter((o) => !o.tagged).map((o) => ({ table: o.name, label: '', source: 'scratch' as const, kind: o.kind, columns: o.columns.map((c) => ({ ...c, label: '' })) }));
    return [...fromExtract, ...scratch];
  }

  /** Runs one statement for the caller; answers when it ends or after ~1.5 s (then poll). */
  async startQuery(actor: Actor, projectId: string, sql: string): Promise<QueryView> {
    await this.access(actor, projectId);
    const session = await this.session(actor, projectId);
    if ([...session.executions.values()].filter((e) => e.status === 'running' && e.source === 'interactive').length >= MAX_INTERACTIVE) throw new HdhError('workspace.busy', 429);
    const e = await this.execute(actor, projectId, session, sql, { source: 'interactive', jobId: null, timeoutMs: this.deps.limits.queryTimeoutMs });
    await Promise.race([e.done, new Promise((r) => setTimeout(r, WAIT_MS).unref())]);
    return this.present(e, session);
  }

  /**
   * Checks, runs and audits one statement in a session (interactive or a job's). A refused
   * statement is audited as denied and thrown; otherwise the returned execution's `done`
   * settles after its history row and audit event are written.
   */
  async execute(actor: Actor, projectId: string, session: WorkspaceSession, sql: string, options: { source: 'interactive' | 'job'; jobId: string | null; timeoutMs: number }): Promise<Execution> {
    const id = crypto.randomUUID();
    const startedAt = this.deps.clock.now();
    let classified;
    try {
      classified = await session.check(sql, this.deps.limits.maxSqlChars);
    } catch (err) {
      if (err instanceof HdhError) await this.persist(actor, projectId, { id, sql, source: options.source, startedAt, status: 'failed', handle: null, done: Promise.resolve(), error: { code: err.code, message: err.message }, durationMs: 0 }, options.jobId, err.status === 403 ? 'denied' : 'failure', null);
      throw err;
    }
    const t0 = performance.now();
    const running = session.run(sql, { maxRows: this.deps.limits.displayRows, timeoutMs: options.timeoutMs }, classified.kind !== 'select');
    const e: Execution = { id, sql, source: options.source, startedAt, status: 'running', handle: running.handle, done: Promise.resolve() };
    e.done = running.result.then(
      (result) => {
        e.durationMs = Math.round(performance.now() - t0);
        if (result.statementType !== classified.expectedType) {
          e.status = 'failed';
          e.error = { code: 'workspace.statement_mismatch', message: `${result.statementType} ran where ${classified.expectedType} was checked` };
          return this.persist(actor, projectId, e, options.jobId, 'denied', classified.kind);
        }
        e.result = result;
        e.status = 'done';
        return this.persist(actor, projectId, e, options.jobId, 'success', classified.kind);
      },
      (err: unknown) => {
        e.durationMs = Math.round(performance.now() - t0);
        e.error = this.engineError(err);
        e.status = e.cancelled && e.error.code === 'workspace.query_cancelled' ? 'cancelled' : 'failed';
        return this.persist(actor, projectId, e, options.jobId, 'failure', classified.kind);
      },
    ).catch((err: unknown) => this.deps.onError?.(err));
    session.remember(e);
    return e;
  }

  private engineError(err: unknown): { code: string; message: string } {
    if (err instanceof SandboxError) {
      if (err.reason === 'timeout') return { code: 'workspace.query_timeout', message: 'time limit reached' };
      if (err.reason === 'interrupted') return { code: 'workspace.query_cancelled', message: 'cancelled' };
      if (err.reason === 'crashed' || err.reason === 'closed') return { code: 'workspace.engine_crashed', message: err.message };
      const text = err.message.split('\n')[0]!.replaceAll(this.deps.workspacesDir, '<workspace>').slice(0, 500);
      if (/Out of Memory/i.test(text)) return { code: 'workspace.query_out_of_memory', message: text };
      return { code: 'workspace.query_failed', message: text };
    }
    return { code: 'internal', message: 'internal error' };
  }

  /** History row and audit event of a finished (or refused) statement, in one transaction (LOG-01). */
  private async persist(actor: Actor, projectId: string, e: Execution, jobId: string | null, outcome: 'success' | 'failure' | 'denied', kind: string | null): Promise<void> {
    const rows = e.result?.rows.length ?? null;
    const finishedAt = this.deps.clock.now();
    const hash = sha256(e.sql);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertQuery(tx, {
        id: e.id, project_id: projectId, user_id: actor.userId, sql: e.sql, sql_sha256: hash, source: e.source, job_id: jobId, status: e.status,
        started_at: e.startedAt, finished_at: finishedAt, duration_ms: e.durationMs ?? null, row_count: rows, truncated: e.result?.truncated ?? null, error_code: e.error?.code ?? null, error_message: e.error?.message.slice(0, 2000) ?? null,
      });
      await this.deps.audit.record(tx, {
        actor, action: 'workspace.query', target: { type: 'workspace_query', id: e.id }, projectId, outcome,
        details: { sqlSha256: hash, sql: e.sql, statement: kind, source: e.source, jobId, rowsReturned: rows, truncated: e.result?.truncated ?? false, rowsChanged: e.result?.rowsChanged ?? null, durationMs: e.durationMs ?? 0, status: e.status, ...(e.error ? { error: e.error.code } : {}) },
      });
    });
  }

  private async present(e: Execution, session: WorkspaceSession | null): Promise<QueryView> {
    const base: QueryView = { id: e.id, status: e.status, sql: e.sql, startedAt: e.startedAt.toISOString(), source: e.source };
    if (e.durationMs !== undefined) base.durationMs = e.durationMs;
    if (e.status === 'running' && session && e.handle !== null) {
      const progress = await session.sandbox.progress(e.handle);
      if (progress !== null) base.progress = progress;
    }
    if (e.result) Object.assign(base, { columns: e.result.columns, rows: e.result.rows.slice(0, FIRST_PAGE), rowCount: e.result.rows.length, truncated: e.result.truncated });
    if (e.error) base.error = e.error;
    return base;
  }

  private presentRow(r: QueryRow): QueryView {
    return {
      id: r.id, status: r.status, sql: r.sql, startedAt: r.started_at.toISOString(), source: r.source,
      ...(r.duration_ms !== null ? { durationMs: r.duration_ms } : {}), ...(r.row_count !== null ? { rowCount: r.row_count } : {}), ...(r.truncated !== null ? { truncated: r.truncated } : {}),
      ...(r.error_code ? { error: { code: r.error_code, message: r.error_message ?? '' } } : {}),
    };
  }

  async getQuery(actor: Actor, projectId: string, queryId: string): Promise<QueryView> {
    await this.access(actor, projectId);
    const session = this.sessions.find(projectId, actor.userId);
    const e = session?.executions.get(queryId);
    if (e) return this.present(e, session!);
    const row = await repo.findQuery(this.deps.db, projectId, actor.userId, queryId);
    if (!row) throw new HdhError('workspace.query_not_found', 404);
    return this.presentRow(row);
  }

  /** A page of a query's capped rows (never past the display cap: the engine returned no more). */
  async rows(actor: Actor, projectId: string, queryId: string, offset: number, limit: number) {
    await this.access(actor, projectId);
    const e = this.sessions.find(projectId, actor.userId)?.executions.get(queryId);
    if (!e) {
      if (await repo.findQuery(this.deps.db, projectId, actor.userId, queryId)) throw new HdhError('workspace.result_expired', 410);
      throw new HdhError('workspace.query_not_found', 404);
    }
    const result = e.result;
    const rows = result ? result.rows.slice(offset, offset + limit) : [];
    await this.deps.audit.recordStandalone({ actor, action: 'workspace.rows_read', target: { type: 'workspace_query', id: queryId }, projectId, details: { offset, count: rows.length } });
    return { columns: result?.columns ?? [], rows, offset, rowCount: result?.rows.length ?? 0 };
  }

  /**
   * A finished query's result still held in the caller's session, for a release request (the
   * output airlock): the same capped rows the caller was shown, never more.
   */
  async capturedResult(actor: Actor, projectId: string, queryId: string): Promise<{ sql: string; columns: ResultColumn[]; rows: unknown[][]; truncated: boolean }> {
    await this.access(actor, projectId);
    const e = this.sessions.find(projectId, actor.userId)?.executions.get(queryId);
    if (!e) {
      if (await repo.findQuery(this.deps.db, projectId, actor.userId, queryId)) throw new HdhError('workspace.result_expired', 410);
      throw new HdhError('workspace.query_not_found', 404);
    }
    if (!e.result) throw new HdhError('workspace.result_not_ready', 409, { status: e.status });
    return { sql: e.sql, columns: e.result.columns, rows: e.result.rows, truncated: e.result.truncated };
  }

  /**
   * Up to `maxRows` rows of a table or view of the caller's workspace (their scratch objects or the
   * extract's views), read through their own sandboxed session: for a release request (the output
   * airlock), which audits the capture with the file it makes.
   */
  async readTable(actor: Actor, projectId: string, table: string, maxRows: number): Promise<{ table: string; source: 'extract' | 'scratch'; columns: ResultColumn[]; rows: unknown[][]; truncated: boolean }> {
    await this.access(actor, projectId);
    const session = await this.session(actor, projectId);
    const found = (await session.objects()).find((o) => o.name.toLowerCase() === table.toLowerCase());
    if (!found) throw new HdhError('workspace.table_not_found', 404, { table });
    try {
      const result = await session.run(`SELECT * FROM ${quoteIdent(found.name)}`, { maxRows, timeoutMs: this.deps.limits.queryTimeoutMs }, false).result;
      return { table: found.name, source: found.tagged ? 'extract' : 'scratch', columns: result.columns, rows: result.rows, truncated: result.truncated };
    } catch (err) {
      const { code, message } = this.engineError(err);
      throw new HdhError(code, code === 'internal' ? 500 : 409, { message });
    }
  }

  async cancel(actor: Actor, projectId: string, queryId: string): Promise<QueryView> {
    await this.access(actor, projectId);
    const session = this.sessions.find(projectId, actor.userId);
    const e = session?.executions.get(queryId);
    if (!e) return this.getQuery(actor, projectId, queryId);
    if (e.status === 'running' && e.handle !== null) {
      e.cancelled = true;
      session!.sandbox.interrupt(e.handle);
      await Promise.race([e.done, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    return this.present(e, session!);
  }

  /** The caller's own queries in this project, newest first (running ones included), without rows. */
  async history(actor: Actor, projectId: string, limit = 200): Promise<QueryView[]> {
    await this.access(actor, projectId);
    const session = this.sessions.find(projectId, actor.userId);
    const running = session ? [...session.executions.values()].filter((e) => e.status === 'running') : [];
    const rows = await repo.history(this.deps.db, projectId, actor.userId, limit);
    // Running queries have no rows yet; history never carries rows.
    const live = await Promise.all(running.map((e) => this.present(e, session!)));
    return [...live, ...rows.map((r) => this.presentRow(r))].slice(0, limit);
  }

  /** The projects domain's hook: a project that ends closes its workspace and deletes its data (DP-13). */
  onProjectStatusChanged(change: ProjectStatusChange): void {
    if (!terminal.has(change.to)) return;
    this.closure.close(change.projectId, { reason: `project ${change.action} (${change.from} → ${change.to})`, by: change.automatic ? 'system:procedure-scheduler' : 'system:workspaces' }).catch((err: unknown) => this.deps.onError?.(err));
  }

  /**
   * Hourly: idle sessions stop; sessions of members whose access ended stop; projects past their
   * end date or closed have their data deleted with a certificate.
   */
  async hourly(): Promise<{ idle: number; ended: number; closed: string[] }> {
    const idle = await this.sessions.closeIdle();
    let ended = 0;
    const today = this.today();
    for (const s of this.sessions.list()) {
      const facts = await this.deps.projects.accessFacts(s.projectId);
      const end = facts && (s.userId === facts.leadId ? facts.endDate : facts.members.find((m) => m.userId === s.userId)?.endDate);
      if (!facts || facts.status !== 'active' || !end || end < today || (facts.endDate && facts.endDate < today)) {
        await this.sessions.closeUser(s.projectId, s.userId);
        ended++;
      }
    }
    const closed = await this.closure.closeDue(today);
    return { idle, ended, closed };
  }

  /** At start: jobs and queries a stopped hub left unfinished are marked failed (and audited). */
  async recover(): Promise<void> {
    await this.jobs.recover();
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#reaper);
    await this.sessions.closeAll();
  }
}
