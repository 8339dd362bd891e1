/**
 * DuckDB implementation of the analytics engine: one in-memory instance per session, so memory
 * and threads are per session. Sandboxing follows the order DuckDB requires: `allowed_directories`
 * first, then `enable_external_access = false`, then `lock_configuration` (passing the lock to
 * `create()` fails).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { AnalyticsEngine, EngineRow, EngineSession, EngineSessionOptions } from './engine.js';
import { quoteLiteral } from './engine.js';

export class DuckDbEngine implements AnalyticsEngine {
  readonly kind = 'duckdb' as const;

  async open(options: EngineSessionOptions = {}): Promise<EngineSession> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    try {
      if (options.allowedDirectories) {
        const list = options.allowedDirectories.map((d) => quoteLiteral(d.endsWith('/') ? d : `${d}/`)).join(', ');
        await connection.run(`SET allowed_directories = [${list}]`);
        await connection.run('SET enable_external_access = false');
        await connection.run('SET lock_configuration = true');
      }
    } catch (err) {
      connection.closeSync();
      instance.closeSync();
      throw err;
    }
    return new DuckDbSession(instance, connection);
  }
}

class DuckDbSession implements EngineSession {
  private closed = false;
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async query(sql: string): Promise<EngineRow[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson();
  }

  async *stream(sql: string): AsyncIterable<EngineRow[]> {
    const result = await this.connection.stream(sql);
    for await (const rows of result.yieldRowObjectJson()) {
      if (rows.length) yield rows;
    }
  }

  async appendRows(table: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
    const appender = await this.connection.createAppender(table);
    try {
      for (const row of rows) {
        for (const value of row) {
          if (value === null) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  interrupt(): void {
    this.connection.interrupt();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
