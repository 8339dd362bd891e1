/**
 * The readable check report: Markdown written by the server in the caller's language (per rule,
 * the verdict, the cells, the values and what to do). Rendered with HTML disabled, its headings
 * moved under the page's own (the report's `#` becomes an h4 inside a file's section).
 */
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';

// html: false — any tag in the report (a column name, a cell value) is shown as text, never as markup.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });
const SHIFT = 3;
markdown.core.ruler.push('shift_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + SHIFT)}`;
  }
  return true;
});

export function ReadableReport({ readable, id }: { readable: string; id?: string }) {
  const html = useMemo(() => markdown.render(readable), [readable]);
  return <div className="hdh-sdc-report hdh-markdown" id={id} dangerouslySetInnerHTML={{ __html: html }} />;
}
