/**
 * Chunked, resumable upload of a producer's file (téléversement par morceaux): the File is sliced
 * with `file.slice()` and each slice is PUT in turn, so a file of several GB never sits in memory.
 * The upload's id is remembered per file (name, size, last modification) in localStorage: picking
 * the same file again — after a pause, a dropped connection or a page reload — asks the server
 * how many bytes it holds (`received`) and goes on from there.
 */
import { ApiError, api } from '../api.ts';
import type { Upload } from './types.ts';

/** What the browser remembers of an unfinished upload: nothing but ids. */
interface Remembered {
  id: string;
  table: string;
}

const storageKey = (file: File) => `hdh.ingest.upload:${file.name}:${file.size}:${file.lastModified}`;

export function rememberedUpload(file: File): Remembered | null {
  try {
    const raw = localStorage.getItem(storageKey(file));
    const value = raw ? (JSON.parse(raw) as Partial<Remembered>) : null;
    return value && typeof value.id === 'string' && typeof value.table === 'string' ? { id: value.id, table: value.table } : null;
  } catch {
    // Storage disabled or a corrupt entry: start afresh.
    return null;
  }
}

function remember(file: File, value: Remembered): void {
  try {
    localStorage.setItem(storageKey(file), JSON.stringify(value));
  } catch {
    // Without storage the upload still works; only a reload cannot resume it.
  }
}

export function forgetUpload(file: File): void {
  try {
    localStorage.removeItem(storageKey(file));
  } catch {
    // Nothing to forget.
  }
}

/**
 * The server's upload this file can go on with, if any: same table, same size, still receiving
 * or complete (a complete one has not been loaded yet). A stale entry is forgotten.
 */
export async function resumableUpload(file: File, table: string): Promise<Upload | null> {
  const known = rememberedUpload(file);
  if (!known || known.table !== table) return null;
  try {
    const upload = await api.get<Upload>(`/api/ingest/uploads/${known.id}`);
    if (upload.size === file.size && upload.table === table && (upload.status === 'receiving' || upload.status === 'complete')) return upload;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) throw err;
  }
  forgetUpload(file);
  return null;
}

export interface Transfer {
  /** Bytes the server holds. */
  sent: number;
  size: number;
  /** Bytes per second over this run (since the last start or resume); null before the first chunk. */
  bytesPerSecond: number | null;
  /** Seconds left at that speed. */
  secondsLeft: number | null;
}

/** Speed and time left, measured over the bytes sent since this run began. */
export function measure(size: number, sent: number, sentAtStart: number, elapsedMs: number): Transfer {
  const moved = sent - sentAtStart;
  if (moved <= 0 || elapsedMs <= 0) return { sent, size, bytesPerSecond: null, secondsLeft: null };
  const bytesPerSecond = (moved * 1000) / elapsedMs;
  return { sent, size, bytesPerSecond, secondsLeft: (size - sent) / bytesPerSecond };
}

export interface RunOptions {
  file: File;
  table: string;
  onProgress: (transfer: Transfer) => void;
  /** Asked before each chunk: true stops after the chunk in flight (pause). */
  shouldStop: () => boolean;
  now?: () => number;
}

/** How many times a chunk is tried again after a network failure before the run gives up. */
const RETRIES = 3;

/**
 * Sends what the server still lacks of `file`. Resolves with the upload: complete, or still
 * receiving when stopped (paused). A chunk refused for its offset (another tab sent one, or a
 * retry raced a late success) resynchronises on the server's `received`.
 */
export async function sendFile({ file, table, onProgress, shouldStop, now = () => performance.now() }: RunOptions): Promise<Upload> {
  let upload: Upload | null = await resumableUpload(file, table);
  if (!upload) {
    upload = await api.post<Upload>('/api/ingest/uploads', { table, fileName: file.name, size: file.size });
    remember(file, { id: upload.id, table });
  }
  const started = now();
  const sentAtStart = upload.received;
  onProgress(measure(file.size, upload.received, sentAtStart, 0));
  let failures = 0;
  while (upload.status === 'receiving' && !shouldStop()) {
    const offset: number = upload.received;
    const chunk = file.slice(offset, Math.min(offset + upload.chunkSize, file.size));
    try {
      upload = await api.putBytes<Upload>(`/api/ingest/uploads/${upload.id}/chunks?offset=${offset}`, chunk);
      failures = 0;
    } catch (err) {
      // Refused for its offset or because another request writes: the server says where it stands.
      const resync = err instanceof ApiError && (err.code === 'ingest.bad_offset' || err.code === 'ingest.upload_busy');
      // fetch rejects with a TypeError when the connection drops: wait a little, then ask the same.
      const network = err instanceof TypeError;
      if (!resync && !(network && ++failures <= RETRIES)) throw err;
      await new Promise((resolve) => setTimeout(resolve, network ? 1000 * failures : 200));
      upload = await api.get<Upload>(`/api/ingest/uploads/${upload.id}`);
    }
    onProgress(measure(file.size, upload.received, sentAtStart, now() - started));
  }
  return upload;
}
