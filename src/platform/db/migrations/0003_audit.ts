import { sql, type Kysely } from 'kysely';

/**
 * The append-only, hash-chained audit log (LOG-01..LOG-07). The trigger refuses UPDATE, DELETE
 * and TRUNCATE for every role but a superuser who first disables it, so the application cannot
 * rewrite history; `hdh audit verify` detects whoever did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_events (
      seq bigint primary key,
      occurred_at timestamptz not null,
      actor_id uuid,
      actor_label text not null,
      actor_role text,
      action text not null,
      target_type text,
      target_id text,
      project_id text,
      outcome text not null check (outcome in ('success', 'failure', 'denied')),
      source_ip text,
      details jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null
    );
    create index audit_events_actor_idx on audit_events (actor_id, seq);
    create index audit_events_action_idx on audit_events (action, seq);
    create index audit_events_time_idx on audit_events (occurred_at);
    create index audit_events_project_idx on audit_events (project_id, seq) where project_id is not null;

    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only (% refused)', tg_op using errcode = '42501';
    end;
    $$;
    create trigger audit_events_no_update before update or delete on audit_events
      for each row execute function audit_events_append_only();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only();

    create table audit_seals (
      day date primary key,
      last_seq bigint not null,
      head_hash text not null,
      event_count bigint not null,
      sealed_at timestamptz not null,
      key_id text not null,
      signature text not null
    );
    create trigger audit_seals_no_update before update or delete on audit_seals
      for each row execute function audit_events_append_only();
  `.execute(db);
}
