/**
 * DuckDB's SQL for CodeMirror: PostgreSQL's grammar (DuckDB follows it) with DuckDB's own
 * keywords, types and common functions, and the perimeter's tables and columns for completion.
 * Only the lazily loaded editor imports this file, so CodeMirror stays out of the main bundle.
 */
import type { Completion } from '@codemirror/autocomplete';
import { PostgreSQL, SQLDialect, type SQLNamespace } from '@codemirror/lang-sql';
import type { DictionaryTable } from './types.ts';

const duckdbKeywords =
  'qualify pivot unpivot pivot_longer pivot_wider summarize describe exclude replace columns struct map list union_by_name asof positional semi anti sample tablesample using macro ilike glob similar lambda';
const duckdbTypes =
  'tinyint smallint integer bigint hugeint utinyint usmallint uinteger ubigint uhugeint float double decimal varchar blob boolean date time timestamp timestamptz interval uuid json list struct map union enum bit';
const duckdbBuiltins =
  'count sum avg min max median mode quantile_cont quantile_disc stddev variance string_agg list_agg array_agg approx_count_distinct first last any_value arg_min arg_max ' +
  'date_trunc date_part datediff date_diff strftime strptime year month day epoch extract make_date current_date ' +
  'coalesce nullif ifnull greatest least round floor ceil abs ln log exp sqrt power cast try_cast regexp_matches regexp_replace regexp_extract lower upper trim length substr substring left right concat concat_ws split_part starts_with contains prefix suffix ' +
  'row_number rank dense_rank ntile lag lead first_value last_value percent_rank cume_dist generate_series range unnest';

export const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: `${PostgreSQL.spec.keywords ?? ''} ${duckdbKeywords}`,
  types: `${PostgreSQL.spec.types ?? ''} ${duckdbTypes}`,
  builtin: `${PostgreSQL.spec.builtin ?? ''} ${duckdbBuiltins}`,
});

/** The dictionary as a completion schema: tables (with their label) → columns (type, label). */
export function completionSchema(dictionary: readonly DictionaryTable[]): SQLNamespace {
  const schema: Record<string, SQLNamespace> = {};
  for (const table of dictionary) {
    const columns: Completion[] = table.columns.map((c) => ({ label: c.name, type: 'property', detail: c.type, info: c.label || undefined }));
    schema[table.table] = { self: { label: table.table, type: 'type', detail: table.label || undefined }, children: columns };
  }
  return schema;
}
