import { sql, type Kysely } from 'kysely';

/**
 * Search documents — one row per dataset, table, variable and nomenclature, with what search
 * ranks, shows and counts in facets already joined: its text vector (copied, not recomputed), its
 * name for prefix matching, and the producers, themes and access levels of the datasets behind it
 * (the dataset itself, or those covering a table by product or by name). A search then reads one
 * relation instead of a dozen joined ones, which matters most on the embedded store, where
 * planning each relation costs about a millisecond. Refreshed in the transaction of every new
 * catalogue version (import or edit). Codes stay in their own table: 400,000 rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create materialized view catalog_search_documents as
    with cover as (
      select t.id as table_id, d.id as dataset_id, p.slug as producer, d.themes, d.access_rights
      from catalog_tables t
      join catalog_datasets d on t.product = any(d.products) or t.name = any(d.table_names)
      join catalog_producers p on p.id = d.producer_id
    ),
    table_facets as (
      select c.table_id, array_agg(distinct c.dataset_id) as dataset_ids, array_agg(distinct c.producer) as producers,
        array(select distinct th from cover c2 cross join unnest(c2.themes) th where c2.table_id = c.table_id) as themes,
        array_agg(distinct c.access_rights) as access
      from cover c group by c.table_id
    )
    select 'dataset'::text as kind, d.slug as ref, d.title, p.name as subtitle, d.description as body, null::text as product,
      null::text as name_upper, unaccent(lower(d.title)) as title_folded, d.search,
      array[d.id] as dataset_ids, array[p.slug] as producers, array(select distinct th from unnest(d.themes) th) as themes, array[d.access_rights] as access
    from catalog_datasets d join catalog_producers p on p.id = d.producer_id
    union all
    select 'table', t.name, t.name, t.title, t.title || ' ' || t.description, t.product, upper(t.name), null, t.search,
      coalesce(f.dataset_ids, '{}'), coalesce(f.producers, '{}'), coalesce(f.themes, '{}'), coalesce(f.access, '{}')
    from catalog_tables t left join table_facets f on f.table_id = t.id
    union all
    select 'variable', t.name || '.' || v.name, v.name, t.name, v.label, t.product, upper(v.name), null, v.search,
      coalesce(f.dataset_ids, '{}'), coalesce(f.producers, '{}'), coalesce(f.themes, '{}'), coalesce(f.access, '{}')
    from catalog_variables v join catalog_tables t on t.id = v.table_id left join table_facets f on f.table_id = t.id
    union all
    select 'nomenclature', n.name, n.name, n.folder, n.title, null, upper(n.name), null, n.search, '{}'::uuid[], '{}'::text[], '{}'::text[], '{}'::text[]
    from catalog_nomenclatures n;

    create index catalog_search_documents_search_idx on catalog_search_documents using gin (search);
    -- LIKE 'BEN\_NIR%' under any collation (a plain btree serves prefixes only under C).
    create index catalog_search_documents_name_idx on catalog_search_documents (name_upper text_pattern_ops);
  `.execute(db);
}
