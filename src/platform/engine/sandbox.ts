/**
 * A sandboxed engine in its own process: untrusted SQL runs in a child (sandbox-worker.ts) so that
 * a DuckDB crash or a runaway query ends that child, never the hub (ARCHITECTURE.md: some DuckDB
 * functions can abort the process). The child gets no environment from the hub (no secrets), a
 * locked DuckDB configuration, and is killed when a timed-out query ignores its interrupt.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DatabaseObject, InspectResult, RunResult, SandboxOptions, SandboxRequest, SandboxResponse } from './sandbox-protocol.js';

export type { DatabaseObject, InspectResult, ResultColumn, RunResult, SandboxOptions } from './sandbox-protocol.js';

export type SandboxFailure = 'crashed' | 'timeout' | 'interrupted' | 'engine' | 'closed';

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly reason: SandboxFailure,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: SandboxError): void;
  timedOut?: boolean;
}

export interface RunOptions {
  maxRows: number;
  /** The query is interrupted after this; killed with its process if it does not stop. */
  timeoutMs: number;
}

export interface RunningQuery {
  handle: number;
  result: Promise<RunResult>;
}

const here = fileURLToPath(import.meta.url);
const workerFile = path.join(path.dirname(here), `sandbox-worker${path.extname(here)}`);

/** Under tsx or vitest the worker is TypeScript: the child loads it through tsx's loader. */
function loaderArgs(): string[] {
  if (path.extname(here) !== '.ts') return [];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

export class SandboxProcess {
  #child: ChildProcess;
  #next = 1;
  #pending = new Map<number, Pending>();
  #exited = false;
  #stderr = '';
  #exitListeners: ((reason: string) => void)[] = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (m: SandboxResponse) => this.#onMessage(m));
    child.stderr?.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.#exited = true;
      const why = signal ? `signal ${signal}` : `exit code ${code}`;
      for (const [, p] of this.#pending) p.reject(new SandboxError(p.timedOut ? 'query timed out; its engine was stopped' : `engine process ended (${why})`, p.timedOut ? 'timeout' : 'crashed'));
      this.#pending.clear();
      for (const l of this.#exitListeners) l(why);
    });
    child.on('error', () => undefined);
  }

  /** Starts a child and opens its engine; fails if it does not answer within `startTimeoutMs`. */
  static async start(options: SandboxOptions, startTimeoutMs = 30_000): Promise<SandboxProcess> {
    const child = fork(workerFile, [], {
      execArgv: loaderArgs(),
      // Nothing of the hub's environment (keys, database URL) reaches the sandbox.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.homeDirectory, TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const sandbox = new SandboxProcess(child);
    const timer = setTimeout(() => sandbox.kill(), startTimeoutMs);
    try {
      await sandbox.#request({ kind: 'open', id: 0, options });
    } catch (err) {
      sandbox.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return sandbox;
  }

  get alive(): boolean {
    return !this.#exited;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The last lines the engine wrote to stderr (diagnostics; never shown to users). */
  get stderr(): string {
    return this.#stderr;
  }

  onExit(listener: (reason: string) => void): void {
    this.#exitListeners.push(listener);
  }

  /** Parses without binding: how many statements, and the serialized tree of a SELECT. */
  inspect(sql: string, select: string | null): Promise<InspectResult> {
    return this.#request({ kind: 'inspect', id: 0, sql, select }) as Promise<InspectResult>;
  }

  /** Tables and views of the session's database, with their columns. */
  objects(tag: string | null): Promise<DatabaseObject[]> {
    return this.#request({ kind: 'objects', id: 0, tag }) as Promise<DatabaseObject[]>;
  }

  /** Names of the tables and views of the session's database. */
  names(): Promise<string[]> {
    return this.#request({ kind: 'names', id: 0 }) as Promise<string[]>;
  }

  run(sql: string, options: RunOptions): RunningQuery {
    const id = this.#next++;
    let pending: Pending | undefined;
    const result = this.#request({ kind: 'run', id, sql, maxRows: options.maxRows }, id, (p) => (pending = p)) as Promise<RunResult>;
    const timer = setTimeout(() => {
      if (!pending) return;
      pending.timedOut = true;
      this.interrupt(id);
      // A query that ignores its interrupt takes its process with it.
      const killer = setTimeout(() => this.kill(), 5_000);
      killer.unref();
      void result.catch(() => undefined).finally(() => clearTimeout(killer));
    }, options.timeoutMs);
    timer.unref();
    void result.catch(() => undefined).finally(() => clearTimeout(timer));
    return { handle: id, result };
  }

  interrupt(handle: number): void {
    if (this.#exited) return;
    this.#child.send({ kind: 'interrupt', id: -1, target: handle } satisfies SandboxRequest);
  }

  /** Share of the work done (0..1) by a running query, when DuckDB can tell. */
  async progress(handle: number): Promise<number | null> {
    if (this.#exited) return null;
    return (await this.#request({ kind: 'progress', id: 0, target: handle }).catch(() => null)) as number | null;
  }

  kill(): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()));
    const timer = setTimeout(() => this.kill(), 5_000);
    try {
      await this.#request({ kind: 'close', id: 0 }).catch(() => undefined);
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  #request(message: SandboxRequest, id = this.#next++, expose?: (p: Pending) => void): Promise<unknown> {
    if (this.#exited) return Promise.reject(new SandboxError('engine process is not running', 'closed'));
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject };
      this.#pending.set(id, p);
      expose?.(p);
      this.#child.send({ ...message, id });
    });
  }

  #onMessage(m: SandboxResponse): void {
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else if (p.timedOut) p.reject(new SandboxError('query timed out', 'timeout'));
    else p.reject(new SandboxError(m.error.message, m.error.interrupted ? 'interrupted' : 'engine'));
  }
}
