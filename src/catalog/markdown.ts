/**
 * Markdown of documentation pages, rendered safely: markdown-it with raw HTML off, then
 * sanitize-html with a short allow-list, so neither a page author nor a crafted link can inject
 * script into a reader's page.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const allowed: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'pre', 'blockquote', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 's'],
  allowedAttributes: { a: ['href', 'title'], th: ['style'], td: ['style'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), { ...allowed, allowedAttributes: { ...allowed.allowedAttributes, a: ['href', 'title', 'rel'] } });
}
