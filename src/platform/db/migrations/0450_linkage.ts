import { sql, type Kysely } from 'kysely';

/**
 * Record linkage — appariement: each run (deterministic or probabilistic) with its parameters,
 * state and quality report (counts and model only: no trait, no NIR, no pseudonym), and the
 * files uploaded for probabilistic runs (metadata only; the files live in a folder of the data
 * directory and are deleted once used).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table linkage_runs (
      id uuid primary key,
      kind text not null check (kind in ('deterministic', 'probabilistic')),
      status text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
      description text not null,
      started_by_id uuid references users(id),
      started_by_label text not null,
      runner text,
      parameters jsonb not null,
      report jsonb,
      links bigint,
      match_rate double precision,
      release_name text,
      release_version integer,
      error_code text,
      error_params jsonb,
      created_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz
    );
    create index linkage_runs_created on linkage_runs (created_at desc);

    create table linkage_uploads (
      id uuid primary key,
      name text not null,
      format text not null check (format in ('csv', 'parquet')),
      bytes bigint not null,
      uploaded_by_id uuid references users(id),
      uploaded_by_label text not null,
      uploaded_at timestamptz not null,
      used_by_run uuid references linkage_runs(id),
      removed_at timestamptz
    );
  `.execute(db);
}
