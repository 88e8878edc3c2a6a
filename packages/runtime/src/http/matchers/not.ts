/** @module http/matchers/not: `http.matchers.not`: true when none of its matcher sets match. */
import type { LoadContext, RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { anyMatch, compileMatcherSets, type MatcherSets } from '../routes.js';
import { httpMatcherSchemas } from '@proxy/contract';

class MatchNot implements RequestMatcher {
  private sets: MatcherSets = [];
  constructor(
    private readonly json: unknown[],
    private readonly path: string,
  ) {}
  async provision(ctx: LoadContext): Promise<void> {
    this.sets = await compileMatcherSets(this.json, ctx, this.path);
  }
  match(r: HttpRequest): boolean {
    return this.sets.length > 0 && !anyMatch(this.sets, r);
  }
}

export const notMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.not',
  kind: 'matcher',
  doc: 'Negates matcher sets.',
  schema: httpMatcherSchemas.not,
  create: (json, _ctx, path) => new MatchNot(json as unknown[], path),
};
