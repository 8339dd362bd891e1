/** Matched words from the server's structured segments, as <mark>: text only, never markup. */
import type { Segment } from './types.ts';

export function Highlight({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}
