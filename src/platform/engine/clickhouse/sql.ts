/**
 * The one place values and names are put into ClickHouse SQL text. ClickHouse 18.16 has no
 * server-side query parameters (they came in 19.x), so every value the hub writes into a
 * statement goes through `quoteClickhouseLiteral`, every name through `quoteClickhouseIdent`;
 * bulk data never goes into SQL text at all (it is sent as TSV/CSV in the request body).
 *
 * ClickHouse strings are byte strings with C-style backslash escapes: a quote, a backslash or a
 * control byte left raw could end the literal or be read as an escape, so each is escaped.
 * Strings that are not well-formed UTF-16 (lone surrogates) are refused rather than silently
 * turned into U+FFFD by the UTF-8 encoder.
 */

export type ClickhouseValue = string | number | bigint | boolean | null | undefined;

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  return ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkWellFormed(value: string, what: string): void {
  if (LONE_SURROGATE.test(value)) throw new TypeError(`${what} is not well-formed Unicode (lone surrogate)`);
}

/** A ClickHouse literal for a value: a quoted, escaped string, a number, 1/0 for booleans, NULL. */
export function quoteClickhouseLiteral(value: ClickhouseValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as a ClickHouse literal`);
    return String(value);
  }
  checkWellFormed(value, 'string literal');
  // eslint-disable-next-line no-control-regex -- control bytes are exactly what must be escaped
  return `'${value.replace(/[\\'\x00-\x1f\x7f]/g, escapeChar)}'`;
}

/** A back-quoted identifier (database, table, column). Control characters are refused: no name of ours has any. */
export function quoteClickhouseIdent(name: string): string {
  if (name.length === 0) throw new TypeError('empty ClickHouse identifier');
  checkWellFormed(name, 'identifier');
  // eslint-disable-next-line no-control-regex -- see above
  if (/[\x00-\x1f\x7f]/.test(name)) throw new TypeError(`ClickHouse identifier with a control character: ${JSON.stringify(name)}`);
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

/** `database`.`table`, or `table` alone. */
export function quoteClickhouseTable(table: string, database?: string): string {
  return database ? `${quoteClickhouseIdent(database)}.${quoteClickhouseIdent(table)}` : quoteClickhouseIdent(table);
}

/**
 * One row of TabSeparated input: `\N` for NULL, and the escapes ClickHouse's TSV parser reads
 * (backslash, tab, newline, carriage return, NUL…), so any string arrives byte for byte.
 */
export function tsvRow(values: readonly (string | null)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i) out += '\t';
    if (v === null) {
      out += '\\N';
      continue;
    }
    checkWellFormed(v, 'value');
    // eslint-disable-next-line no-control-regex -- see above
    out += v.replace(/[\\\x00-\x1f\x7f]/g, escapeChar);
  }
  return `${out}\n`;
}
