/**
 * Jobs — traitements: a program version run inside the hub, in its submitter's sandboxed session
 * ("code goes to the data"). Its statements run one after the other through the same check and
 * audit as interactive queries, with the longer job time limit; a bare query's result is kept as
 * a scratch table `job_<id>_<n>`, so results stay in the workspace. Status and log are visible to
 * the team; jobs of one member run one at a time.
 */
import crypto from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { ProjectAccess } from '../projects/service.js';
import type { Actor, AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import * as repo from './repo.js';
import type { JobRow } from './repo.js';
import type { JobView } from './schema.js';
import type { WorkspaceLimits } from './sessions.js';
import { classify } from './sql-guard.js';
import { bindParameters, splitStatements, type ParameterValue } from './sql-text.js';
import type { WorkspaceService } from './service.js';

registerMessages({
  'workspace.job_not_found': { fr: 'Traitement introuvable.', en: 'Job not found.' },
  'workspace.parameter_missing': { fr: 'Paramètre manquant : {name}', en: 'Missing parameter: {name}' },
  'workspace.parameter_invalid': { fr: 'Paramètre invalide : {name}', en: 'Invalid parameter: {name}' },
});

export interface WorkspaceJobsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  limits: WorkspaceLimits;
  access: (actor: AnyActor, projectId: string) => Promise<ProjectAccess>;
  workspace: Pick<WorkspaceService, 'session' | 'execute' | 'programs'>;
  onError?: ((err: unknown) => void) | undefined;
}

function present(j: JobRow): JobView {
  return {
    id: j.id, status: j.status, programId: j.program_id, version: j.version, parameters: j.parameters, createdAt: j.created_at.toISOString(), createdBy: j.created_by, via: j.via,
    ...(j.started_at ? { startedAt: j.started_at.toISOString() } : {}), ...(j.finished_at ? { finishedAt: j.finished_at.toISOString() } : {}),
    log: j.log, resultTables: j.result_tables,
  };
}

export class WorkspaceJobs {
  /** One chain per member and project: a member's jobs run in order, in their own session. */
  readonly #chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: WorkspaceJobsDeps) {}

  async submit(actor: Actor, projectId: string, input: { programId: string; version?: number | undefined; parameters?: Record<string, ParameterValue> | undefined }, via: { kind: 'web' | 'token'; tokenId: string | null }): Promise<JobView> {
    await this.deps.access(actor, projectId);
    const source = await this.deps.workspace.programs.source(projectId, input.programId, input.version);
    // Parameters are checked now, so a bad call fails at once rather than in the log.
    const statements = splitStatements(bindParameters(source.sql, input.parameters ?? {}));
    const now = this.deps.clock.now();
    const row = {
      id: crypto.randomUUID(), project_id: projectId, user_id: actor.userId, program_id: source.program.id, version: source.version, parameters: repo.json(input.parameters ?? {}),
      status: 'queued' as const, via: via.kind, token_id: via.tokenId, created_by: actor.email, log: repo.json([`${now.toISOString()} queued: ${source.program.name} v${source.version}, ${statements.length} statement(s)`]), result_tables: repo.json([]),
      created_at: now, started_at: null, finished_at: null,
    };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertJob(tx, row);
      await this.deps.audit.record(tx, { actor, action: 'workspace.job_submit', target: { type: 'workspace_job', id: row.id }, projectId, details: { programId: source.program.id, version: source.version, parameters: input.parameters ?? {}, via: via.kind, tokenId: via.tokenId } });
    });
    const key = `${projectId}:${actor.userId}`;
    const chain = (this.#chains.get(key) ?? Promise.resolve()).then(() => this.run(actor, projectId, row.id, statements)).catch((err: unknown) => this.deps.onError?.(err));
    this.#chains.set(key, chain);
    return this.get(actor, projectId, row.id);
  }

  async list(actor: AnyActor, projectId: string): Promise<JobView[]> {
    await this.deps.access(actor, projectId);
    return (await repo.jobs(this.deps.db, projectId)).map((j) => present(j));
  }

  async get(actor: AnyActor, projectId: string, jobId: string): Promise<JobView> {
    await this.deps.access(actor, projectId);
    const j = await repo.findJob(this.deps.db, projectId, jobId);
    if (!j) throw new HdhError('workspace.job_not_found', 404);
    return present(j);
  }

  /** Waits for every queued job (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.#chains.values()]);
  }

  private async run(actor: Actor, projectId: string, jobId: string, statements: string[]): Promise<void> {
    const log: string[] = (await repo.findJob(this.deps.db, projectId, jobId))!.log;
    const results: string[] = [];
    const stamp = () => this.deps.clock.now().toISOString();
    const save = (patch: Parameters<typeof repo.updateJob>[2]) => repo.updateJob(this.deps.db, jobId, { ...patch, log: repo.json(log), result_tables: repo.json(results) });
    let status: 'done' | 'failed' = 'done';
    try {
      await this.deps.access(actor, projectId);
      log.push(`${stamp()} started`);
      await save({ status: 'running', started_at: this.deps.clock.now() });
      const short = jobId.slice(0, 8);
      for (const [i, original] of statements.entries()) {
        const n = i + 1;
        let sql = original.trim();
        const session = await this.deps.workspace.session(actor, projectId);
        // A bare query's result stays in the workspace, as a scratch table.
        let kind = classify(sql, session.reserved, this.deps.limits.maxSqlChars);
        if (kind.kind === 'select') {
          sql = `CREATE OR REPLACE TABLE job_${short}_${n} AS\n${sql}`;
          kind = classify(sql, session.reserved, this.deps.limits.maxSqlChars);
        }
        const e = await this.deps.workspace.execute(actor, projectId, session, sql, { source: 'job', jobId, timeoutMs: this.deps.limits.jobTimeoutMs });
        await e.done;
        if (e.status !== 'done') {
          log.push(`${stamp()} statement ${n} failed: ${e.error?.code ?? 'unknown'} ${e.error?.message ?? ''}`.trim());
          status = 'failed';
          break;
        }
        if ((kind.kind === 'create_table' || kind.kind === 'create_view') && kind.target && !results.includes(kind.target)) results.push(kind.target);
        if (kind.kind === 'drop' && kind.target && results.includes(kind.target)) results.splice(results.indexOf(kind.target), 1);
        log.push(`${stamp()} statement ${n} (${kind.kind}${kind.target ? ` ${kind.target}` : ''}): ${e.result?.rowsChanged ?? e.result?.rows.length ?? 0} row(s), ${e.durationMs ?? 0} ms`);
        await save({});
      }
    } catch (err) {
      status = 'failed';
      log.push(`${stamp()} refused: ${err instanceof HdhError ? `${err.code} ${err.message}` : 'internal error'}`);
      if (!(err instanceof HdhError)) this.deps.onError?.(err);
    }
    log.push(`${stamp()} ${status}`);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateJob(tx, jobId, { status, finished_at: this.deps.clock.now(), log: repo.json(log), result_tables: repo.json(results) });
      await this.deps.audit.record(tx, { actor, action: 'workspace.job_finish', target: { type: 'workspace_job', id: jobId }, projectId, outcome: status === 'done' ? 'success' : 'failure', details: { resultTables: results, statements: statements.length } });
    });
  }

  /** Jobs a stopped hub left queued or running: failed, with a line saying why. */
  async recover(): Promise<number> {
    const left = await repo.unfinishedJobs(this.deps.db);
    for (const j of left) {
      await this.deps.db.transaction().execute(async (tx) => {
        await repo.updateJob(tx, j.id, { status: 'failed', finished_at: this.deps.clock.now(), log: repo.json([...j.log, `${this.deps.clock.now().toISOString()} failed: the hub stopped before the job ended`]) });
        await this.deps.audit.record(tx, { actor: null, actorLabel: 'system:workspaces', action: 'workspace.job_finish', target: { type: 'workspace_job', id: j.id }, projectId: j.project_id, outcome: 'failure', details: { reason: 'hub restarted' } });
      });
    }
    return left.length;
  }
}
