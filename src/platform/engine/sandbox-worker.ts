/**
 * The sandboxed engine process: one DuckDB instance on a workspace session's database file, its
 * configuration locked after the trusted setup. It runs what the hub sends and nothing else; a
 * crash here (DuckDB aborts, memory exhaustion) ends this process only, never the hub.
 *
 * Started by sandbox.ts with `child_process.fork`; speaks sandbox-protocol.ts over IPC.
 */
import { DuckDBDecimalValue, DuckDBInstance, JsonDuckDBValueConverter, StatementType, type DuckDBConnection, type DuckDBValueConverter, type Json } from '@duckdb/node-api';
import type { DatabaseObject, InspectResult, RunResult, SandboxOptions, SandboxRequest, SandboxResponse } from './sandbox-protocol.js';

let instance: DuckDBInstance | null = null;
const running = new Map<number, DuckDBConnection>();
/**
 * Connections made before the lock: progress reporting is a per-connection setting that the
 * lock then freezes, so the pool is fixed at open (its size bounds concurrent queries).
 */
const idle: DuckDBConnection[] = [];
/** Parsing only (no binding, no data): one connection kept for it, so a check costs no connect. */
let parser: DuckDBConnection | null = null;

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** JSON values for the grid and charts: integers and decimals as numbers when exact enough. */
const toJson: DuckDBValueConverter<Json> = (value, type, self) => {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JsonDuckDBValueConverter(value, type, self);
};

async function open(options: SandboxOptions): Promise<null> {
  if (instance) throw new Error('already open');
  instance = await DuckDBInstance.create(options.databasePath, {
    memory_limit: options.memoryLimit,
    threads: String(options.threads),
    temp_directory: options.tempDirectory,
    max_temp_directory_size: options.maxTempDirectorySize,
    extension_directory: options.homeDirectory,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
  });
  const c = await instance.connect();
  parser = await instance.connect();
  try {
    for (const statement of options.setup) await c.run(statement);
    if (options.taggedViews) await replaceTaggedViews(c, options.taggedViews);
    for (let i = 0; i < options.connections; i++) {
      const pooled = await instance.connect();
      await pooled.run('SET enable_progress_bar = true');
      await pooled.run('SET enable_progress_bar_print = false');
      idle.push(pooled);
    }
    // DuckDB's order: the allowed folders first, then external access off, then the lock.
    await c.run(`SET allowed_directories = [${options.allowedDirectories.map((d) => quote(d.endsWith('/') ? d : `${d}/`)).join(', ')}]`);
    await c.run('SET enable_external_access = false');
    await c.run('SET lock_configuration = true');
  } finally {
    c.closeSync();
  }
  return null;
}

async function replaceTaggedViews(c: DuckDBConnection, tagged: NonNullable<SandboxOptions['taggedViews']>): Promise<void> {
  const old = (await c.runAndReadAll('SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = \'main\' AND comment = $1', [tagged.tag])).getRowsJson();
  for (const [name] of old) await c.run(`DROP VIEW IF EXISTS "${String(name).replace(/"/g, '""')}"`);
  const tables = new Set((await c.runAndReadAll("SELECT lower(table_name) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'")).getRowsJson().map((r) => String(r[0])));
  for (const v of tagged.views) {
    const ident = `"${v.name.replace(/"/g, '""')}"`;
    if (tables.has(v.name.toLowerCase())) {
      let n = 1;
      while (tables.has(`${v.name}_user_${n}`.toLowerCase())) n++;
      await c.run(`ALTER TABLE ${ident} RENAME TO "${v.name}_user_${n}"`);
    }
    await c.run(`CREATE OR REPLACE VIEW ${ident} AS ${v.sql}`);
    await c.run(`COMMENT ON VIEW ${ident} IS ${quote(tagged.tag)}`);
  }
}

async function objects(tag: string | null): Promise<DatabaseObject[]> {
  const c = await instance!.connect();
  try {
    const rows = (
      await c.runAndReadAll(
        `SELECT t.name, t.kind, coalesce(t.comment = $1, false) AS tagged, list({'name': col.column_name, 'type': col.data_type} ORDER BY col.column_index) AS columns
         FROM (SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
               UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal) t
         JOIN duckdb_columns() col ON col.database_name = current_database() AND col.schema_name = 'main' AND col.table_name = t.name
         GROUP BY ALL ORDER BY t.name`,
        [tag ?? ''],
      )
    ).getRowObjectsJson();
    return rows.map((r) => ({ name: String(r.name), kind: r.kind === 'view' ? 'view' : 'table', tagged: r.tagged === true, columns: (r.columns as { name: string; type: string }[]).map((col) => ({ name: col.name, type: col.type })) }));
  } finally {
    c.closeSync();
  }
}

/** Names of the tables and views of the session's database (no binding: cheap). */
async function names(): Promise<string[]> {
  const c = await instance!.connect();
  try {
    const rows = (await c.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal")).getRowsJson();
    return rows.map((r) => String(r[0]));
  } finally {
    c.closeSync();
  }
}

async function inspect(sql: string, select: string | null): Promise<InspectResult> {
  const c = parser!;
  const extracted = await c.extractStatements(sql);
  let serialized: string | null = null;
  if (select !== null) {
    const reader = await c.runAndReadAll('SELECT json_serialize_sql(CAST($1 AS VARCHAR)) AS j', [select]);
    serialized = String(reader.getRowsJson()[0]![0]);
  }
  return { statementCount: extracted.count, serialized };
}

async function run(id: number, sql: string, maxRows: number): Promise<RunResult> {
  const c = idle.pop();
  if (!c) throw new Error('BUSY: every connection of this session is running a query');
  running.set(id, c);
  try {
    const result = await c.stream(sql);
    const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
    const rows: unknown[][] = [];
    let truncated = false;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const converted = chunk.convertRows(toJson);
      const room = maxRows - rows.length;
      if (converted.length > room) {
        rows.push(...converted.slice(0, room));
        truncated = true;
        break;
      }
      rows.push(...converted);
    }
    const statementType = StatementType[result.statementType] ?? 'UNKNOWN';
    const rowsChanged = result.statementType === StatementType.SELECT ? null : Number(rows[0]?.[0] ?? result.rowsChanged);
    return { columns, rows, truncated, rowsChanged, statementType };
  } finally {
    running.delete(id);
    idle.push(c);
  }
}

function progress(target: number): number | null {
  const c = running.get(target);
  if (!c) return null;
  const p = c.progress.percentage;
  return p >= 0 ? Math.min(1, p / 100) : null;
}

function reply(message: SandboxResponse): void {
  process.send?.(message);
}

process.on('message', (message: SandboxRequest) => {
  const handle = async (): Promise<unknown> => {
    switch (message.kind) {
      case 'open':
        return open(message.options);
      case 'inspect':
        return inspect(message.sql, message.select);
      case 'objects':
        return objects(message.tag);
      case 'names':
        return names();
      case 'run':
        return run(message.id, message.sql, message.maxRows);
      case 'progress':
        return progress(message.target);
      case 'interrupt':
        running.get(message.target)?.interrupt();
        return null;
      case 'close':
        for (const c of running.values()) c.interrupt();
        instance?.closeSync();
        instance = null;
        setImmediate(() => process.exit(0));
        return null;
    }
  };
  handle().then(
    (result) => reply({ id: message.id, ok: true, result }),
    (err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      reply({ id: message.id, ok: false, error: { message: text, interrupted: /^INTERRUPT Error/i.test(text) } });
    },
  );
});

// The hub went away: nothing may outlive it.
process.on('disconnect', () => process.exit(0));
