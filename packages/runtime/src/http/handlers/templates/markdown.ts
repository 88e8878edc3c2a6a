/**
 * @module http/handlers/templates/markdown: Caddy's markdown function. Caddy uses goldmark with GFM, footnotes,
 * automatic heading IDs and raw HTML allowed; this uses marked with GFM and goldmark's heading IDs. Code
 * blocks are not syntax-highlighted (Caddy's chroma classes are not reproduced).
 */
import { templateLibs } from './libs.js';

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

/** Footnote definitions ("[^label]: text", continued by indented lines), taken out of the document. */
function takeFootnotes(input: string): { text: string; notes: Map<string, string> } {
  const notes = new Map<string, string>();
  const out: string[] = [];
  const lines = input.split('\n');
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) fence = fence === undefined ? f[1]![0] : line.trim().startsWith(fence) ? undefined : fence;
    const m = fence === undefined ? /^ {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$/.exec(line) : null;
    if (!m) {
      out.push(line);
      continue;
    }
    const body = [m[2]!];
    while (
      i + 1 < lines.length &&
      (/^( {4}|\t)/.test(lines[i + 1]!) || (lines[i + 1] === '' && /^( {4}|\t)/.test(lines[i + 2] ?? '')))
    ) {
      body.push(lines[++i]!.replace(/^( {4}|\t)/, ''));
    }
    const label = m[1]!.toLowerCase();
    if (!notes.has(label)) notes.set(label, body.join('\n'));
  }
  return { text: out.join('\n'), notes };
}

/** Renders Markdown to HTML. */
export function renderMarkdown(input: string): string {
  const seen = new Set<string>();
  const { text, notes } = takeFootnotes(input);
  // goldmark numbers footnotes in the order of their first reference.
  const order: string[] = [];
  const refs = new Map<string, number>();
  const md = new (templateLibs().Marked)({
    gfm: true,
    extensions: [
      {
        name: 'footnoteRef',
        level: 'inline',
        start: (src: string) => src.indexOf('[^'),
        tokenizer(src: string) {
          const m = /^\[\^([^\]\s]+)\]/.exec(src);
          if (!m || !notes.has(m[1]!.toLowerCase())) return undefined;
          return { type: 'footnoteRef', raw: m[0], label: m[1]!.toLowerCase() };
        },
        renderer(token) {
          const label = (token as unknown as { label: string }).label;
          let index = order.indexOf(label) + 1;
          if (index === 0) index = order.push(label);
          const n = refs.get(label) ?? 0;
          refs.set(label, n + 1);
          return `<sup id="fnref${n > 0 ? n : ''}:${index}"><a href="#fn:${index}" class="footnote-ref" role="doc-noteref">${index}</a></sup>`;
        },
      },
    ],
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
  let html = md.parse(text, { async: false });
  if (order.length > 0) {
    html += '<div class="footnotes" role="doc-endnotes">\n<hr>\n<ol>\n';
    for (const [i, label] of order.entries()) {
      const n = i + 1;
      let back = '';
      for (let r = 0; r < (refs.get(label) ?? 1); r++)
        back += `&#160;<a href="#fnref${r > 0 ? r : ''}:${n}" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a>`;
      let body = md.parse(notes.get(label) ?? '', { async: false });
      body = body.endsWith('</p>\n') ? `${body.slice(0, -5)}${back}</p>\n` : `${body}${back}`;
      html += `<li id="fn:${n}">\n${body}</li>\n`;
    }
    html += '</ol>\n</div>\n';
  }
  return html;
}
