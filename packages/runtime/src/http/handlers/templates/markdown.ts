/**
 * @module http/handlers/templates/markdown: Caddy's markdown function. Caddy uses goldmark with GFM, footnotes,
 * automatic heading IDs and raw HTML allowed; this uses marked with GFM and goldmark's heading IDs. Code
 * blocks are not syntax-highlighted (Caddy's chroma classes are not reproduced).
 */
import { Marked } from 'marked';

/** goldmark's automatic heading ID: ASCII letters and digits lower-cased, spaces, - and _ as -, the rest dropped. */
function headingId(text: string, seen: Set<string>): string {
  let id = '';
  for (const c of text.trim()) {
    if (c.length !== 1 || c.charCodeAt(0) > 0x7f) continue;
    if (/[A-Za-z0-9]/.test(c)) id += c.toLowerCase();
    else if (/\s/.test(c) || c === '-' || c === '_') id += '-';
  }
  if (!id) id = 'heading';
  if (!seen.has(id)) {
    seen.add(id);
    return id;
  }
  for (let i = 1; ; i++) {
    const next = `${id}-${i}`;
    if (!seen.has(next)) {
      seen.add(next);
      return next;
    }
  }
}

const decode = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/** Renders Markdown to HTML. */
export function renderMarkdown(input: string): string {
  const seen = new Set<string>();
  const md = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        const text = decode(html.replace(/<[^>]*>/g, ''));
        return `<h${depth} id="${headingId(text, seen)}">${html}</h${depth}>\n`;
      },
      // goldmark puts <tbody> and </table> on lines of their own.
      table(token) {
        const header = this.tablerow({ text: token.header.map((c) => this.tablecell(c)).join('') });
        const body = token.rows
          .map((row) => this.tablerow({ text: row.map((c) => this.tablecell(c)).join('') }))
          .join('');
        return `<table>\n<thead>\n${header}</thead>\n${body ? `<tbody>\n${body}</tbody>\n` : ''}</table>\n`;
      },
      // goldmark ends a hard line break with the newline.
      br() {
        return '<br>\n';
      },
      // goldmark starts a nested block of a tight list item on a line of its own.
      listitem(item) {
        const body = this.parser.parse(item.tokens).replace(/([^\n])(<(?:ul|ol|pre|blockquote|table)[ >])/g, '$1\n$2');
        return `<li>${body}</li>\n`;
      },
      // goldmark writes an HTML block's lines as they are, each ending in a newline.
      html({ text, block }) {
        return block && !text.endsWith('\n') ? `${text}\n` : text;
      },
    },
  });
  return md.parse(input, { async: false });
}
