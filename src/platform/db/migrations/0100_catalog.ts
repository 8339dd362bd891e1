import { sql, type Kysely } from 'kysely';

/**
 * The catalogue: producers, datasets (HealthDCAT-AP level), tables, variables, nomenclatures and
 * their codes, joins, catalogue versions and the change log of every edit. Search uses a French
 * text search configuration that also strips accents (`hdh_french` = unaccent + french_stem), so
 * "décès", "déces" and "deces" meet on one lexeme.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists unaccent;
    create extension if not exists pg_trgm;
    create text search configuration hdh_french (copy = pg_catalog.french);
    alter text search configuration hdh_french alter mapping for hword, hword_part, word with unaccent, french_stem;
    -- array_to_string is only STABLE (element output functions in general); on text[] it cannot
    -- vary, so this wrapper may be IMMUTABLE and feed a generated search column.
    create function hdh_words(text[]) returns text language sql immutable parallel safe as $$ select array_to_string($1, ' ') $$;

    create table catalog_versions (
      number integer primary key,
      created_at timestamptz not null,
      actor_id uuid,
      actor_label text not null,
      source text not null,
      summary jsonb not null
    );

    -- What changed, one row per added / changed / removed entity (who, when, what: before and after).
    create table catalog_changes (
      id bigint generated always as identity primary key,
      version_number integer not null references catalog_versions(number),
      occurred_at timestamptz not null,
      actor_label text not null,
      entity_type text not null check (entity_type in ('producer', 'dataset', 'table', 'variable', 'nomenclature', 'join')),
      entity_key text not null,
      table_name text,
      change text not null check (change in ('added', 'changed', 'removed')),
      before jsonb,
      after jsonb
    );
    create index catalog_changes_entity_idx on catalog_changes (entity_type, entity_key);
    create index catalog_changes_table_idx on catalog_changes (table_name);
    create index catalog_changes_version_idx on catalog_changes (version_number);

    create table catalog_producers (
      id uuid primary key,
      slug text not null unique,
      name text not null,
      url text,
      email text,
      organisation_id uuid references organisations(id),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table catalog_datasets (
      id uuid primary key,
      slug text not null unique,
      producer_id uuid not null references catalog_producers(id),
      title text not null,
      description text not null,
      contact_name text not null,
      contact_email text not null,
      themes text[] not null default '{}',
      keywords text[] not null default '{}',
      temporal_start date,
      temporal_end date,
      spatial text,
      update_frequency text,
      access_rights text not null check (access_rights in ('public', 'restricted', 'non_public')),
      legal_basis text,
      number_of_records bigint,
      number_of_unique_individuals bigint,
      population_coverage text,
      coding_systems text[] not null default '{}',
      quality_annotations text,
      version text,
      issued date,
      modified date,
      licence text,
      landing_page text,
      -- Which tables it covers: whole product folders and single tables (by name).
      products text[] not null default '{}',
      table_names text[] not null default '{}',
      source text not null,
      revision integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      search tsvector generated always as (
        setweight(to_tsvector('hdh_french', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('hdh_french', hdh_words(keywords) || ' ' || hdh_words(themes)), 'B') ||
        setweight(to_tsvector('hdh_french', coalesce(description, '')), 'C')
      ) stored
    );
    create index catalog_datasets_search_idx on catalog_datasets using gin (search);

    create table catalog_tables (
      id uuid primary key,
      name text not null unique,
      product text not null,
      title text not null,
      description text not null default '',
      scope text not null default '',
      history jsonb not null,
      primary_key text[] not null default '{}',
      -- PMSI schemas are year templates (T_MCOaaB stands for T_MCO19B…): the concrete names match this.
      name_pattern text,
      missing_values text[] not null default '{}',
      extra jsonb not null default '{}',
      source text not null,
      source_path text not null,
      content_hash text not null,
      revision integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      search tsvector generated always as (
        setweight(to_tsvector('simple', replace(name, '_', ' ')), 'A') ||
        setweight(to_tsvector('hdh_french', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('hdh_french', coalesce(description, '') || ' ' || coalesce(scope, '')), 'C')
      ) stored
    );
    create index catalog_tables_search_idx on catalog_tables using gin (search);
    create index catalog_tables_product_idx on catalog_tables (product);

    create table catalog_variables (
      id uuid primary key,
      table_id uuid not null references catalog_tables(id) on delete cascade,
      position integer not null,
      name text not null,
      label text not null default '',
      type text not null,
      length text,
      format text,
      nomenclature text,
      nomenclature_column text,
      date_created text,
      date_deleted text,
      date_missing text[] not null default '{}',
      management_rule text not null default '',
      observation text not null default '',
      sensitivity text check (sensitivity in ('direct_identifier', 'potential_identifier', 'health_data')),
      constraints jsonb,
      extra jsonb not null default '{}',
      content_hash text not null,
      revision integer not null default 1,
      search tsvector generated always as (
        setweight(to_tsvector('simple', replace(name, '_', ' ')), 'A') ||
        setweight(to_tsvector('hdh_french', coalesce(label, '')), 'B') ||
        setweight(to_tsvector('hdh_french', coalesce(management_rule, '') || ' ' || coalesce(observation, '')), 'D')
      ) stored,
      unique (table_id, name)
    );
    create index catalog_variables_search_idx on catalog_variables using gin (search);
    create index catalog_variables_name_idx on catalog_variables (upper(name));
    create index catalog_variables_nomenclature_idx on catalog_variables (nomenclature);

    create table catalog_nomenclatures (
      id uuid primary key,
      name text not null unique,
      title text not null default '',
      description text not null default '',
      folder text not null,
      columns jsonb not null,
      code_column text not null,
      label_column text,
      primary_key text[] not null default '{}',
      has_data boolean not null,
      code_count integer not null default 0,
      source text not null,
      source_path text not null,
      content_hash text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      search tsvector generated always as (
        setweight(to_tsvector('simple', replace(name, '_', ' ')), 'A') ||
        setweight(to_tsvector('hdh_french', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('hdh_french', coalesce(description, '')), 'C')
      ) stored
    );
    create index catalog_nomenclatures_search_idx on catalog_nomenclatures using gin (search);

    -- Codes are not always unique in a nomenclature (IR_GEO_V is keyed by department + commune):
    -- a row number keeps each line of the file.
    create table catalog_nomenclature_codes (
      nomenclature_id uuid not null references catalog_nomenclatures(id) on delete cascade,
      row_no integer not null,
      code text not null,
      label text,
      valid_from text,
      valid_to text,
      "values" text[] not null,
      search tsvector generated always as (to_tsvector('hdh_french', coalesce(label, ''))) stored,
      primary key (nomenclature_id, row_no)
    );
    create index catalog_codes_search_idx on catalog_nomenclature_codes using gin (search);
    create index catalog_codes_code_idx on catalog_nomenclature_codes (nomenclature_id, code);
    create index catalog_codes_code_any_idx on catalog_nomenclature_codes (upper(code));

    -- Joins (foreign keys): the referenced table is kept by name, since a schema may name a table
    -- the catalogue does not hold (yet).
    create table catalog_joins (
      id uuid primary key,
      from_table_id uuid not null references catalog_tables(id) on delete cascade,
      position integer not null,
      from_fields text[] not null,
      to_table text not null,
      to_fields text[] not null,
      description text not null default '',
      content_hash text not null,
      unique (from_table_id, position)
    );
    create index catalog_joins_to_idx on catalog_joins (to_table);
  `.execute(db);
}
