import { sql, type Kysely } from 'kysely';

/**
 * Distributions — distributions: the downloadable releases of a catalogue table (today the
 * synthetic ones). Keyed by release and table name, not by a foreign key, so a release may be
 * registered before or after its tables are imported.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table catalog_distributions (
      release_name text not null,
      release_version integer not null,
      table_name text not null,
      catalog_table text not null,
      synthetic boolean not null,
      row_count bigint not null,
      registered_at timestamptz not null,
      primary key (release_name, release_version, table_name)
    );
    create index catalog_distributions_table_idx on catalog_distributions (catalog_table);
  `.execute(db);
}
