/** @module http/matchers/not: `http.matchers.not`: true when none of its matcher sets match. */
import type { LoadContext, ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { anyMatch, compileMatcherSets, type MatcherSets } from '../routes.js';

class MatchNot implements RequestMatcher {
  private sets: MatcherSets = [];
  constructor(private readonly json: unknown[], private readonly path: string) {}
  async provision(ctx: LoadContext): Promise<void> {
    this.sets = await compileMatcherSets(this.json, ctx, this.path);
  }
  match(r: HttpRequest): boolean {
    return this.sets.length > 0 && !anyMatch(this.sets, r);
  }
}

export const notMatcher: ModuleInfo<RequestMatcher> = {
  id: 'http.matchers.not',
  schema: s.arr(s.modmap('http.matchers')),
  create: (json, _ctx, path) => new MatchNot(json as unknown[], path),
};
