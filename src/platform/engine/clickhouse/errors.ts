/**
 * ClickHouse failures as the hub reports them. The server's text ("Code: 279, e.displayText() =
 * DB::NetException: All connection tries failed … Connection refused (127.0.0.1:18134)") names a
 * host and port at best; a shard that cannot answer is named here by its number in the cluster,
 * so an operator knows which machine to look at — and the query has failed as a whole
 * (`skip_unavailable_shards` stays off: never silent partial results).
 */

/** Error codes of ClickHouse meaning "a server could not be reached or stopped answering". */
const UNREACHABLE_CODES = new Set([209, 210, 279, 32]);
/** QUERY_WAS_CANCELLED: the query was stopped by KILL QUERY. */
export const QUERY_WAS_CANCELLED = 394;

export class ClickhouseError extends Error {
  constructor(
    message: string,
    /** ClickHouse's error code (0 when the failure is not the server's, e.g. a refused connection). */
    readonly code: number,
    /** The HTTP URL the request was sent to. */
    readonly node: string,
  ) {
    super(message);
    this.name = 'ClickhouseError';
  }
}

/** A shard of the cluster could not answer: the whole query failed. */
export class ShardUnavailableError extends ClickhouseError {
  constructor(
    readonly cluster: string,
    readonly shard: number,
    readonly address: string,
    detail: string,
    node: string,
    code: number,
  ) {
    super(`ClickHouse shard ${shard} of cluster "${cluster}" (${address}) is unavailable; the query failed as a whole, no partial result was used. ${detail}`, code, node);
    this.name = 'ShardUnavailableError';
  }
}

/** The query was interrupted (`EngineSession.interrupt()` or a KILL QUERY). */
export class InterruptedError extends ClickhouseError {
  constructor(node: string, detail: string) {
    super(`ClickHouse query interrupted: ${detail}`, QUERY_WAS_CANCELLED, node);
    this.name = 'InterruptedError';
  }
}

/** The error code and the first meaningful line of a ClickHouse error text. */
export function parseServerError(text: string): { code: number; message: string } {
  const m = /Code: (\d+), e\.displayText\(\) = ([\s\S]*?)(?:, e\.what\(\) = [\w:]+\s*)?$/.exec(text.trim());
  if (!m) return { code: 0, message: text.trim().slice(0, 2000) };
  return { code: Number(m[1]), message: m[2]!.replace(/\s+/g, ' ').trim().slice(0, 2000) };
}

/** host:port pairs named in an error text (most specific last). */
export function addressesIn(text: string): string[] {
  return [...text.matchAll(/(?:\(|server: |from )(\d{1,3}(?:\.\d{1,3}){3}|[\w.-]+|\[[0-9a-f:]+\]):(\d{2,5})\b/gi)].map((m) => `${m[1]}:${m[2]}`);
}

export function isUnreachable(code: number): boolean {
  return UNREACHABLE_CODES.has(code);
}
