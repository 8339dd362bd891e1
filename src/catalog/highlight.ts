/**
 * Highlighting of search matches, done here rather than with ts_headline so the result is
 * structured (segments with a `match` flag) and no HTML from the catalogue is ever trusted.
 * A word matches when its accent-free, lower-case form starts with the accent-free form of a query
 * word, or with its stem-like prefix (the query word minus French inflection endings).
 */
export interface Segment {
  text: string;
  match: boolean;
}

export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Query words (accents folded), at least one character. */
export function queryWords(q: string): string[] {
  return fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function stemPrefix(word: string): string {
  if (word.length <= 4) return word;
  const cut = word.replace(/(issements|issement|ations|ation|ements|ement|euses|euse|eaux|ees|es|e|s|x)$/, '');
  return cut.length >= 3 ? cut : word;
}

export function highlight(text: string, q: string, maxLength = 240): Segment[] {
  const prefixes = queryWords(q).map(stemPrefix);
  const parts = text.split(/([\p{L}\p{N}]+)/u);
  let first = -1;
  const segments: Segment[] = [];
  for (const part of parts) {
    if (!part) continue;
    const match = /[\p{L}\p{N}]/u.test(part) && prefixes.some((p) => fold(part).startsWith(p));
    if (match && first < 0) first = segments.reduce((n, s) => n + s.text.length, 0);
    const last = segments[segments.length - 1];
    if (last && last.match === match && !match) last.text += part;
    else segments.push({ text: part, match });
  }
  return clip(segments, first, maxLength);
}

/** Keeps about `maxLength` characters around the first match. */
function clip(segments: Segment[], firstMatchAt: number, maxLength: number): Segment[] {
  const total = segments.reduce((n, s) => n + s.text.length, 0);
  if (total <= maxLength) return segments;
  const start = Math.max(0, Math.min(firstMatchAt < 0 ? 0 : firstMatchAt - 60, total - maxLength));
  const end = start + maxLength;
  const out: Segment[] = [];
  let pos = 0;
  for (const s of segments) {
    const from = Math.max(start, pos);
    const to = Math.min(end, pos + s.text.length);
    if (to > from) out.push({ text: s.text.slice(from - pos, to - pos), match: s.match });
    pos += s.text.length;
  }
  if (start > 0) out.unshift({ text: '…', match: false });
  if (end < total) out.push({ text: '…', match: false });
  return out;
}
