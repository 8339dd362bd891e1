/**
 * The audit log (LOG-01..LOG-07): one helper appends every event, in the caller's transaction,
 * to a hash chain; daily seals sign the chain head; `verify` replays the chain and the seals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { AnyActor } from '../platform/actor.js';
import { utcDay, type Clock } from '../platform/clock.js';
import type { Signer } from '../platform/crypto/signing.js';
import type { Db, Executor } from '../platform/db/database.js';
import { eventHash, GENESIS_HASH, sealMessage } from './chain.js';
import { assertCanReadAudit } from './policy.js';
import * as repo from './repo.js';
import type { AuditEventRow } from './repo.js';

export type Outcome = 'success' | 'failure' | 'denied';

export interface AuditEventInput {
  /** The caller; null for an anonymous attempt (then `actorLabel` says who was claimed). */
  actor: AnyActor | null;
  actorLabel?: string;
  action: string;
  target?: { type: string; id: string } | undefined;
  projectId?: string | undefined;
  outcome?: Outcome;
  details?: Record<string, unknown>;
  /** Overrides the actor's IP (anonymous requests). */
  ip?: string | null;
}

export interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorId: string | null;
  actorLabel: string;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  projectId: string | null;
  outcome: Outcome;
  sourceIp: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export interface VerifyProblem {
  kind: 'missing' | 'altered' | 'broken_link' | 'seal_invalid' | 'seal_truncated' | 'seal_missing' | 'seal_file_mismatch';
  seq?: number;
  day?: string;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  sealsChecked: number;
  head: { seq: number; hash: string } | null;
  problems: VerifyProblem[];
  /** Days with events and no seal yet (today, or the sealer has not run): not a failure, but said. */
  unsealedDays: string[];
}

export interface AuditServiceDeps {
  db: Db;
  clock: Clock;
  signer: Signer;
  /** Append-only copy of every seal outside the database (LOG-07); verify compares both. */
  sealFile?: string | undefined;
}

export class AuditService {
  constructor(private readonly deps: AuditServiceDeps) {}

  /** Appends one event inside the caller's transaction: it commits or rolls back with the change it records. */
  async record(tx: Executor, input: AuditEventInput): Promise<number> {
    const head = await repo.lockChainHead(tx);
    const actor = input.actor;
    const base = {
      seq: (head?.seq ?? 0) + 1,
      occurredAt: this.deps.clock.now(),
      actorId: actor?.kind === 'user' ? actor.userId : null,
      actorLabel: input.actorLabel ?? (actor ? (actor.kind === 'user' ? actor.email : `system:${actor.label}`) : 'anonymous'),
      actorRole: actor?.kind === 'user' ? actor.roles.join(',') || null : actor ? 'system' : null,
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      projectId: input.projectId ?? null,
      outcome: input.outcome ?? 'success',
      sourceIp: input.ip !== undefined ? input.ip : (actor?.ip ?? null),
      details: input.details ?? {},
      prevHash: head?.hash ?? GENESIS_HASH,
    } as const;
    const hash = eventHash(base);
    await repo.insertEvent(tx, {
      seq: base.seq,
      occurred_at: base.occurredAt,
      actor_id: base.actorId,
      actor_label: base.actorLabel,
      actor_role: base.actorRole,
      action: base.action,
      target_type: base.targetType,
      target_id: base.targetId,
      project_id: base.projectId,
      outcome: base.outcome,
      source_ip: base.sourceIp,
      details: base.details,
      prev_hash: base.prevHash,
      hash,
    });
    return base.seq;
  }

  /** For events with no surrounding change (a refused login, a read): its own transaction. */
  recordStandalone(input: AuditEventInput): Promise<number> {
    return this.deps.db.transaction().execute((tx) => this.record(tx, input));
  }

  /** The security officer's view of the log; the read itself is traced. */
  async search(actor: AnyActor, filter: repo.EventFilter, limit = 100): Promise<AuditEvent[]> {
    assertCanReadAudit(actor);
    await this.recordStandalone({ actor, action: 'audit.read', details: { filter: describeFilter(filter) } });
    const rows = await repo.searchEvents(this.deps.db, filter, Math.min(Math.max(limit, 1), 1000));
    return rows.map(present);
  }

  /** CSV of every event matching the filter, newest first, in pages so memory stays flat. */
  async *exportCsv(actor: AnyActor, filter: repo.EventFilter): AsyncGenerator<string> {
    assertCanReadAudit(actor);
    await this.recordStandalone({ actor, action: 'audit.export', details: { filter: describeFilter(filter) } });
    const columns = ['seq', 'occurred_at', 'actor_id', 'actor_label', 'actor_role', 'action', 'target_type', 'target_id', 'project_id', 'outcome', 'source_ip', 'details', 'hash'];
    yield stringify([columns]);
    let beforeSeq: number | undefined = filter.beforeSeq;
    for (;;) {
      const rows = await repo.searchEvents(this.deps.db, { ...filter, beforeSeq }, 5000);
      if (rows.length === 0) return;
      yield stringify(
        rows.map((r) => [r.seq, r.occurred_at.toISOString(), r.actor_id, r.actor_label, r.actor_role, r.action, r.target_type, r.target_id, r.project_id, r.outcome, r.source_ip, JSON.stringify(r.details), r.hash]),
      );
      beforeSeq = rows[rows.length - 1]!.seq;
    }
  }

  /**
   * Seals every complete UTC day (before today) that has events and no seal (LOG-05): signs the
   * day's last event hash and event count. Idempotent; run at start and hourly by the server.
   */
  async sealCompletedDays(): Promise<string[]> {
    const today = utcDay(this.deps.clock.now());
    const sealed: string[] = [];
    for (const day of await repo.unsealedDays(this.deps.db, today)) {
      await this.deps.db.transaction().execute(async (tx) => {
        const last = await repo.eventBySeq(tx, day.last_seq);
        if (!last) return;
        const seal = {
          day: day.day,
          last_seq: day.last_seq,
          head_hash: last.hash,
          event_count: day.event_count,
          sealed_at: this.deps.clock.now(),
          key_id: this.deps.signer.keyId,
          signature: '',
        };
        seal.signature = this.deps.signer.sign(sealMessage({ day: seal.day, lastSeq: seal.last_seq, headHash: seal.head_hash, eventCount: seal.event_count }));
        await repo.insertSeal(tx, seal);
        await this.record(tx, { actor: { kind: 'system', label: 'audit-sealer', ip: null }, action: 'audit.seal', target: { type: 'audit_day', id: seal.day }, details: { lastSeq: seal.last_seq, eventCount: seal.event_count, keyId: seal.key_id } });
        this.appendSealFile(seal);
      });
      sealed.push(day.day);
    }
    return sealed;
  }

  private appendSealFile(seal: repo.AuditSealRow): void {
    if (!this.deps.sealFile) return;
    fs.mkdirSync(path.dirname(this.deps.sealFile), { recursive: true });
    const line = JSON.stringify({ day: seal.day, lastSeq: seal.last_seq, headHash: seal.head_hash, eventCount: seal.event_count, keyId: seal.key_id, signature: seal.signature });
    fs.appendFileSync(this.deps.sealFile, `${line}\n`, { mode: 0o600 });
  }

  /**
   * Replays the whole chain and every seal. Names each event that was edited, deleted, inserted
   * or moved, and each sealed day whose last events are gone.
   */
  async verify(actor: AnyActor): Promise<VerifyReport> {
    assertCanReadAudit(actor);
    const report = await this.replay();
    await this.recordStandalone({ actor, action: 'audit.verify', outcome: report.ok ? 'success' : 'failure', details: { eventsChecked: report.eventsChecked, problems: report.problems.length } });
    return report;
  }

  private async replay(): Promise<VerifyReport> {
    const problems: VerifyProblem[] = [];
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let last: AuditEventRow | null = null;
    const hashBySeq = new Map<number, string>();
    const seals = await repo.listSeals(this.deps.db);
    const sealedSeqs = new Set(seals.map((s) => s.last_seq));
    const dayCounts = new Map<string, { count: number; lastSeq: number }>();

    for (;;) {
      const page = await repo.eventsAfter(this.deps.db, last?.seq ?? 0, 5000);
      if (page.length === 0) break;
      for (const row of page) {
        checked++;
        if (row.seq !== expectedSeq) {
          const range = row.seq - expectedSeq === 1 ? `${expectedSeq}` : `${expectedSeq}–${row.seq - 1}`;
          problems.push({ kind: 'missing', seq: expectedSeq, message: `event ${range} missing: deleted from the log (found ${row.seq} after ${expectedSeq - 1})` });
        }
        const recomputed = eventHash({
          seq: row.seq, occurredAt: row.occurred_at, actorId: row.actor_id, actorLabel: row.actor_label, actorRole: row.actor_role,
          action: row.action, targetType: row.target_type, targetId: row.target_id, projectId: row.project_id, outcome: row.outcome,
          sourceIp: row.source_ip, details: row.details, prevHash: row.prev_hash,
        });
        if (recomputed !== row.hash) {
          problems.push({ kind: 'altered', seq: row.seq, message: `event ${row.seq} (${row.action}) was altered: its content no longer matches its hash` });
        } else if (row.prev_hash !== prevHash && row.seq === expectedSeq) {
          problems.push({ kind: 'broken_link', seq: row.seq, message: `event ${row.seq} (${row.action}) does not follow event ${row.seq - 1}: events were inserted, replaced or reordered` });
        }
        if (sealedSeqs.has(row.seq)) hashBySeq.set(row.seq, row.hash);
        const day = utcDay(row.occurred_at);
        const d = dayCounts.get(day) ?? { count: 0, lastSeq: 0 };
        d.count++;
        d.lastSeq = Math.max(d.lastSeq, row.seq);
        dayCounts.set(day, d);
        prevHash = row.hash;
        expectedSeq = row.seq + 1;
        last = row;
      }
    }

    for (const seal of seals) {
      const message = sealMessage({ day: seal.day, lastSeq: seal.last_seq, headHash: seal.head_hash, eventCount: seal.event_count });
      if (!this.deps.signer.verify(message, seal.signature)) {
        problems.push({ kind: 'seal_invalid', day: seal.day, message: `seal of ${seal.day} has an invalid signature (key ${seal.key_id})` });
        continue;
      }
      const hash = hashBySeq.get(seal.last_seq);
      const stats = dayCounts.get(seal.day);
      if (hash === undefined) {
        problems.push({ kind: 'seal_truncated', day: seal.day, seq: seal.last_seq, message: `sealed day ${seal.day} ended at event ${seal.last_seq}, which is missing: the last events of a sealed day were removed` });
      } else if (hash !== seal.head_hash) {
        problems.push({ kind: 'seal_truncated', day: seal.day, seq: seal.last_seq, message: `event ${seal.last_seq}, the last of sealed day ${seal.day}, differs from the sealed one` });
      } else if (!stats || stats.count !== seal.event_count || stats.lastSeq !== seal.last_seq) {
        problems.push({ kind: 'seal_truncated', day: seal.day, message: `sealed day ${seal.day} had ${seal.event_count} events ending at ${seal.last_seq}; the log now has ${stats?.count ?? 0} ending at ${stats?.lastSeq ?? '-'}` });
      }
    }

    const sealedDays = new Set(seals.map((s) => s.day));
    const lastSealDay = seals.at(-1)?.day ?? '';
    const unsealed: string[] = [];
    for (const day of [...dayCounts.keys()].sort()) {
      if (sealedDays.has(day)) continue;
      if (day < lastSealDay) problems.push({ kind: 'seal_missing', day, message: `day ${day} has events but its seal is gone` });
      else unsealed.push(day);
    }
    problems.push(...this.compareSealFile(seals));

    return { ok: problems.length === 0, eventsChecked: checked, sealsChecked: seals.length, head: last ? { seq: last.seq, hash: last.hash } : null, problems, unsealedDays: unsealed };
  }

  private compareSealFile(seals: repo.AuditSealRow[]): VerifyProblem[] {
    if (!this.deps.sealFile || !fs.existsSync(this.deps.sealFile)) return [];
    const inDb = new Map(seals.map((s) => [s.day, s]));
    const problems: VerifyProblem[] = [];
    for (const line of fs.readFileSync(this.deps.sealFile, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const copy = JSON.parse(line) as { day: string; lastSeq: number; headHash: string };
      const db = inDb.get(copy.day);
      if (!db) problems.push({ kind: 'seal_file_mismatch', day: copy.day, message: `seal of ${copy.day} is in the seal file but no longer in the database` });
      else if (db.last_seq !== copy.lastSeq || db.head_hash !== copy.headHash) problems.push({ kind: 'seal_file_mismatch', day: copy.day, message: `seal of ${copy.day} differs between the database and the seal file` });
    }
    return problems;
  }
}

function present(r: AuditEventRow): AuditEvent {
  return {
    seq: r.seq,
    occurredAt: r.occurred_at.toISOString(),
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    actorRole: r.actor_role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    projectId: r.project_id,
    outcome: r.outcome,
    sourceIp: r.source_ip,
    details: r.details,
    hash: r.hash,
  };
}

function describeFilter(f: repo.EventFilter): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}
