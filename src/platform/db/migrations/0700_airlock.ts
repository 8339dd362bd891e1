import { sql, type Kysely } from 'kysely';

/**
 * The output airlock (sas de sortie; EXP-01..EXP-08, SDC-01..SDC-10): release requests, their
 * files and immutable versions (cells, column roles, check report), chart attachments, reviewers'
 * votes per round, the request's history, and the disclosure-control settings of the hub and of
 * each catalogue dataset. Versions and attachments refuse UPDATE and DELETE: what was checked and
 * reviewed is what leaves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table airlock_requests (
      id uuid primary key,
      seq bigint generated always as identity,
      project_id uuid not null references projects(id),
      project_reference text not null,
      project_title text not null,
      title text not null,
      status text not null check (status in ('draft', 'submitted', 'quarantined', 'under_review', 'changes_requested', 'approved', 'released', 'rejected', 'withdrawn')),
      round integer not null default 1,
      created_at timestamptz not null,
      created_by uuid not null references users(id),
      created_by_name text not null,
      submitted_at timestamptz,
      released_at timestamptz,
      override_justification text,
      updated_at timestamptz not null
    );
    create index airlock_requests_project on airlock_requests (project_id, created_at desc, seq desc);
    create index airlock_requests_status on airlock_requests (status, submitted_at);

    create table airlock_files (
      id uuid primary key,
      seq bigint generated always as identity,
      request_id uuid not null references airlock_requests(id),
      project_id uuid not null references projects(id),
      name text not null,
      context text not null,
      source jsonb not null,
      current_version integer not null,
      created_at timestamptz not null,
      created_by uuid not null references users(id),
      removed_at timestamptz,
      released_version integer,
      released_path text,
      released_sha256 text,
      released_size bigint,
      released_rows integer,
      released_at timestamptz,
      published_at timestamptz,
      published_by uuid references users(id)
    );
    create index airlock_files_request on airlock_files (request_id, seq);
    create index airlock_files_released on airlock_files (project_id) where released_at is not null;

    create table airlock_file_versions (
      file_id uuid not null references airlock_files(id),
      version integer not null,
      created_at timestamptz not null,
      created_by uuid not null references users(id),
      note text not null,
      columns jsonb not null,
      header jsonb not null,
      rows jsonb not null,
      row_count integer not null,
      model jsonb,
      report jsonb not null,
      verdict text not null check (verdict in ('pass', 'review', 'fail')),
      content_sha256 text not null,
      primary key (file_id, version)
    );

    create table airlock_attachments (
      id uuid primary key,
      file_id uuid not null references airlock_files(id),
      name text not null,
      media_type text not null check (media_type in ('image/svg+xml', 'image/png')),
      size integer not null,
      sha256 text not null,
      content bytea not null,
      created_at timestamptz not null
    );
    create index airlock_attachments_file on airlock_attachments (file_id);

    create table airlock_votes (
      seq bigint generated always as identity,
      request_id uuid not null references airlock_requests(id),
      round integer not null,
      reviewer_id uuid not null references users(id),
      reviewer_name text not null,
      decision text not null check (decision in ('approve', 'changes_requested', 'reject')),
      comment text,
      override_justification text,
      at timestamptz not null,
      primary key (request_id, round, reviewer_id)
    );

    create table airlock_events (
      id uuid primary key,
      seq bigint generated always as identity,
      request_id uuid not null references airlock_requests(id),
      at timestamptz not null,
      actor_id uuid,
      actor_label text not null,
      action text not null,
      from_status text,
      to_status text not null,
      round integer not null,
      comment text
    );
    create index airlock_events_request on airlock_events (request_id, seq);

    create table airlock_settings (
      scope text primary key,
      settings jsonb not null,
      updated_at timestamptz not null,
      updated_by text not null
    );

    create function airlock_immutable() returns trigger language plpgsql as $$
    begin
      raise exception '% is immutable (% refused)', tg_table_name, tg_op using errcode = '42501';
    end;
    $$;
    create trigger airlock_file_versions_immutable before update or delete on airlock_file_versions
      for each row execute function airlock_immutable();
    create trigger airlock_votes_immutable before update or delete on airlock_votes
      for each row execute function airlock_immutable();
    create trigger airlock_attachments_immutable before update or delete on airlock_attachments
      for each row execute function airlock_immutable();
  `.execute(db);
}
