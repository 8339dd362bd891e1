/** The opposition registry's tables (migration 0500). Only pseudonyms, key references, dates, status and receipt hashes. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { PseudonymKeyRef } from '../platform/crypto/pseudonym.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    oppositions: OppositionTable;
    opposition_pseudonyms: OppositionPseudonymTable;
  }
}

export type OppositionStatus = 'active' | 'withdrawn';

export interface OppositionTable {
  id: string;
  receipt_hash: string;
  status: OppositionStatus;
  recorded_at: Date;
  withdrawn_at: Date | null;
}
export type OppositionRow = Selectable<OppositionTable>;

export interface OppositionPseudonymTable {
  opposition_id: string;
  key_id: string;
  key_version: number;
  pseudonym: string;
}

export async function insertOpposition(db: Executor, row: OppositionRow, pseudonyms: { key: PseudonymKeyRef; pseudonym: string }[]): Promise<void> {
  await db.insertInto('oppositions').values(row).execute();
  await db
    .insertInto('opposition_pseudonyms')
    .values(pseudonyms.map((p) => ({ opposition_id: row.id, key_id: p.key.id, key_version: p.key.version, pseudonym: p.pseudonym })))
    .execute();
}

export function findByReceipt(db: Executor, receiptHash: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('oppositions').selectAll().where('receipt_hash', '=', receiptHash);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export function pseudonymsOf(db: Executor, oppositionId: string) {
  return db.selectFrom('opposition_pseudonyms').select(['key_id', 'key_version', 'pseudonym']).where('opposition_id', '=', oppositionId).execute();
}

/** Withdrawal: the status and date stay (for the counts); the pseudonyms have no further use and go. */
export async function markWithdrawn(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('oppositions').set({ status: 'withdrawn', withdrawn_at: at }).where('id', '=', id).execute();
  await db.deleteFrom('opposition_pseudonyms').where('opposition_id', '=', id).execute();
}

/** Active oppositions with no pseudonym under this key: they could not be filtered with it. */
export async function countActiveWithoutKey(db: Executor, key: PseudonymKeyRef): Promise<number> {
  const row = await db
    .selectFrom('oppositions as o')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('o.status', '=', 'active')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('opposition_pseudonyms as p').select('p.pseudonym').whereRef('p.opposition_id', '=', 'o.id').where('p.key_id', '=', key.id).where('p.key_version', '=', key.version))),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function activePseudonyms(db: Executor, key: PseudonymKeyRef): Promise<string[]> {
  const rows = await db
    .selectFrom('opposition_pseudonyms as p')
    .innerJoin('oppositions as o', 'o.id', 'p.opposition_id')
    .select('p.pseudonym')
    .distinct()
    .where('o.status', '=', 'active')
    .where('p.key_id', '=', key.id)
    .where('p.key_version', '=', key.version)
    .orderBy('p.pseudonym')
    .execute();
  return rows.map((r) => r.pseudonym);
}

export async function countActive(db: Executor): Promise<number> {
  const row = await db.selectFrom('oppositions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Counts per calendar month in Paris time (`YYYY-MM`), of recordings and of withdrawals. */
export async function countsPerMonth(db: Executor): Promise<{ month: string; recorded: number; withdrawn: number }[]> {
  const recorded = await sql<{ month: string; n: number }>`
    select to_char(recorded_at at time zone 'Europe/Paris', 'YYYY-MM') as month, count(*)::int as n
    from oppositions group by 1`.execute(db);
  const withdrawn = await sql<{ month: string; n: number }>`
    select to_char(withdrawn_at at time zone 'Europe/Paris', 'YYYY-MM') as month, count(*)::int as n
    from oppositions where withdrawn_at is not null group by 1`.execute(db);
  const months = new Map<string, { month: string; recorded: number; withdrawn: number }>();
  const entry = (month: string) => months.get(month) ?? months.set(month, { month, recorded: 0, withdrawn: 0 }).get(month)!;
  for (const r of recorded.rows) entry(r.month).recorded = r.n;
  for (const r of withdrawn.rows) entry(r.month).withdrawn = r.n;
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/** Active oppositions with a pseudonym under `from` and none yet under `to`: what a rotation bridge can cover. */
export function bridgeCandidates(db: Executor, from: PseudonymKeyRef, to: PseudonymKeyRef) {
  return db
    .selectFrom('opposition_pseudonyms as p')
    .innerJoin('oppositions as o', 'o.id', 'p.opposition_id')
    .select(['p.opposition_id', 'p.pseudonym'])
    .where('o.status', '=', 'active')
    .where('p.key_id', '=', from.id)
    .where('p.key_version', '=', from.version)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('opposition_pseudonyms as q').select('q.pseudonym').whereRef('q.opposition_id', '=', 'p.opposition_id').where('q.key_id', '=', to.id).where('q.key_version', '=', to.version))),
    )
    .execute();
}

export async function insertPseudonyms(db: Executor, rows: OppositionPseudonymTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('opposition_pseudonyms').values(rows).execute();
}
