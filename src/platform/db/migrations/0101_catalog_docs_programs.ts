import { sql, type Kysely } from 'kysely';

/**
 * Documentation pages attached to a dataset, table or variable (markdown, revisions proposed by
 * users and approved by hub staff or the producer before publication), and shared analysis
 * programs attached to tables (versions, licence, search).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table catalog_doc_pages (
      id uuid primary key,
      subject_type text not null check (subject_type in ('dataset', 'table', 'variable')),
      subject_key text not null,
      slug text not null,
      published_number integer,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (subject_type, subject_key, slug)
    );

    create table catalog_doc_revisions (
      page_id uuid not null references catalog_doc_pages(id) on delete cascade,
      number integer not null,
      title text not null,
      body text not null,
      base_number integer,
      diff text not null,
      status text not null check (status in ('proposed', 'published', 'rejected', 'superseded')),
      author_id uuid,
      author_label text not null,
      created_at timestamptz not null,
      reviewer_label text,
      reviewed_at timestamptz,
      review_note text,
      primary key (page_id, number)
    );
    create index catalog_doc_revisions_status_idx on catalog_doc_revisions (status);

    create table catalog_programs (
      id uuid primary key,
      slug text not null unique,
      title text not null,
      description text not null,
      language text not null check (language in ('sql')),
      licence text not null,
      tables text[] not null default '{}',
      author_id uuid,
      author_label text not null,
      current_version integer not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      search tsvector generated always as (
        setweight(to_tsvector('hdh_french', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', replace(hdh_words(tables), '_', ' ')), 'A') ||
        setweight(to_tsvector('hdh_french', coalesce(description, '')), 'B')
      ) stored
    );
    create index catalog_programs_search_idx on catalog_programs using gin (search);
    create index catalog_programs_tables_idx on catalog_programs using gin (tables);

    create table catalog_program_versions (
      program_id uuid not null references catalog_programs(id) on delete cascade,
      version integer not null,
      code text not null,
      note text not null,
      author_id uuid,
      author_label text not null,
      created_at timestamptz not null,
      primary key (program_id, version)
    );
  `.execute(db);
}
