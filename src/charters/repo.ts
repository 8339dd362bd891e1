import { sql, type Expression, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    charters: CharterTable;
    charter_acceptances: CharterAcceptanceTable;
  }
}

export type CharterKind = 'user' | 'producer' | 'citizen';
export interface CharterTable {
  id: string;
  kind: CharterKind;
  version: number;
  title_fr: string;
  title_en: string;
  body_fr: string;
  body_en: string;
  published_at: Date;
  published_by: string | null;
}
export type CharterRow = Selectable<CharterTable>;

export interface CharterAcceptanceTable {
  user_id: string;
  charter_id: string;
  accepted_at: Date;
  ip: string | null;
}

// Charters
export function currentCharter(db: Executor, kind: CharterKind) {
  return db.selectFrom('charters').selectAll().where('kind', '=', kind).orderBy('version', 'desc').limit(1).executeTakeFirst();
}
export function listCharters(db: Executor) {
  return db.selectFrom('charters').selectAll().orderBy('kind').orderBy('version', 'desc').execute();
}
export function insertCharter(db: Executor, row: CharterRow) {
  return db.insertInto('charters').values(row).execute();
}
/**
 * hasAcceptedCurrent as an SQL condition on a user id: the user accepted the newest user charter,
 * or none is published. Lets a caller check it inside its own query (session resolution).
 */
export function acceptedCurrentUserCharter(userId: Expression<string>): RawBuilder<boolean> {
  return sql<boolean>`coalesce((select exists (select 1 from charter_acceptances a where a.user_id = ${userId} and a.charter_id = c.id) from charters c where c.kind = 'user' order by c.version desc limit 1), true)`;
}
export async function hasAccepted(db: Executor, userId: string, charterId: string): Promise<boolean> {
  const row = await db.selectFrom('charter_acceptances').select('accepted_at').where('user_id', '=', userId).where('charter_id', '=', charterId).executeTakeFirst();
  return !!row;
}
export function insertAcceptance(db: Executor, row: CharterAcceptanceTable) {
  return db.insertInto('charter_acceptances').values(row).onConflict((oc) => oc.doNothing()).execute();
}
