import { sql, type Generated, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    audit_events: AuditEventTable;
    audit_seals: AuditSealTable;
  }
}

export interface AuditEventTable {
  seq: number;
  occurred_at: Date;
  actor_id: string | null;
  actor_label: string;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  project_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  source_ip: string | null;
  details: Generated<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}
export type AuditEventRow = Selectable<AuditEventTable>;

export interface AuditSealTable {
  day: string;
  last_seq: number;
  head_hash: string;
  event_count: number;
  sealed_at: Date;
  key_id: string;
  signature: string;
}
export type AuditSealRow = Selectable<AuditSealTable>;

/** Any fixed number: the advisory lock that makes appends to the chain one at a time. */
const CHAIN_LOCK = 0x48_44_48_01;

export async function lockChainHead(tx: Executor): Promise<{ seq: number; hash: string } | null> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
  const head = await tx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return head ?? null;
}

export async function insertEvent(tx: Executor, row: Omit<AuditEventRow, 'details'> & { details: Record<string, unknown> }) {
  await tx
    .insertInto('audit_events')
    .values({ ...row, details: JSON.stringify(row.details) as unknown as Record<string, unknown> })
    .execute();
}

/** Events in sequence order after `afterSeq`, a page at a time (verification streams the log). */
export function eventsAfter(db: Executor, afterSeq: number, limit: number) {
  return db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export interface EventFilter {
  actor?: string | undefined;
  action?: string | undefined;
  projectId?: string | undefined;
  outcome?: 'success' | 'failure' | 'denied' | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeSeq?: number | undefined;
}

export function searchEvents(db: Executor, filter: EventFilter, limit: number) {
  let q = db.selectFrom('audit_events').selectAll();
  if (filter.actor) {
    const term = `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('actor_label', 'ilike', term), eb(sql<string>`actor_id::text`, '=', filter.actor!)]));
  }
  if (filter.action) q = q.where('action', 'like', `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.projectId) q = q.where('project_id', '=', filter.projectId);
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  if (filter.from) q = q.where('occurred_at', '>=', filter.from);
  if (filter.to) q = q.where('occurred_at', '<', filter.to);
  if (filter.beforeSeq) q = q.where('seq', '<', filter.beforeSeq);
  return q.orderBy('seq', 'desc').limit(limit).execute();
}

export function listSeals(db: Executor) {
  return db.selectFrom('audit_seals').selectAll().orderBy('day').execute();
}

export function insertSeal(tx: Executor, seal: AuditSealRow) {
  return tx.insertInto('audit_seals').values(seal).execute();
}

/** For each UTC day that has events and no seal yet, before `beforeDay`: its last event and count. */
export async function unsealedDays(db: Executor, beforeDay: string) {
  const { rows } = await sql<{ day: string; last_seq: number; event_count: number }>`
    select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD') as day,
           max(seq)::bigint as last_seq, count(*)::bigint as event_count
    from audit_events
    where occurred_at < ${beforeDay}::date at time zone 'UTC'
      and (occurred_at at time zone 'UTC')::date > coalesce((select max(day) from audit_seals), '0001-01-01'::date)
    group by 1 order by 1`.execute(db);
  return rows;
}

export async function eventBySeq(db: Executor, seq: number) {
  return db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirst();
}

export async function dayStats(db: Executor, day: string) {
  const { rows } = await sql<{ last_seq: number | null; event_count: number }>`
    select max(seq)::bigint as last_seq, count(*)::bigint as event_count from audit_events
    where occurred_at >= ${day}::date at time zone 'UTC' and occurred_at < (${day}::date + 1) at time zone 'UTC'`.execute(db);
  return rows[0] ?? { last_seq: null, event_count: 0 };
}
