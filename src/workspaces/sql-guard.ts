/**
 * What workspace SQL may do — the statement check (contrôle des requêtes). The engine's own
 * sandbox (allowed folder, external access off, configuration locked) is the second wall; this
 * is the first, and it fails closed:
 *
 * 1. the text is classified by its leading words into one of five allowed forms — a query,
 *    `CREATE [OR REPLACE] TABLE|VIEW name AS <query>`, `INSERT INTO name [(cols)] <query>`,
 *    `DROP TABLE|VIEW [IF EXISTS] name` — anything else (ATTACH, COPY, EXPORT, INSTALL, LOAD,
 *    SET, RESET, PRAGMA, CALL, CREATE SECRET|MACRO…) is refused by name;
 * 2. DuckDB's parser must find exactly one statement in the whole text;
 * 3. the query part is parsed by DuckDB (`json_serialize_sql`, no binding) and its tree walked:
 *    every table function must be on a short list, no scalar function may touch settings, logs
 *    or files, and every table read must be an extract view, a scratch object or a CTE of the
 *    query — which rules out file paths, URLs and DuckDB's system views.
 * A statement type check alone is not enough: `SELECT * FROM enable_logging()` is a SELECT.
 */
import { HdhError, registerMessages } from '../platform/errors.js';
import { codeOnly } from './sql-text.js';

registerMessages({
  'workspace.sql_empty': { fr: 'La requête est vide.', en: 'The query is empty.' },
  'workspace.sql_too_long': { fr: 'La requête dépasse {max} caractères.', en: 'The query exceeds {max} characters.' },
  'workspace.sql_invalid': { fr: 'Requête invalide : {message}', en: 'Invalid query: {message}' },
  'workspace.multiple_statements': { fr: 'Une seule instruction à la fois (utilisez un programme pour en enchaîner plusieurs).', en: 'One statement at a time (use a program to chain several).' },
  'workspace.statement_not_allowed': { fr: 'Instruction non autorisée dans l’espace de travail : {statement}', en: 'Statement not allowed in the workspace: {statement}' },
  'workspace.function_not_allowed': { fr: 'Fonction non autorisée dans l’espace de travail : {name}', en: 'Function not allowed in the workspace: {name}' },
  'workspace.table_not_allowed': { fr: 'Table inconnue ou non autorisée : {name}', en: 'Unknown or forbidden table: {name}' },
  'workspace.name_reserved': { fr: 'Le nom {name} est réservé aux tables de l’extraction.', en: 'The name {name} is reserved for the extract’s tables.' },
});

export type StatementKind = 'select' | 'create_table' | 'create_view' | 'insert' | 'drop';

export interface Classified {
  kind: StatementKind;
  /** Object created, filled or dropped (lower case), null for a query. */
  target: string | null;
  /** The query part to parse and check, null for DROP. */
  select: string | null;
  /** DuckDB's statement type this must run as (checked again when it ran). */
  expectedType: 'SELECT' | 'CREATE' | 'INSERT' | 'DROP';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** DuckDB resolves these system views without qualification: no object or CTE may take their names. */
const SYSTEM_NAME = /^(duckdb_|pragma_|sqlite_|pg_|information_schema|hdh_)/i;
const QUERY_START = new Set(['select', 'with', 'from', 'values', 'table', 'describe', 'summarize', '(']);

/** Table functions a query may call: generators and JSON/list helpers, nothing that reads or reports. */
export const allowedTableFunctions = new Set(['range', 'generate_series', 'unnest', 'repeat', 'repeat_row', 'json_each', 'json_tree', 'histogram', 'histogram_values']);

/** Scalar functions that read settings, write logs, stall, or belong to file/system families. */
const deniedFunctions = new Set(['current_setting', 'getenv', 'write_log', 'sleep_ms', 'pg_sleep', 'current_query', 'json_execute_serialized_sql', 'parse_duckdb_log_message', 'checkpoint', 'force_checkpoint', 'glob', 'query', 'query_table', 'which_secret', 'sql_auto_complete']);
const deniedPrefixes = ['pragma_', 'duckdb_', 'read_', 'enable_', 'disable_', 'parquet_', 'sqlite_', 'postgres_', 'mysql_', 'iceberg_', 'delta_', 'sniff_', 'truncate_duckdb'];

function deny(code: string, status: number, params: Record<string, unknown> = {}): never {
  throw new HdhError(code, status, params);
}

interface Token {
  word: string;
  end: number;
}

/** The first words of the code (strings and comments blanked), lower-cased, with their end offsets. */
function leadingTokens(sql: string, count: number): Token[] {
  const code = codeOnly(sql);
  const tokens: Token[] = [];
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*|"[^"]*"|\(|\)|,|\.|;|\S)/y;
  let m: RegExpExecArray | null;
  while (tokens.length < count && (m = re.exec(code))) tokens.push({ word: m[1]!.toLowerCase(), end: re.lastIndex });
  return tokens;
}

function targetName(token: Token | undefined, after: Token | undefined, reserved: ReadonlySet<string>): string {
  if (!token || !NAME.test(token.word)) deny('workspace.statement_not_allowed', 403, { statement: 'qualified or quoted object names' });
  if (after?.word === '.') deny('workspace.statement_not_allowed', 403, { statement: 'qualified object names' });
  if (reserved.has(token.word) || SYSTEM_NAME.test(token.word)) deny('workspace.name_reserved', 403, { name: token.word.toUpperCase() });
  return token.word;
}

/** Step 1: the form of the statement, from its leading words. `reserved`: extract view names, lower case. */
export function classify(sql: string, reserved: ReadonlySet<string>, maxLength: number): Classified {
  if (sql.length > maxLength) deny('workspace.sql_too_long', 400, { max: maxLength });
  const t = leadingTokens(sql, 12);
  if (t.length === 0 || t[0]!.word === ';') deny('workspace.sql_empty', 400);
  const w = (i: number) => t[i]?.word;
  const first = w(0)!;
  if (QUERY_START.has(first)) return { kind: 'select', target: null, select: sql, expectedType: 'SELECT' };

  if (first === 'create') {
    let i = 1;
    if (w(i) === 'or' && w(i + 1) === 'replace') i += 2;
    const object = w(i);
    if (object !== 'table' && object !== 'view') deny('workspace.statement_not_allowed', 403, { statement: `CREATE ${(object ?? '').toUpperCase()}` });
    i++;
    if (w(i) === 'if' && w(i + 1) === 'not' && w(i + 2) === 'exists') i += 3;
    const target = targetName(t[i], t[i + 1], reserved);
    if (w(i + 1) !== 'as') deny('workspace.statement_not_allowed', 403, { statement: `CREATE ${object.toUpperCase()} without AS <query>` });
    const select = sql.slice(t[i + 1]!.end);
    return { kind: object === 'table' ? 'create_table' : 'create_view', target, select, expectedType: 'CREATE' };
  }

  if (first === 'insert') {
    if (w(1) !== 'into') deny('workspace.statement_not_allowed', 403, { statement: 'INSERT' });
    const target = targetName(t[2], t[3], reserved);
    let end = t[2]!.end;
    if (w(3) === '(') {
      // A column list: bare names and commas up to the closing parenthesis.
      const all = leadingTokens(sql, 2000);
      let j = 4;
      while (all[j] && all[j]!.word !== ')') {
        if (all[j]!.word !== ',' && !NAME.test(all[j]!.word)) deny('workspace.statement_not_allowed', 403, { statement: 'INSERT with this column list' });
        j++;
      }
      if (!all[j]) deny('workspace.sql_invalid', 400, { message: 'unclosed column list' });
      end = all[j]!.end;
    }
    return { kind: 'insert', target, select: sql.slice(end), expectedType: 'INSERT' };
  }

  if (first === 'drop') {
    const object = w(1);
    if (object !== 'table' && object !== 'view') deny('workspace.statement_not_allowed', 403, { statement: `DROP ${(object ?? '').toUpperCase()}` });
    let i = 2;
    if (w(i) === 'if' && w(i + 1) === 'exists') i += 2;
    const target = targetName(t[i], t[i + 1], reserved);
    const rest = t.slice(i + 1).filter((x) => x.word !== ';');
    if (rest.length) deny('workspace.statement_not_allowed', 403, { statement: `DROP … ${rest[0]!.word.toUpperCase()}` });
    return { kind: 'drop', target, select: null, expectedType: 'DROP' };
  }

  deny('workspace.statement_not_allowed', 403, { statement: first.toUpperCase() });
}

type JsonNode = Record<string, unknown>;

/**
 * Step 3: walks DuckDB's parse tree of the query part. `known`: tables and views the query may
 * read (extract views and the session's scratch objects), lower case.
 */
export function checkTree(serialized: string, known: ReadonlySet<string>): void {
  let tree: { error: boolean; error_message?: string; statements?: unknown[] };
  try {
    tree = JSON.parse(serialized) as typeof tree;
  } catch {
    deny('workspace.sql_invalid', 400, { message: 'unreadable parse tree' });
  }
  if (tree.error) {
    const message = String(tree.error_message ?? 'syntax error');
    if (/Only SELECT statements/i.test(message)) deny('workspace.statement_not_allowed', 403, { statement: 'this form of query' });
    deny('workspace.sql_invalid', 400, { message: message.slice(0, 300) });
  }
  if (!tree.statements || tree.statements.length !== 1) deny('workspace.multiple_statements', 400);
  walk(tree.statements, known, new Set());
}

/** The CTE names a node defines; they are visible in that node's subtree only. */
function ctesOf(o: JsonNode, outer: ReadonlySet<string>): ReadonlySet<string> {
  const map = (o.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
  if (!Array.isArray(map) || map.length === 0) return outer;
  const scope = new Set(outer);
  for (const entry of map) {
    const key = String(entry.key ?? '');
    if (SYSTEM_NAME.test(key)) deny('workspace.name_reserved', 403, { name: key });
    scope.add(key.toLowerCase());
  }
  return scope;
}

function checkFunction(name: string, schema: unknown, catalog: unknown): void {
  const n = name.toLowerCase();
  if ((schema && schema !== 'main') || catalog) deny('workspace.function_not_allowed', 403, { name: `${String(schema)}.${name}` });
  if (deniedFunctions.has(n) || deniedPrefixes.some((p) => n.startsWith(p))) deny('workspace.function_not_allowed', 403, { name });
}

function walk(node: unknown, known: ReadonlySet<string>, ctes: ReadonlySet<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, known, ctes);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as JsonNode;
  ctes = ctesOf(o, ctes);
  if (o.type === 'TABLE_FUNCTION') {
    const fn = o.function as JsonNode | undefined;
    const name = String(fn?.function_name ?? '');
    if (!allowedTableFunctions.has(name.toLowerCase()) || fn?.schema || fn?.catalog) deny('workspace.function_not_allowed', 403, { name });
  } else if (o.type === 'BASE_TABLE') {
    const name = String(o.table_name ?? '');
    const qualified = (o.catalog_name && o.catalog_name !== '') || (o.schema_name && o.schema_name !== '' && o.schema_name !== 'main');
    if (qualified || !NAME.test(name) || !(known.has(name.toLowerCase()) || ctes.has(name.toLowerCase()))) deny('workspace.table_not_allowed', 403, { name: [o.catalog_name, o.schema_name, name].filter(Boolean).join('.') });
  } else if (o.type === 'SHOW_REF') {
    if ((o.show_type !== 'DESCRIBE' && o.show_type !== 'SUMMARY') || o.table_name) deny('workspace.statement_not_allowed', 403, { statement: `SHOW ${String(o.table_name ?? '')}`.trim() });
  }
  if (typeof o.function_name === 'string') checkFunction(o.function_name, o.schema, o.catalog);
  for (const v of Object.values(o)) walk(v, known, ctes);
}
