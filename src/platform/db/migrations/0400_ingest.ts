import { sql, type Kysely } from 'kysely';

/**
 * Ingestion — chargements: chunked uploads of producers' files and the loads made from them
 * (validation report, release published). The raw file never enters the database; it is deleted
 * once a load has read it, because it holds NIRs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ingest_uploads (
      id uuid primary key,
      table_name text not null,
      file_name text not null,
      size bigint not null,
      received bigint not null default 0,
      chunk_size integer not null,
      status text not null check (status in ('receiving', 'complete', 'consumed', 'abandoned')),
      created_by uuid references users(id),
      created_by_label text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create table ingest_loads (
      id uuid primary key,
      upload_id uuid references ingest_uploads(id),
      table_name text not null,
      file_name text not null,
      file_bytes bigint not null,
      file_sha256 text,
      policy text not null check (policy in ('reject', 'quarantine')),
      mode text not null check (mode in ('replace', 'append')),
      status text not null check (status in ('validating', 'validated', 'rejected', 'failed', 'published', 'discarded')),
      report jsonb,
      rows_read bigint,
      rows_valid bigint,
      rows_rejected bigint,
      key_id text,
      key_version integer,
      catalogue_version integer,
      release_name text,
      release_version integer,
      error text,
      created_by uuid references users(id),
      created_by_label text not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      published_at timestamptz
    );
    create index ingest_loads_table_idx on ingest_loads (table_name, started_at desc);
  `.execute(db);
}
