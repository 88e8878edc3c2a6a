/**
 * @module http/matchers/expression: `http.matchers.expression`: a CEL expression over the request. The CEL
 * library and the compiler (cel/matcher.ts) are loaded when the first expression matcher is provisioned, so that
 * configs without one do not pay for them.
 */
import { httpMatcherSchemas } from '@proxy/contract';
import type { LoadContext, RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import type { MatchExpression } from '../cel/matcher.js';

class ExpressionMatcher implements RequestMatcher {
  private compiled: MatchExpression | undefined;

  constructor(
    private readonly expr: string,
    private readonly name: string,
    private readonly path: string,
  ) {}

  async provision(ctx: LoadContext): Promise<void> {
    const { MatchExpression } = await import('../cel/matcher.js');
    const m = new MatchExpression(this.expr, this.name, this.path);
    await m.provision(ctx);
    this.compiled = m;
  }

  match(r: HttpRequest): boolean {
    return this.compiled!.match(r);
  }
}

export const expressionMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.expression',
  kind: 'matcher',
  doc: 'Matches by a CEL expression (with {placeholders} and matcher functions such as path() and header()).',
  schema: httpMatcherSchemas.expression,
  create(json, _ctx, path) {
    // Caddy's JSON is the expression, or (current Caddy) {expr, name} for a named matcher set.
    const c = typeof json === 'string' ? { expr: json } : (json as { expr?: string; name?: string });
    return new ExpressionMatcher(c.expr ?? '', c.name ?? '', path);
  },
};
