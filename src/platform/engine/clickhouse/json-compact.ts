/**
 * Reads ClickHouse's `JSONCompact` output as it streams, in batches of row objects.
 *
 * Why this format: over HTTP, ClickHouse sends "200 OK" with the first rows, so an error raised
 * later (a shard lost, KILL QUERY, a failing function) is only *appended as text* to the body — a
 * TSV reader would take it for one more row. A JSONCompact document has a trailer (`"rows": N`,
 * statistics, closing brace): a body whose trailer is missing or does not parse is an error, and
 * its text is the server's message. Each row sits on its own line (strings escape newlines), so
 * rows are parsed one line at a time with bounded memory.
 *
 * Values are JSON-safe as sent: 64-bit integers as strings (`output_format_json_quote_64bit_integers`),
 * dates and date-times as text, NULL as null, arrays as arrays.
 */
import type { EngineRow } from '../engine.js';

export interface ColumnMeta {
  name: string;
  type: string;
}

/** The body did not end as a JSONCompact document: the server's error text (or a truncated stream). */
export class TruncatedResultError extends Error {
  constructor(readonly serverText: string) {
    super(serverText.trim() || 'ClickHouse result ended before its trailer (connection lost?)');
    this.name = 'TruncatedResultError';
  }
}

type State = 'header' | 'open' | 'rows' | 'trailer';

export async function* readJsonCompact(body: AsyncIterable<Uint8Array | string>, batchSize = 10_000): AsyncGenerator<EngineRow[], { meta: ColumnMeta[]; rows: number }> {
  const decoder = new TextDecoder('utf-8');
  let state = 'header' as State;
  let header = '';
  let trailer = '';
  let pending = '';
  let meta: ColumnMeta[] = [];
  let names: string[] = [];
  let count = 0;
  let batch: EngineRow[] = [];
  let sawAnything = false;

  const onLine = (line: string): void => {
    switch (state) {
      case 'header':
        if (line === '\t"data":') {
          const text = header.trimEnd().replace(/,$/, '');
          try {
            meta = (JSON.parse(`${text}}`) as { meta: ColumnMeta[] }).meta;
          } catch {
            throw new TruncatedResultError(header + line);
          }
          names = meta.map((m) => m.name);
          state = 'open';
        } else {
          header += `${line}\n`;
        }
        return;
      case 'open':
        if (line !== '\t[') throw new TruncatedResultError(line);
        state = 'rows';
        return;
      case 'rows': {
        if (line === '\t],' || line === '\t]') {
          state = 'trailer';
          return;
        }
        if (line === '') return; // the empty data array is printed as a blank line
        if (!line.startsWith('\t\t[')) throw new TruncatedResultError(line);
        let values: unknown[];
        try {
          values = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as unknown[];
        } catch {
          throw new TruncatedResultError(line);
        }
        if (!Array.isArray(values) || values.length !== names.length) throw new TruncatedResultError(line);
        const row: EngineRow = {};
        for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
        batch.push(row);
        count++;
        return;
      }
      case 'trailer':
        trailer += `${line}\n`;
        return;
    }
  };

  for await (const chunk of body) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (!text) continue;
    sawAnything = true;
    pending += text;
    let from = 0;
    let at: number;
    while ((at = pending.indexOf('\n', from)) >= 0) {
      onLine(pending.slice(from, at));
      from = at + 1;
    }
    pending = pending.slice(from);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  pending += decoder.decode();
  if (pending) onLine(pending);
  // Statements without a result (DDL, INSERT … SELECT) send an empty body.
  if (!sawAnything) return { meta: [], rows: 0 };
  if (state !== 'trailer') throw new TruncatedResultError(state === 'header' ? header : '');
  let rows: unknown;
  try {
    rows = (JSON.parse(`{${trailer}`) as { rows?: unknown }).rows;
  } catch {
    throw new TruncatedResultError(trailer);
  }
  if (rows !== count) throw new TruncatedResultError(trailer);
  if (batch.length) yield batch;
  return { meta, rows: count };
}
