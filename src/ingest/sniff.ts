/**
 * What kind of file a producer sent: Parquet (by its magic number) or delimited text, with its
 * encoding (BOM, else UTF-8 when the first megabytes decode as UTF-8, else Latin-1/Windows-1252,
 * what older exports produce) and its delimiter (the candidate that splits the first lines into
 * the same number of fields, outside quotes).
 */
import fs from 'node:fs';

export type FileFormat =
  | { kind: 'parquet' }
  | { kind: 'csv'; encoding: 'utf-8' | 'utf-16' | 'latin-1'; delimiter: string; bom: boolean };

const SAMPLE = 4 << 20;
const delimiters = [';', ',', '\t', '|'];

export function sniffFile(file: string): FileFormat {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(SAMPLE, size));
    fs.readSync(fd, head, 0, head.length, 0);
    if (head.subarray(0, 4).toString('latin1') === 'PAR1') return { kind: 'parquet' };
    return { kind: 'csv', ...sniffText(head) };
  } finally {
    fs.closeSync(fd);
  }
}

export function sniffText(head: Buffer): { encoding: 'utf-8' | 'utf-16' | 'latin-1'; delimiter: string; bom: boolean } {
  let encoding: 'utf-8' | 'utf-16' | 'latin-1';
  let bom = false;
  let text: string;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    encoding = 'utf-8';
    bom = true;
    text = head.subarray(3).toString('utf8');
  } else if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    encoding = 'utf-16';
    bom = true;
    text = head.subarray(2).toString('utf16le');
  } else if (isUtf8(head)) {
    encoding = 'utf-8';
    text = head.toString('utf8');
  } else {
    encoding = 'latin-1';
    text = head.toString('latin1');
  }
  return { encoding, bom, delimiter: detectDelimiter(text) };
}

/** UTF-8 validity, tolerating a sequence cut at the end of the sample. */
function isUtf8(buf: Buffer): boolean {
  let end = buf.length;
  // Back off an incomplete trailing sequence (at most 3 continuation bytes).
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i]!;
    if ((b & 0xc0) === 0x80) continue;
    if ((b & 0xe0) === 0xc0 && i < 2) end -= i;
    else if ((b & 0xf0) === 0xe0 && i < 3) end -= i;
    else if ((b & 0xf8) === 0xf0 && i < 4) end -= i;
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) n++;
  }
  return n;
}

export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).slice(0, 50);
  if (lines.length > 1 && text.length >= SAMPLE) lines.pop(); // the last line of a cut sample is partial
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  let best = ';';
  let bestScore = -1;
  for (const d of delimiters) {
    const counts = nonEmpty.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}
