/**
 * @module http/handlers/browse-template: renders Caddy's default directory listing page (browse.html) from a
 * listing, giving the bytes Caddy's Go template gives (its whitespace trimming included).
 */
import { PAGE_BOTTOM, PAGE_STYLE, PAGE_TOP } from './browse-page.js';
import { goPathUnescape, html, humanIBytes, isoSeconds, usTime } from './browse-format.js';
import type { Listing } from './browse-listing.js';

/** A newline and n tabs: the template's indentation between elements. */
const T = (n: number): string => `\n${'\t'.repeat(n)}`;

const ARROW = (dir: 'up' | 'down', cls = ''): string =>
  `<svg${cls ? ` class="${cls}"` : ''} width="1em" height=".5em" version="1.1" viewBox="0 0 12.922194 6.0358899"><use xlink:href="#${dir}-arrow"></use></svg>`;

/** Caddy's Breadcrumbs: one link per path element, each going up as many levels as follow it. */
function breadcrumbs(path: string): Array<{ link: string; text: string }> {
  if (path === '') return [];
  const parts = (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  return parts.map((p, i) => {
    // url.PathUnescape, whose result Caddy uses even on error (then "").
    const text = goPathUnescape(i === 0 && p === '' ? '/' : p) ?? '';
    return { link: '../'.repeat(parts.length - i - 1), text };
  });
}

/** The header cell links that sort by `by`; the current sort shows its direction. */
function sortLink(l: Listing, by: string, label: string, query: (s: string, o: string) => string): string {
  const current = l.sort === by;
  if (by === 'namedirfirst') {
    if (current && l.order !== 'desc') return `<a href="${query(by, 'desc')}" class="icon">${ARROW('up')}</a>`;
    if (current && l.order !== 'asc') return `<a href="${query(by, 'asc')}" class="icon">${ARROW('down')}</a>`;
    return `<a href="${query(by, 'asc')}" class="icon sort">${ARROW('up', 'top')}${ARROW('down', 'bottom')}</a>`;
  }
  if (current && l.order !== 'desc') return `<a href="${query(by, 'desc')}">${label} ${ARROW('up')}</a>`;
  if (current && l.order !== 'asc') return `<a href="${query(by, 'asc')}">${label} ${ARROW('down')}</a>`;
  return `<a href="${query(by, 'asc')}">${label}</a>`;
}

/** The whole page. */
export function renderListingPage(l: Listing): string {
  const query = (s: string, o: string): string =>
    `?sort=${s}&order=${o}${l.limit !== 0 ? `&limit=${l.limit}` : ''}${l.offset !== 0 ? `&offset=${l.offset}` : ''}`;
  const out: string[] = [PAGE_TOP, html(l.name), PAGE_STYLE];
  out.push('<header>', T(3), '<h1>', T(4));
  breadcrumbs(l.path).forEach((c, i) => out.push(`<a href="${html(c.link)}">${html(c.text)}</a>${i !== 0 ? '/' : ''}`));
  out.push(T(3), '</h1>', T(2), '</header>', T(2), '<main>', T(3), '<div class="meta">', T(4), '<div id="summary">');
  out.push(T(5), `<span class="meta-item"><b>${l.numDirs}</b> director${l.numDirs === 1 ? 'y' : 'ies'}</span>`);
  out.push(T(5), `<span class="meta-item"><b>${l.numFiles}</b> file${l.numFiles !== 1 ? 's' : ''}</span>`);
  if (l.limit !== 0) out.push(T(5), `<span class="meta-item">(of which only <b>${l.limit}</b> are displayed)</span>`);
  out.push(
    T(5),
    `<span class="meta-item"><input type="text" placeholder="filter" id="filter" onkeyup='filter()'></span>`,
  );
  out.push(T(4), '</div>', T(3), '</div>', T(3), '<div class="listing">', T(4), '<table aria-describedby="summary">');
  out.push(T(5), '<thead>', T(5), '<tr>', T(6), '<th></th>', T(6), '<th>');
  out.push(T(7), sortLink(l, 'namedirfirst', '', query), T(7), sortLink(l, 'name', 'Name', query), T(6), '</th>');
  out.push(T(6), '<th>', T(7), sortLink(l, 'size', 'Size', query), T(6), '</th>');
  out.push(T(6), '<th class="hideable">', T(7), sortLink(l, 'time', 'Modified', query), T(6), '</th>');
  out.push(T(6), '<th class="hideable"></th>', T(5), '</tr>', T(5), '</thead>', T(5), '<tbody>');
  if (l.canGoUp) {
    out.push(
      T(5),
      '<tr>',
      T(6),
      '<td></td>',
      T(6),
      '<td>',
      T(7),
      '<a href="..">',
      T(8),
      '<span class="goup">Go up</span>',
      T(7),
      '</a>',
      T(6),
      '</td>',
      T(6),
      '<td>&mdash;</td>',
      T(6),
      '<td class="hideable">&mdash;</td>',
      T(6),
      '<td class="hideable"></td>',
      T(5),
      '</tr>',
    );
  }
  for (const it of l.items) {
    out.push(T(5), '<tr class="file">', T(6), '<td></td>', T(6), '<td>', T(7), `<a href="${html(it.url)}">`, T(8));
    const shortcut = it.isSymlink ? '-shortcut' : '';
    out.push(
      it.isDir
        ? `<svg width="1.5em" height="1em" version="1.1" viewBox="0 0 317 259"><use xlink:href="#folder${shortcut}"></use></svg>`
        : `<svg width="1.5em" height="1em" version="1.1" viewBox="0 0 265 323"><use xlink:href="#file${shortcut}"></use></svg>`,
    );
    out.push(T(8), `<span class="name">${html(it.name)}</span>`, T(7), '</a>', T(6), '</td>', T(6));
    out.push(
      it.isDir ? '<td data-order="-1">&mdash;</td>' : `<td data-order="${it.size}">${humanIBytes(it.size)}</td>`,
    );
    out.push(
      T(6),
      `<td class="hideable"><time datetime="${isoSeconds(it.modNs)}">${usTime(it.modNs)}</time></td>`,
      T(6),
      '<td class="hideable"></td>',
      T(5),
      '</tr>',
    );
  }
  out.push(PAGE_BOTTOM);
  return out.join('');
}
