/**
 * Workspace sessions — one sandboxed engine process per (project, member) while they work: it
 * reads only the project's current extract (views over its Parquet files) and keeps the member's
 * own tables and views in a scratch database inside the project's folder. A session idle for too
 * long, a member whose access ended, a project that closes: the process is stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { quoteLiteral } from '../platform/engine/engine.js';
import { SandboxError, SandboxProcess, type DatabaseObject, type RunResult, type RunningQuery } from '../platform/engine/sandbox.js';
import { HdhError } from '../platform/errors.js';
import type { CurrentExtract } from '../extraction/service.js';
import { checkTree, classify, type Classified } from './sql-guard.js';

/** Comment carried by the hub's views over the extract, told apart from the member's own objects. */
export const EXTRACT_TAG = 'hdh:extract';

export interface WorkspaceLimits {
  memoryMb: number;
  threads: number;
  scratchGb: number;
  queryTimeoutMs: number;
  jobTimeoutMs: number;
  displayRows: number;
  maxSqlChars: number;
  idleMs: number;
}

/** A query of the session, kept in memory with its capped rows until evicted. */
export interface Execution {
  id: string;
  sql: string;
  source: 'interactive' | 'job';
  startedAt: Date;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  handle: number | null;
  done: Promise<void>;
  result?: RunResult;
  error?: { code: string; message: string };
  durationMs?: number;
  cancelled?: boolean;
}

const KEEP_RESULTS = 30;

export class WorkspaceSession {
  lastUsed = Date.now();
  readonly executions = new Map<string, Execution>();
  /** Tables and views a query may read; only this session changes its database, so it is refreshed after its own DDL. */
  #known: Promise<Set<string>> | null = null;
  constructor(
    readonly projectId: string,
    readonly userId: string,
    readonly extractVersion: number,
    readonly sandbox: SandboxProcess,
    /** Extract view names, lower case: readable, never replaced. */
    readonly reserved: ReadonlySet<string>,
  ) {}

  get running(): number {
    return [...this.executions.values()].filter((e) => e.status === 'running').length;
  }

  /** The statement check (sql-guard.ts) with DuckDB's parser in the session's own process. */
  async check(sql: string, maxChars: number): Promise<Classified> {
    const classified = classify(sql, this.reserved, maxChars);
    let inspected;
    try {
      inspected = await this.sandbox.inspect(sql, classified.select);
    } catch (err) {
      if (err instanceof SandboxError && err.reason === 'engine') throw new HdhError('workspace.sql_invalid', 400, { message: err.message.split('\n')[0]!.slice(0, 300) });
      throw err;
    }
    if (inspected.statementCount !== 1) throw new HdhError(inspected.statementCount === 0 ? 'workspace.sql_empty' : 'workspace.multiple_statements', 400);
    if (classified.select !== null) checkTree(inspected.serialized!, await this.known());
    return classified;
  }

  private known(): Promise<Set<string>> {
    this.#known ??= this.sandbox.names().then((names) => new Set(names.map((n) => n.toLowerCase())));
    return this.#known;
  }

  run(sql: string, options: { maxRows: number; timeoutMs: number }, changesObjects = true): RunningQuery {
    this.lastUsed = Date.now();
    const running = this.sandbox.run(sql, options);
    if (changesObjects) {
      this.#known = null;
      void running.result.catch(() => undefined).finally(() => (this.#known = null));
    }
    return running;
  }

  objects(): Promise<DatabaseObject[]> {
    return this.sandbox.objects(EXTRACT_TAG);
  }

  remember(e: Execution): void {
    this.executions.set(e.id, e);
    const finished = [...this.executions.values()].filter((x) => x.status !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_RESULTS))) this.executions.delete(old.id);
  }
}

export class WorkspaceSessions {
  readonly #sessions = new Map<string, WorkspaceSession>();
  readonly #starting = new Map<string, Promise<WorkspaceSession>>();

  constructor(private readonly deps: { workspacesDir: string; limits: WorkspaceLimits }) {}

  scratchDir(projectId: string, userId: string): string {
    return path.join(this.deps.workspacesDir, projectId, 'scratch', userId);
  }

  find(projectId: string, userId: string): WorkspaceSession | undefined {
    const s = this.#sessions.get(`${projectId}:${userId}`);
    return s?.sandbox.alive ? s : undefined;
  }

  /** The member's session on the current extract; started (or restarted on a newer extract) as needed. */
  async open(projectId: string, userId: string, extract: CurrentExtract): Promise<{ session: WorkspaceSession; started: boolean }> {
    const key = `${projectId}:${userId}`;
    const existing = this.find(projectId, userId);
    if (existing && (existing.extractVersion === extract.version || existing.running > 0)) return { session: existing, started: false };
    if (existing) await this.#close(key);
    let starting = this.#starting.get(key);
    if (starting) return { session: await starting, started: false };
    starting = this.#start(projectId, userId, extract).finally(() => this.#starting.delete(key));
    this.#starting.set(key, starting);
    return { session: await starting, started: true };
  }

  async #start(projectId: string, userId: string, extract: CurrentExtract): Promise<WorkspaceSession> {
    const scratch = this.scratchDir(projectId, userId);
    fs.mkdirSync(path.join(scratch, 'tmp'), { recursive: true });
    const l = this.deps.limits;
    const views = extract.manifest.tables.map((t) => ({ name: t.name, sql: `SELECT * FROM read_parquet([${t.files.map((f) => quoteLiteral(path.join(extract.dir, ...f.path.split('/')))).join(', ')}])` }));
    const sandbox = await SandboxProcess.start({
      databasePath: path.join(scratch, 'scratch.duckdb'), memoryLimit: `${l.memoryMb}MB`, threads: l.threads,
      tempDirectory: path.join(scratch, 'tmp'), maxTempDirectorySize: `${l.scratchGb}GB`, homeDirectory: path.join(scratch, 'home'),
      allowedDirectories: [extract.dir], setup: [], taggedViews: { tag: EXTRACT_TAG, views }, connections: 3,
    });
    const key = `${projectId}:${userId}`;
    const session = new WorkspaceSession(projectId, userId, extract.version, sandbox, new Set(views.map((v) => v.name.toLowerCase())));
    sandbox.onExit(() => {
      if (this.#sessions.get(key) === session) this.#sessions.delete(key);
    });
    this.#sessions.set(key, session);
    return session;
  }

  async #close(key: string): Promise<void> {
    const s = this.#sessions.get(key);
    this.#sessions.delete(key);
    await s?.sandbox.close();
  }

  /** Stops every session of a project (its end, a new extract the members must reopen on). */
  async closeProject(projectId: string): Promise<number> {
    const keys = [...this.#sessions.keys()].filter((k) => k.startsWith(`${projectId}:`));
    await Promise.all(keys.map((k) => this.#close(k)));
    return keys.length;
  }

  async closeUser(projectId: string, userId: string): Promise<void> {
    await this.#close(`${projectId}:${userId}`);
  }

  /** Sessions with nothing running and unused for the idle limit. */
  async closeIdle(now = Date.now()): Promise<number> {
    const idle = [...this.#sessions.entries()].filter(([, s]) => s.running === 0 && now - s.lastUsed > this.deps.limits.idleMs).map(([k]) => k);
    await Promise.all(idle.map((k) => this.#close(k)));
    return idle.length;
  }

  list(): { projectId: string; userId: string }[] {
    return [...this.#sessions.values()].map((s) => ({ projectId: s.projectId, userId: s.userId }));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((k) => this.#close(k)));
  }
}
