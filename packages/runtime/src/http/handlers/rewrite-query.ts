/**
 * @module http/handlers/rewrite-query: the query part of a rewrite's URI template, rebuilt as Caddy's
 * buildQueryString does.
 */
import { compileTemplate, type Resolver, type Template } from '../../util/template.js';
import { queryEscape } from '../go-url.js';

interface Component {
  template: Template;
  key: boolean;
}

/**
 * A query template ("a=b&{query}") split at "=" and "&" before placeholders are replaced. Each piece's
 * placeholders are query-escaped, except {http.request.uri.query} in a key position (already escaped);
 * empty keys are dropped with their "&", so "{query}&added=1" without a query is "added=1".
 */
export class QueryTemplate {
  private readonly parts: Component[] = [];

  /**
   * `literal` is for text that came from the request (a query placeholders put into the path): its
   * braces are kept as they are. Caddy would replace placeholders in it a second time, which would let
   * a client have any placeholder (an environment variable, a file) evaluated.
   */
  constructor(qs: string, env: NodeJS.ProcessEnv, literal = false) {
    let key = true;
    while (qs.length > 0) {
      const eq = qs.indexOf('=');
      const amp = qs.indexOf('&');
      const ampFirst = amp >= 0 && (amp < eq || eq < 0);
      let end = qs.length;
      if (ampFirst) end = amp;
      else if (eq >= 0) end = eq;
      const text = qs.slice(0, end);
      this.parts.push({ template: literal ? literalTemplate(text) : compileTemplate(text, env), key });
      qs = qs.slice(end === qs.length ? end : end + 1);
      key = ampFirst;
    }
  }

  /**
   * Renders the query. `isNil` tells which keys Caddy's replacer holds no value for (unknown ones, unset
   * variables): Caddy formats those with %+v, so they become "<nil>", escaped.
   */
  render(res: Resolver, isNil: (key: string) => boolean): string {
    let out = '';
    for (const p of this.parts) {
      const comp = p.template.render((k) => {
        const v = res(k);
        if (k === 'http.request.uri.query' && p.key) return v ?? '';
        return queryEscape(v === undefined || isNil(k) ? '<nil>' : v);
      });
      if (p.key) {
        if (out.length > 0 && comp.length > 0) out += '&';
      } else out += '=';
      out += comp;
    }
    return out;
  }
}

/** A template that renders its text unchanged. */
function literalTemplate(text: string): Template {
  return { source: text, constant: true, render: () => text };
}
