import { sql, type Kysely } from 'kysely';

/**
 * Extractions of a project's perimeter (extraction du périmètre): one row per extract version,
 * its manifest (tables, rows, persons excluded by opposition, key and release versions) and its
 * deletion at the project's end (DP-13). Rows stay after deletion: they are the certificate's memory.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table extracts (
      id uuid primary key,
      project_id uuid not null references projects(id),
      version integer not null,
      status text not null check (status in ('running', 'ready', 'failed', 'deleted')),
      perimeter_version integer not null,
      key_id text not null,
      key_version integer not null,
      releases jsonb not null default '[]'::jsonb,
      opposition_applied boolean not null,
      excluded_by_opposition integer,
      total_rows bigint,
      manifest jsonb,
      manifest_sha256 text,
      error text,
      reason text not null,
      requested_by text not null,
      created_at timestamptz not null,
      finished_at timestamptz,
      deleted_at timestamptz,
      unique (project_id, version)
    );
    create index extracts_project on extracts (project_id, version desc);
    create index extracts_status on extracts (status);
  `.execute(db);
}
