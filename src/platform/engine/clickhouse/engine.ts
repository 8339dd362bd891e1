/**
 * ClickHouse implementation of the analytics engine, over the HTTP interface with the official
 * `@clickhouse/client` (it talks to 18.16 as well as to current servers for what we use: raw
 * statements, streamed bodies, query ids; we never use its query parameters, which 18.16 lacks).
 *
 * A session is a logical handle, not a server session: it carries the settings of its queries
 * (memory, threads, no partial results), the ids of its running queries (for KILL QUERY), and one
 * HTTP client per node. Queries go to the first node; DDL goes to every node (no ZooKeeper/Keeper:
 * no `ON CLUSTER`) or once `ON CLUSTER` when the cluster has distributed DDL. Results stream as
 * JSONCompact (see json-compact.ts: an error after the first rows cannot pass for a row).
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { AnalyticsEngine, EngineRow, EngineSession, EngineSessionOptions } from '../engine.js';
import { addressesIn, ClickhouseError, InterruptedError, isUnreachable, parseServerError, QUERY_WAS_CANCELLED, ShardUnavailableError } from './errors.js';
import { readJsonCompact } from './json-compact.js';
import { quoteClickhouseIdent, quoteClickhouseLiteral, quoteClickhouseTable, tsvRow } from './sql.js';

export interface ClickhouseConfig {
  /** HTTP URL of one node per shard, in the cluster's shard order; the first receives the queries. */
  urls: string[];
  user: string;
  password: string;
  /** Name of the cluster in the servers' `remote_servers`. */
  cluster: string;
  /** The hub's database (created on every node at first use). */
  database: string;
  /** DDL as `… ON CLUSTER` once (needs ZooKeeper/Keeper), instead of on each listed node. */
  onCluster: boolean;
  /** Longest a request may take (loads and extractions are long). */
  requestTimeoutMs: number;
}

/** Settings every query carries: a shard down fails the query; 64-bit integers stay exact in JSON. */
const BASE_SETTINGS: ClickHouseSettings = {
  skip_unavailable_shards: 0,
  output_format_json_quote_64bit_integers: 1,
  // Synchronous inserts through Distributed tables: when the statement returns, the rows are on their shards.
  insert_distributed_sync: 1,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** '2GB', '512 MiB' → bytes. */
export function parseByteSize(text: string): number {
  const m = SIZE.exec(text.trim());
  if (!m) throw new TypeError(`not a memory size: ${text}`);
  return Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
}

export class ClickhouseEngine implements AnalyticsEngine {
  readonly kind = 'clickhouse' as const;
  #databaseReady: Promise<void> | null = null;
  #shards: Promise<Map<string, number>> | null = null;

  constructor(readonly config: ClickhouseConfig) {
    if (config.urls.length === 0) throw new TypeError('ClickHouse: at least one node URL');
  }

  /**
   * A session of the hub's own SQL. ClickHouse sessions never run untrusted SQL (workspaces run it
   * in DuckDB, sandboxed): asking for a folder sandbox is refused rather than silently not applied.
   */
  async open(options: EngineSessionOptions = {}): Promise<ClickhouseSession> {
    if (options.allowedDirectories) throw new TypeError('ClickHouse sessions have no folder sandbox: untrusted SQL runs in DuckDB workspaces');
    const settings: ClickHouseSettings = { ...BASE_SETTINGS };
    if (options.memoryLimit) settings.max_memory_usage = String(parseByteSize(options.memoryLimit));
    if (options.threads) settings.max_threads = options.threads;
    await this.ensureDatabase();
    return new ClickhouseSession(this, settings);
  }

  /** @internal A client for one node (each session has its own, closed with it). */
  client(url: string, database: string): ClickHouseClient {
    return createClient({
      url, username: this.config.user, password: this.config.password, database, request_timeout: this.config.requestTimeoutMs,
      log: { level: ClickHouseLogLevel.OFF }, keep_alive: { enabled: true },
    });
  }

  private ensureDatabase(): Promise<void> {
    this.#databaseReady ??= (async () => {
      for (const url of this.config.urls) {
        const admin = this.client(url, 'default');
        try {
          await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteClickhouseIdent(this.config.database)}` });
        } catch (err) {
          throw await this.describe(err, url, false);
        } finally {
          await admin.close();
        }
      }
    })().catch((err: unknown) => {
      this.#databaseReady = null;
      throw err;
    });
    return this.#databaseReady;
  }

  /** host:port (native protocol) of every shard of our cluster → its number, read once from `system.clusters`. */
  private shardsByAddress(): Promise<Map<string, number>> {
    this.#shards ??= (async () => {
      const client = this.client(this.config.urls[0]!, 'default');
      try {
        const result = await client.query({ query: `SELECT shard_num, host_name, host_address, port FROM system.clusters WHERE cluster = ${quoteClickhouseLiteral(this.config.cluster)}`, format: 'JSONEachRow' });
        const rows = await result.json<{ shard_num: number; host_name: string; host_address: string; port: number }>();
        const out = new Map<string, number>();
        for (const r of rows) {
          out.set(`${r.host_address}:${r.port}`, r.shard_num);
          out.set(`${r.host_name}:${r.port}`, r.shard_num);
        }
        return out;
      } finally {
        await client.close();
      }
    })().catch((err: unknown) => {
      this.#shards = null;
      throw err;
    });
    return this.#shards;
  }

  /** @internal Turns a client failure into a ClickhouseError naming the shard or node at fault. */
  async describe(err: unknown, url: string, interrupted: boolean): Promise<Error> {
    if (err instanceof ClickhouseError) return err;
    const raw = err instanceof Error ? err.message : String(err);
    const sysCode = (err as { code?: unknown } | null)?.code;
    if (typeof sysCode === 'string' && /^E[A-Z]+$/.test(sysCode)) {
      if (interrupted) return new InterruptedError(url, 'the request was aborted');
      const shard = this.config.urls.indexOf(url);
      return new ClickhouseError(`ClickHouse node ${shard >= 0 ? `of shard ${shard + 1} ` : ''}(${url}) is unavailable: ${raw}`, 0, url);
    }
    const { code, message } = parseServerError(raw);
    if (interrupted || code === QUERY_WAS_CANCELLED) return new InterruptedError(url, message);
    if (isUnreachable(code)) {
      const addresses = addressesIn(raw);
      try {
        const shards = await this.shardsByAddress();
        for (const address of addresses.reverse()) {
          const shard = shards.get(address);
          if (shard !== undefined) return new ShardUnavailableError(this.config.cluster, shard, address, message, url, code);
        }
      } catch {
        // The entry node itself is down: say so below.
      }
    }
    return new ClickhouseError(`ClickHouse (${url}): ${message}`, code, url);
  }
}

export class ClickhouseSession implements EngineSession {
  readonly #clients = new Map<string, ClickHouseClient>();
  readonly #running = new Map<string, AbortController>();
  #interrupted = new Set<string>();
  #closed = false;

  constructor(
    readonly engine: ClickhouseEngine,
    readonly settings: ClickHouseSettings,
  ) {}

  get database(): string {
    return this.engine.config.database;
  }

  /** Number of shards (one listed node each). */
  get shards(): number {
    return this.engine.config.urls.length;
  }

  private client(node = 0): { client: ClickHouseClient; url: string } {
    if (this.#closed) throw new Error('ClickHouse session is closed');
    const url = this.engine.config.urls[node];
    if (url === undefined) throw new RangeError(`no ClickHouse node ${node}`);
    let client = this.#clients.get(url);
    if (!client) {
      client = this.engine.client(url, this.database);
      this.#clients.set(url, client);
    }
    return { client, url };
  }

  /** Runs one request with a query id the session can KILL, mapping failures to ClickhouseError. */
  private async request<T>(node: number, call: (client: ClickHouseClient, queryId: string, signal: AbortSignal) => Promise<T>): Promise<T> {
    const { client, url } = this.client(node);
    const queryId = crypto.randomUUID();
    const abort = new AbortController();
    this.#running.set(queryId, abort);
    try {
      return await call(client, queryId, abort.signal);
    } catch (err) {
      throw await this.engine.describe(err, url, this.#interrupted.has(queryId));
    } finally {
      this.#running.delete(queryId);
      this.#interrupted.delete(queryId);
    }
  }

  async run(sql: string): Promise<void> {
    await this.runOnNode(0, sql);
  }

  async runOnNode(node: number, sql: string): Promise<void> {
    await this.request(node, (client, query_id, abort_signal) => client.command({ query: sql, query_id, abort_signal, clickhouse_settings: this.settings }));
  }

  /**
   * DDL for the whole cluster: `sql('')` on every node, or `sql(' ON CLUSTER <name>')` once when
   * the cluster has distributed DDL. Statements must be idempotent (IF [NOT] EXISTS): a node that
   * failed is retried by running the same call again.
   */
  async ddl(sql: (onCluster: string) => string): Promise<void> {
    if (this.engine.config.onCluster) return this.run(sql(` ON CLUSTER ${quoteClickhouseIdent(this.engine.config.cluster)}`));
    for (let node = 0; node < this.shards; node++) await this.runOnNode(node, sql(''));
  }

  /** Several DDL statements in order: all of them on one node, then the next (or once, `ON CLUSTER`). */
  async ddlSteps(steps: (exec: (sql: string) => Promise<void>, onCluster: string) => Promise<void>): Promise<void> {
    if (this.engine.config.onCluster) return steps((sql) => this.run(sql), ` ON CLUSTER ${quoteClickhouseIdent(this.engine.config.cluster)}`);
    for (let node = 0; node < this.shards; node++) await steps((sql) => this.runOnNode(node, sql), '');
  }

  async query(sql: string): Promise<EngineRow[]> {
    const out: EngineRow[] = [];
    for await (const batch of this.stream(sql)) for (const row of batch) out.push(row);
    return out;
  }

  async queryOnNode(node: number, sql: string): Promise<EngineRow[]> {
    const out: EngineRow[] = [];
    for await (const batch of this.streamOn(node, sql)) for (const row of batch) out.push(row);
    return out;
  }

  stream(sql: string): AsyncIterable<EngineRow[]> {
    return this.streamOn(0, sql);
  }

  /** Streams a query run on one node (shard-local tables). */
  async *streamOn(node: number, sql: string): AsyncIterable<EngineRow[]> {
    const { url } = this.client(node);
    const queryId = crypto.randomUUID();
    const abort = new AbortController();
    this.#running.set(queryId, abort);
    try {
      let body: Readable;
      try {
        const { client } = this.client(node);
        // default_format rather than a FORMAT clause: the SQL may end with `;` or a comment.
        ({ stream: body } = await client.exec({ query: sql, query_id: queryId, abort_signal: abort.signal, clickhouse_settings: { ...this.settings, default_format: 'JSONCompact' } }));
      } catch (err) {
        throw await this.engine.describe(err, url, this.#interrupted.has(queryId));
      }
      try {
        yield* readJsonCompact(body);
      } catch (err) {
        throw await this.engine.describe(err, url, this.#interrupted.has(queryId));
      } finally {
        body.destroy();
      }
    } finally {
      this.#running.delete(queryId);
      this.#interrupted.delete(queryId);
    }
  }

  async append(table: string, rows: readonly (readonly (string | null)[])[]): Promise<void> {
    if (rows.length === 0) return;
    await this.insertText(0, table, 'TabSeparated', Readable.from(chunked(rows)));
  }

  /**
   * Streams a body in a text format (TabSeparated, CSV, CSVWithNames…) into a table of one node;
   * the data never becomes SQL text. `node` picks the shard (loads route rows to their shard).
   */
  async insertText(node: number, table: string, format: 'TabSeparated' | 'CSV' | 'CSVWithNames', body: Readable, settings: ClickHouseSettings = {}): Promise<void> {
    const [db, name] = table.includes('.') ? (table.split('.', 2) as [string, string]) : [undefined, table];
    await this.request(node, (client, query_id, abort_signal) =>
      client.exec({ query: `INSERT INTO ${quoteClickhouseTable(name, db)} FORMAT ${format}`, values: body, query_id, abort_signal, clickhouse_settings: { ...this.settings, ...settings } }).then(({ stream }) => drain(stream)),
    );
  }

  /** Raw text of a query on one node (e.g. CSV for a Parquet writer), failing on any server error. */
  async exportText(node: number, sql: string, format: 'CSVWithNames' | 'TabSeparatedWithNames', settings: ClickHouseSettings = {}): Promise<{ body: Readable; done: () => void }> {
    const { url } = this.client(node);
    const queryId = crypto.randomUUID();
    const abort = new AbortController();
    this.#running.set(queryId, abort);
    const done = () => {
      this.#running.delete(queryId);
      this.#interrupted.delete(queryId);
    };
    try {
      const { client } = this.client(node);
      // wait_end_of_query: the server buffers the result (spilling to its disk) and only then
      // answers, so a failure is an HTTP error, never text appended to half a file.
      const { stream } = await client.exec({ query: sql, query_id: queryId, abort_signal: abort.signal, clickhouse_settings: { ...this.settings, default_format: format, wait_end_of_query: 1, ...settings } });
      return { body: stream, done };
    } catch (err) {
      const described = await this.engine.describe(err, url, this.#interrupted.has(queryId));
      done();
      throw described;
    }
  }

  /** Stops every running query of this session: KILL QUERY on the entry node (it cancels the shards' parts too). */
  interrupt(): void {
    const ids = [...this.#running.keys()];
    if (!ids.length) return;
    for (const id of ids) this.#interrupted.add(id);
    const { client } = this.client(0);
    const kill = `KILL QUERY WHERE query_id IN (${ids.map(quoteClickhouseLiteral).join(', ')}) ASYNC`;
    void client
      .command({ query: kill })
      .catch(() => undefined)
      .finally(() => {
        for (const id of ids) this.#running.get(id)?.abort();
      });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#running.size) {
      const { client } = this.client(0);
      await client.command({ query: `KILL QUERY WHERE query_id IN (${[...this.#running.keys()].map(quoteClickhouseLiteral).join(', ')}) ASYNC` }).catch(() => undefined);
      for (const abort of this.#running.values()) abort.abort();
    }
    this.#closed = true;
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    this.#clients.clear();
  }
}

function* chunked(rows: readonly (readonly (string | null)[])[]): Generator<string> {
  let buf = '';
  for (const row of rows) {
    buf += tsvRow(row);
    if (buf.length >= 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

async function drain(stream: Readable): Promise<void> {
  for await (const chunk of stream) void chunk;
}
