/**
 * Analytics engines behind one interface (ARCHITECTURE.md): DuckDB embedded by default, a
 * ClickHouse cluster later. A caller opens a session with its resource limits and sandbox,
 * runs SQL, streams rows in batches, can interrupt a running query, and closes the session.
 */
export type EngineRow = Record<string, unknown>;

export interface EngineSessionOptions {
  /** Per-session memory ceiling, e.g. '1GB' (DuckDB: per instance). */
  memoryLimit?: string;
  /** Worker threads of this session; 1 makes outputs byte-reproducible. */
  threads?: number;
  /** Where the engine may spill. */
  tempDirectory?: string;
  /** false lets large copies stream without keeping row order (less memory). Default true. */
  preserveInsertionOrder?: boolean;
  /**
   * Sandbox: when set, the session may read and write only under these folders, external
   * access is then disabled and the configuration locked (untrusted SQL cannot lift it).
   */
  allowedDirectories?: string[];
}

export interface EngineSession {
  /** Runs statements whose result is not needed (DDL, COPY…). */
  run(sql: string): Promise<void>;
  /** Runs a query and returns every row as plain JSON-safe values (dates as ISO strings, big integers as numbers when safe). */
  query(sql: string): Promise<EngineRow[]>;
  /** Streams a query's rows in batches; memory stays bounded by one batch. */
  stream(sql: string): AsyncIterable<EngineRow[]>;
  /** Appends rows of text values (or nulls) to an existing table, in order, without SQL text. */
  append(table: string, rows: readonly (readonly (string | null)[])[]): Promise<void>;
  /** Stops the running query of this session (it then fails with an interrupt error). */
  interrupt(): void;
  close(): Promise<void>;
}

export interface AnalyticsEngine {
  readonly kind: 'duckdb' | 'clickhouse';
  open(options?: EngineSessionOptions): Promise<EngineSession>;
}

/** Quotes an identifier for SQL (both engines accept double quotes). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a string literal. DuckDB's parser stops at a NUL byte (the statement would end inside
 * the literal), so a NUL is written as `chr(0)` concatenated in.
 */
export function quoteLiteral(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\0') ? `(${quoted.split('\0').join("' || chr(0) || '")})` : quoted;
}
