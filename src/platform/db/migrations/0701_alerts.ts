import { sql, type Kysely } from 'kysely';

/**
 * Security alerts (LOG-08): one row per alert raised (an unreleased file asked for, an unusually
 * large export…), listed for the security officers and e-mailed to them through an outbox
 * (`emailed_at`, retried by the hourly job).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table security_alerts (
      id uuid primary key,
      seq bigint generated always as identity,
      at timestamptz not null,
      rule text not null,
      severity text not null check (severity in ('low', 'medium', 'high')),
      actor_id uuid,
      actor_label text not null,
      project_id uuid,
      details jsonb not null default '{}'::jsonb,
      emailed_at timestamptz,
      email_attempts integer not null default 0,
      email_error text
    );
    create index security_alerts_at on security_alerts (at desc, seq desc);
    create index security_alerts_unsent on security_alerts (at) where emailed_at is null;
  `.execute(db);
}
