/** The security alerts table, through Kysely. Only this file writes SQL of the alerts domain. */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    security_alerts: AlertTable;
  }
}

export interface AlertTable {
  id: string;
  seq: Generated<number>;
  at: Date;
  rule: string;
  severity: 'low' | 'medium' | 'high';
  actor_id: string | null;
  actor_label: string;
  project_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  emailed_at: Date | null;
  email_attempts: Generated<number>;
  email_error: string | null;
}
export type AlertRow = Selectable<AlertTable>;

export function insertAlert(db: Executor, row: Omit<AlertRow, 'seq' | 'email_attempts' | 'details' | 'emailed_at' | 'email_error'> & { details: Record<string, unknown> }) {
  return db.insertInto('security_alerts').values({ ...row, details: JSON.stringify(row.details), emailed_at: null, email_error: null }).execute();
}

export function listAlerts(db: Executor, limit: number) {
  return db.selectFrom('security_alerts').selectAll().orderBy('at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
}

export function unsentAlerts(db: Executor, since: Date, maxAttempts: number, limit: number) {
  return db.selectFrom('security_alerts').selectAll().where('emailed_at', 'is', null).where('at', '>=', since).where('email_attempts', '<', maxAttempts).orderBy('seq').limit(limit).execute();
}

export function markEmailed(db: Executor, id: string, at: Date) {
  return db.updateTable('security_alerts').set({ emailed_at: at, email_error: null }).where('id', '=', id).execute();
}

export function markEmailFailed(db: Executor, id: string, attempts: number, error: string) {
  return db.updateTable('security_alerts').set({ email_attempts: attempts, email_error: error.slice(0, 500) }).where('id', '=', id).execute();
}
