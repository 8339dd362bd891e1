/** Pure helpers of the catalogue pages (unit-tested without a browser). */

/** Names of a table in a release: its own, or a yearly name matching its template's pattern (T_MCOaaB → T_MCO21B). */
export function nameMatcher(table: string, namePattern: string | null): (name: string) => boolean {
  let pattern: RegExp | null = null;
  try {
    pattern = namePattern ? new RegExp(namePattern) : null;
  } catch {
    pattern = null; // a pattern the browser cannot read: exact names only
  }
  return (name) => name === table || (pattern?.test(name) ?? false);
}

/** Short on the drawing (a long composite key would stretch the layout); the edge panel shows every key. */
export function edgeLabel(from: string[], to: string[]): string {
  const short = (keys: string[]) => (keys.length > 2 ? `${keys[0]} +${keys.length - 1}` : keys.join(', '));
  const same = from.length === to.length && from.every((x, i) => x === to[i]);
  return same ? short(from) : `${short(from)} → ${short(to)}`;
}

export type DiffLine = { text: string; kind: 'add' | 'del' | 'context' };

/** A unified diff's lines without its file headers (they name revisions, already shown). */
export function diffLines(diff: string): DiffLine[] {
  return diff
    .split('\n')
    .filter((line) => !/^(={10,}|Index: |--- |\+\+\+ )/.test(line))
    .map((text) => ({ text, kind: text.startsWith('+') ? 'add' : text.startsWith('-') ? 'del' : 'context' }));
}
