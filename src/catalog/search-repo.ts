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

/**
 * The filters on a search document: a dataset passes on its own fields; a table or variable when
 * its product matches and (for dataset-level filters) a dataset covering it passes; nomenclatures
 * and codes belong to no dataset, so any filter leaves them out.
 */
function documentFilter(f: SearchFilters): RawBuilder<boolean> {
  if (!(f.producer || f.theme || f.access || f.product)) return sql<boolean>`true`;
  const covered = (g: SearchFilters) => sql<boolean>`exists (select 1 from catalog_datasets fd where fd.id = any(m.dataset_ids) and ${datasetFilter(g, 'fd')})`;
  const table: RawBuilder<boolean>[] = [sql<boolean>`m.kind in ('table', 'variable')`];
  if (f.product) table.push(sql<boolean>`m.product = ${f.product}`);
  if (f.producer || f.theme || f.access) table.push(covered({ ...f, product: undefined }));
  return sql<boolean>`((m.kind = 'dataset' and ${covered(f)}) or (${sql.join(table, sql` and `)}))`;
}

export interface FacetRow {
  facet: 'kind' | 'product' | 'producer' | 'theme' | 'access';
  value: string;
  label: string;
  count: number;
}

/**
 * One search in one statement: the matching documents (catalog_search_documents) are found once
 * and give both the best hits (names first: an exact or prefix match of a table, variable or
 * nomenclature name outranks any text match) and the facet counts over every match; codes come
 * from their own table, the first GIN matches ranked, counted up to `codeCap`.
 */
export async function searchDocuments(
  db: Executor,
  input: { tsquery: string; nameLike: string; filters: SearchFilters; kinds: Set<RawHit['kind']>; limit: number; codeCap: number },
): Promise<{ hits: RawHit[]; facets: FacetRow[] }> {
  const { filters: f, kinds, limit, codeCap } = input;
  const q = sql`to_tsquery('hdh_french', ${input.tsquery})`;
  const like = input.nameLike;
  const exact = like.replace(/%$/, '');
  const withCodes = !(f.producer || f.theme || f.access || f.product);
  const docKinds = [...kinds].filter((k) => k !== 'code');
  const codes = withCodes && kinds.has('code')
    ? sql`select 'code' as kind, n.name || ':' || c.code as ref, c.code as title, n.name as subtitle, coalesce(c.label, '') as text, null::text as product, ts_rank(c.search, ${q}) * 0.5 as score
        from (select * from catalog_nomenclature_codes where search @@ ${q} limit ${limit * 5}) c
        join catalog_nomenclatures n on n.id = c.nomenclature_id order by score desc, title, ref limit ${limit}`
    : sql`select null::text as kind, null::text as ref, null::text as title, null::text as subtitle, null::text as text, null::text as product, null::float8 as score where false`;
  const codeCount = withCodes ? sql`(select count(*) from (select 1 from catalog_nomenclature_codes where search @@ ${q} limit ${codeCap}) c)::int` : sql`0`;
  const { rows } = await sql<{ hits: RawHit[]; facets: FacetRow[] }>`
    with m as materialized (
      select m.kind, m.ref, m.title, m.subtitle, m.body, m.product, m.name_upper, m.title_folded, m.search, m.producers, m.themes, m.access
      from catalog_search_documents m
      where (m.search @@ ${q} or m.name_upper like upper(${like})) and ${documentFilter(f)}
    ),
    top as (
      select kind, ref, title, subtitle, body as text, product,
        ts_rank(search, ${q}) * case kind when 'dataset' then 1.2 when 'nomenclature' then 0.8 else 1 end
        + case kind
            when 'dataset' then case when title_folded like ${like.toLowerCase()} then 2 else 0 end
            when 'table' then case when name_upper = upper(${exact}) then 10 when name_upper like upper(${like}) then 5 else 0 end
            when 'variable' then case when name_upper = upper(${exact}) then 8 when name_upper like upper(${like}) then 4 else 0 end
            else case when name_upper like upper(${like}) then 3 else 0 end
          end as score
      from m where kind = any(${docKinds}::text[]) order by score desc, title, ref limit ${limit}
    ),
    codes as (${codes}),
    facets as (
      select 'kind' as facet, kind as value, kind as label, count(*)::int as count from m group by kind
      union all select 'kind', 'code', 'code', ${codeCount}
      union all (select 'product', product, product, count(*)::int from m where kind in ('table', 'variable') group by product)
      union all (select 'producer', p.slug, p.name, count(*)::int from m cross join unnest(m.producers) s join catalog_producers p on p.slug = s group by p.slug, p.name)
      union all (select 'theme', th, th, count(*)::int from m cross join unnest(m.themes) th group by th)
      union all (select 'access', a, a, count(*)::int from m cross join unnest(m.access) a group by a)
    )
    select (select coalesce(json_agg(h), '[]') from (select * from top union all select * from codes) h) as hits,
      (select coalesce(json_agg(f), '[]') from facets f) as facets
  `.execute(db);
  const row = rows[0]!;
  return { hits: row.hits.map((h) => ({ ...h, score: Number(h.score) })), facets: row.facets };
}

/** Rebuilds the search documents from the catalogue: in the transaction that makes a new version. */
export async function refreshSearchDocuments(db: Executor): Promise<void> {
  await sql`refresh materialized view catalog_search_documents`.execute(db);
}
