/**
 * Search SQL of the catalogue (French full text, `hdh_french` = unaccent + french_stem, prefix
 * matching on every word). Kept apart from repo.ts for size; the same rules apply (only repos write SQL).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../platform/db/database.js';

export interface SearchFilters {
  producer?: string | undefined;
  product?: string | undefined;
  theme?: string | undefined;
  access?: string | undefined;
}

export interface RawHit {
  kind: 'dataset' | 'table' | 'variable' | 'nomenclature' | 'code';
  ref: string;
  title: string;
  subtitle: string;
  text: string;
  product: string | null;
  score: number;
}

/** `'w1':* & 'w2':*` from folded words (letters and digits only, so no quoting issue). */
export function prefixQuery(words: string[]): string {
  return words.map((w) => `'${w}':*`).join(' & ');
}

function datasetFilter(f: SearchFilters, alias: string): RawBuilder<boolean> {
  const d = sql.ref(alias);
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (f.producer) parts.push(sql<boolean>`${d}.producer_id in (select id from catalog_producers where slug = ${f.producer})`);
  if (f.theme) parts.push(sql<boolean>`${f.theme} = any(${d}.themes)`);
  if (f.access) parts.push(sql<boolean>`${d}.access_rights = ${f.access}`);
  if (f.product) parts.push(sql<boolean>`${f.product} = any(${d}.products)`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** A table passes when its product matches and (for dataset-level filters) a covering dataset passes. */
function tableFilter(f: SearchFilters, alias: string): RawBuilder<boolean> {
  const t = sql.ref(alias);
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (f.product) parts.push(sql<boolean>`${t}.product = ${f.product}`);
  if (f.producer || f.theme || f.access) {
    parts.push(sql<boolean>`exists (select 1 from catalog_datasets fd where (${t}.product = any(fd.products) or ${t}.name = any(fd.table_names)) and ${datasetFilter({ ...f, product: undefined }, 'fd')})`);
  }
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

export async function searchHits(db: Executor, tsquery: string, nameLike: string, f: SearchFilters, kinds: Set<RawHit['kind']>, limit: number): Promise<RawHit[]> {
  const q = sql`to_tsquery('hdh_french', ${tsquery})`;
  const hasDatasetFilter = !!(f.producer || f.theme || f.access || f.product);
  const parts: RawBuilder<RawHit>[] = [];
  if (kinds.has('dataset')) {
    parts.push(sql<RawHit>`(select 'dataset' as kind, d.slug as ref, d.title, p.name as subtitle, d.description as text, null::text as product,
        ts_rank(d.search, ${q}) * 1.2 + case when unaccent(lower(d.title)) like ${nameLike.toLowerCase()} then 2 else 0 end as score
      from catalog_datasets d join catalog_producers p on p.id = d.producer_id
      where d.search @@ ${q} and ${datasetFilter(f, 'd')} order by score desc limit ${limit})`);
  }
  if (kinds.has('table')) {
    parts.push(sql<RawHit>`(select 'table' as kind, t.name as ref, t.name as title, t.title as subtitle, t.title || ' ' || t.description as text, t.product,
        ts_rank(t.search, ${q}) + case when upper(t.name) = upper(${nameLike.replace(/%$/, '')}) then 10 when upper(t.name) like upper(${nameLike}) then 5 else 0 end as score
      from catalog_tables t
      where (t.search @@ ${q} or upper(t.name) like upper(${nameLike})) and ${tableFilter(f, 't')} order by score desc limit ${limit})`);
  }
  if (kinds.has('variable')) {
    parts.push(sql<RawHit>`(select 'variable' as kind, t.name || '.' || v.name as ref, v.name as title, t.name as subtitle, v.label as text, t.product,
        ts_rank(v.search, ${q}) + case when upper(v.name) = upper(${nameLike.replace(/%$/, '')}) then 8 when upper(v.name) like upper(${nameLike}) then 4 else 0 end as score
      from catalog_variables v join catalog_tables t on t.id = v.table_id
      where (v.search @@ ${q} or upper(v.name) like upper(${nameLike})) and ${tableFilter(f, 't')} order by score desc limit ${limit})`);
  }
  if (kinds.has('nomenclature') && !hasDatasetFilter) {
    parts.push(sql<RawHit>`(select 'nomenclature' as kind, n.name as ref, n.name as title, n.folder as subtitle, n.title as text, null::text as product,
        ts_rank(n.search, ${q}) * 0.8 + case when upper(n.name) like upper(${nameLike}) then 3 else 0 end as score
      from catalog_nomenclatures n
      where n.search @@ ${q} or upper(n.name) like upper(${nameLike}) order by score desc limit ${limit})`);
  }
  if (kinds.has('code') && !hasDatasetFilter) {
    // Codes are many (400 000 in the SNDS): take the first GIN matches, rank only those.
    parts.push(sql<RawHit>`(select 'code' as kind, n.name || ':' || c.code as ref, c.code as title, n.name as subtitle, coalesce(c.label, '') as text, null::text as product,
        ts_rank(c.search, ${q}) * 0.5 as score
      from (select * from catalog_nomenclature_codes where search @@ ${q} limit ${limit * 5}) c
      join catalog_nomenclatures n on n.id = c.nomenclature_id order by score desc limit ${limit})`);
  }
  if (parts.length === 0) return [];
  const { rows } = await sql<RawHit>`${sql.join(parts, sql` union all `)}`.execute(db);
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

export interface FacetRow {
  facet: 'kind' | 'product' | 'producer' | 'theme' | 'access';
  value: string;
  label: string;
  count: number;
}

/** Facet counts over every match (not only the page shown). Codes are counted up to a cap. */
export async function searchFacets(db: Executor, tsquery: string, nameLike: string, f: SearchFilters, codeCap: number): Promise<FacetRow[]> {
  const q = sql`to_tsquery('hdh_french', ${tsquery})`;
  const hasDatasetFilter = !!(f.producer || f.theme || f.access || f.product);
  const { rows } = await sql<FacetRow>`
    with mt as (select t.id, t.name, t.product from catalog_tables t where (t.search @@ ${q} or upper(t.name) like upper(${nameLike})) and ${tableFilter(f, 't')}),
    mv as (select v.id, t.name, t.product from catalog_variables v join catalog_tables t on t.id = v.table_id where (v.search @@ ${q} or upper(v.name) like upper(${nameLike})) and ${tableFilter(f, 't')}),
    md as (select d.* from catalog_datasets d where d.search @@ ${q} and ${datasetFilter(f, 'd')}),
    hits as (select 'table:' || id as hid, name, product from mt union all select 'variable:' || id, name, product from mv),
    -- Datasets behind every hit: matched datasets themselves, and those covering a matched table or variable.
    hd as (
      select 'dataset:' || md.id as hid, md.producer_id, md.themes, md.access_rights from md
      union all
      select h.hid, d.producer_id, d.themes, d.access_rights from hits h join catalog_datasets d on h.product = any(d.products) or h.name = any(d.table_names)
    )
    select 'kind' as facet, 'dataset' as value, 'dataset' as label, (select count(*) from md)::int as count
    union all select 'kind', 'table', 'table', (select count(*) from mt)::int
    union all select 'kind', 'variable', 'variable', (select count(*) from mv)::int
    union all select 'kind', 'nomenclature', 'nomenclature', case when ${hasDatasetFilter} then 0 else (select count(*) from catalog_nomenclatures n where n.search @@ ${q} or upper(n.name) like upper(${nameLike}))::int end
    union all select 'kind', 'code', 'code', case when ${hasDatasetFilter} then 0 else (select count(*) from (select 1 from catalog_nomenclature_codes where search @@ ${q} limit ${codeCap}) c)::int end
    union all (select 'product', product, product, count(*)::int from hits group by product)
    union all (select 'producer', p.slug, p.name, count(distinct hd.hid)::int from hd join catalog_producers p on p.id = hd.producer_id group by p.slug, p.name)
    union all (select 'theme', th, th, count(distinct hd.hid)::int from hd cross join lateral unnest(hd.themes) th group by th)
    union all (select 'access', access_rights, access_rights, count(distinct hid)::int from hd group by access_rights)
  `.execute(db);
  return rows;
}
