/**
 * The end of a project's workspace — fermeture et effacement (DP-13, LC-10, AUTH-03): sessions
 * stop, tokens are revoked, every extract version and every member's scratch database is
 * deleted from disk, and a deletion certificate (what was deleted, when, by which rule, the
 * SHA-256 of each manifest and scratch file) is stored and audited. Query history, programs and
 * the audit trail stay: they hold code and counts, not the project's data.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditService } from '../audit/service.js';
import type { DeletedExtract, ExtractionService } from '../extraction/service.js';
import type { ProjectService } from '../projects/service.js';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { sha256File } from '../platform/lake/lake.js';
import { assertCanSeeDeletion } from './policy.js';
import * as repo from './repo.js';
import type { DeletionCertificate } from './schema.js';
import type { WorkspaceSessions } from './sessions.js';

registerMessages({
  'workspace.not_deleted': { fr: 'Les données de ce projet n’ont pas été effacées.', en: 'This project’s data has not been deleted.' },
});

export interface WorkspaceClosureDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  projects: Pick<ProjectService, 'accessFacts'>;
  extraction: Pick<ExtractionService, 'deleteAll'>;
  sessions: WorkspaceSessions;
  workspacesDir: string;
  revokeTokens: (tx: Tx, projectId: string, at: Date) => Promise<void>;
}

const terminal = new Set(['closed', 'archived', 'withdrawn', 'refused']);
const KEPT = ['query history (SQL text, counts; no rows)', 'programs and their versions', 'job logs', 'the audit trail'];

function scratchInventory(dir: string): DeletionCertificate['scratch'] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort().map((userId) => {
    const files: { file: string; sha256: string; bytes: number }[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) files.push({ file: path.relative(path.join(dir, userId), p), sha256: sha256File(p), bytes: fs.statSync(p).size });
      }
    };
    walk(path.join(dir, userId));
    return { userId, files: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0), sha256: files.map(({ file, sha256 }) => ({ file, sha256 })) };
  });
}

export class WorkspaceClosure {
  readonly #closing = new Map<string, Promise<DeletionCertificate | null>>();

  constructor(private readonly deps: WorkspaceClosureDeps) {}

  /** Closes a project's workspace and deletes its data; once (later calls return null). */
  close(projectId: string, why: { reason: string; by: string }): Promise<DeletionCertificate | null> {
    let running = this.#closing.get(projectId);
    if (!running) {
      running = this.run(projectId, why).finally(() => this.#closing.delete(projectId));
      this.#closing.set(projectId, running);
    }
    return running;
  }

  private async run(projectId: string, why: { reason: string; by: string }): Promise<DeletionCertificate | null> {
    if (await repo.findDeletion(this.deps.db, projectId)) return null;
    const facts = await this.deps.projects.accessFacts(projectId);
    if (!facts) return null;
    const sessions = await this.deps.sessions.closeProject(projectId);
    const projectDir = path.join(this.deps.workspacesDir, projectId);
    const existed = fs.existsSync(projectDir);
    const scratch = scratchInventory(path.join(projectDir, 'scratch'));
    const extracts: DeletedExtract[] = await this.deps.extraction.deleteAll(projectId);
    fs.rmSync(projectDir, { recursive: true, force: true });
    // A project that ends before any delivery has nothing to certify.
    if (!existed && extracts.length === 0) return null;
    const now = this.deps.clock.now();
    const certificate: DeletionCertificate = {
      projectId, reference: facts.reference, deletedAt: now.toISOString(), deletedBy: why.by, reason: why.reason,
      extracts: extracts.map((e) => ({ version: e.version, status: e.status, manifestSha256: e.manifestSha256, totalRows: e.totalRows, tables: e.tables })),
      scratch, kept: KEPT,
    };
    const text = JSON.stringify(certificate);
    const sha = crypto.createHash('sha256').update(text).digest('hex');
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertDeletion(tx, { project_id: projectId, deleted_at: now, deleted_by: why.by, reason: why.reason, certificate: text, certificate_sha256: sha });
      await this.deps.revokeTokens(tx, projectId, now);
      await this.deps.audit.record(tx, {
        actor: null, actorLabel: why.by, action: 'workspace.deleted', target: { type: 'project', id: projectId }, projectId,
        details: { reference: facts.reference, reason: why.reason, certificateSha256: sha, sessionsStopped: sessions, extracts: extracts.map((e) => ({ version: e.version, manifestSha256: e.manifestSha256, totalRows: e.totalRows })), scratchFiles: scratch.reduce((s, u) => s + u.files, 0), scratchBytes: scratch.reduce((s, u) => s + u.bytes, 0), rule: 'DP-13' },
      });
    });
    return certificate;
  }

  /** Hourly: every project folder whose project ended (closed, or past its end date) is deleted. */
  async closeDue(today: string): Promise<string[]> {
    const closed: string[] = [];
    const dirs = fs.existsSync(this.deps.workspacesDir) ? fs.readdirSync(this.deps.workspacesDir).filter((d) => /^[0-9a-f-]{36}$/.test(d)) : [];
    for (const projectId of dirs) {
      const facts = await this.deps.projects.accessFacts(projectId);
      if (!facts) continue;
      const ended = terminal.has(facts.status) || (!!facts.endDate && facts.endDate < today);
      if (!ended) continue;
      const reason = terminal.has(facts.status) ? `project ${facts.status}` : `end date ${facts.endDate} passed`;
      if (await this.close(projectId, { reason, by: 'system:workspace-closure' })) closed.push(projectId);
    }
    return closed;
  }

  /** The certificate, for hub staff and the project's lead. */
  async certificate(actor: AnyActor, projectId: string) {
    assertCanSeeDeletion(actor, await this.deps.projects.accessFacts(projectId));
    const row = await repo.findDeletion(this.deps.db, projectId);
    if (!row) throw new HdhError('workspace.not_deleted', 404);
    await this.deps.audit.recordStandalone({ actor, action: 'workspace.deletion_certificate_read', target: { type: 'project', id: projectId }, projectId });
    return { ...row.certificate, certificateSha256: row.certificate_sha256 };
  }
}
