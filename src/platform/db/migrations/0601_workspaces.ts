import { sql, type Kysely } from 'kysely';

/**
 * Project workspaces (espaces de travail): the query history (LOG-01 also writes each query to the
 * audit chain), programs shared within a project and their versions, jobs, personal API tokens
 * for jobs, and the deletion certificates written when a project ends (DP-13).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table workspace_queries (
      id uuid primary key,
      seq bigint generated always as identity,
      project_id uuid not null references projects(id),
      user_id uuid not null references users(id),
      sql text not null,
      sql_sha256 text not null,
      source text not null check (source in ('interactive', 'job')),
      job_id uuid,
      status text not null check (status in ('running', 'done', 'failed', 'cancelled')),
      started_at timestamptz not null,
      finished_at timestamptz,
      duration_ms integer,
      row_count integer,
      truncated boolean,
      error_code text,
      error_message text
    );
    create index workspace_queries_user on workspace_queries (project_id, user_id, started_at desc, seq desc);

    create table workspace_programs (
      id uuid primary key,
      project_id uuid not null references projects(id),
      name text not null,
      description text not null default '',
      latest_version integer not null,
      source_program text,
      source_version integer,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null,
      updated_by text not null,
      unique (project_id, name)
    );

    create table workspace_program_versions (
      program_id uuid not null references workspace_programs(id) on delete cascade,
      version integer not null,
      sql text not null,
      comment text,
      created_at timestamptz not null,
      created_by text not null,
      primary key (program_id, version)
    );

    create table api_tokens (
      id uuid primary key,
      user_id uuid not null references users(id),
      project_id uuid not null references projects(id),
      label text not null,
      token_sha256 text not null unique,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    create index api_tokens_user on api_tokens (user_id);

    create table workspace_jobs (
      id uuid primary key,
      project_id uuid not null references projects(id),
      user_id uuid not null references users(id),
      program_id uuid not null references workspace_programs(id),
      version integer not null,
      parameters jsonb not null default '{}'::jsonb,
      status text not null check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
      via text not null check (via in ('web', 'token')),
      token_id uuid references api_tokens(id),
      created_by text not null,
      log jsonb not null default '[]'::jsonb,
      result_tables jsonb not null default '[]'::jsonb,
      created_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz
    );
    create index workspace_jobs_project on workspace_jobs (project_id, created_at desc);

    create table workspace_deletions (
      project_id uuid primary key references projects(id),
      deleted_at timestamptz not null,
      deleted_by text not null,
      reason text not null,
      certificate jsonb not null,
      certificate_sha256 text not null
    );
  `.execute(db);
}
