/**
 * @module http/cel/matcher: the compiled `http.matchers.expression`, Caddy's CEL matcher (celmatcher.go). The
 * expression is compiled and type-checked at load (it must give a bool); matcher functions with constant
 * arguments build their matcher then. An evaluation error is logged and ends the request with a 500 through
 * the error routes, as Caddy's matcher error does.
 */
import type { Logger } from 'pino';
import type { LoadContext } from '../../modules.js';
import { ConfigError } from '../../util/errors.js';
import { HandlerError } from '../errors.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { CallArgumentError, constantValue, type CelNode, type MatcherJson } from './calls.js';
import {
  celEnvironment,
  CelRequest,
  goRegexp,
  GO_MATCHES_INTERNAL,
  parseCollecting,
  walk,
  type CelEvaluator,
  type CelScope,
  type MatcherCallSite,
} from './env.js';
import { expandPlaceholders, originalOffset, REQUEST_VAR, type Expanded } from './placeholders.js';

type Program = ReturnType<ReturnType<typeof celEnvironment>['parse']>;

/** An error of the CEL library: a summary and where in the expression. */
interface CelLibraryError {
  summary?: string;
  range?: { start: number; end: number };
  message: string;
}

/** A compiled CEL request matcher (loaded with the CEL library by the first expression matcher provisioned). */
export class MatchExpression implements RequestMatcher {
  private program: Program | undefined;
  private log: Logger | undefined;

  constructor(
    private readonly expr: string,
    private readonly name: string,
    private readonly path: string,
  ) {}

  async provision(ctx: LoadContext): Promise<void> {
    this.log = ctx.logger.child({ logger: 'http.matchers.expression' });
    const expanded = expandPlaceholders(this.expr);
    let program: Program;
    let calls: MatcherCallSite[];
    try {
      ({ parsed: program, calls } = parseCollecting(celEnvironment(), expanded.text));
      const checked = program.check();
      if (!checked.valid) throw checked.error;
      // Request matching is a boolean operation: anything else is a config error, as in Caddy.
      if (checked.type !== 'bool')
        throw this.error(`CEL request matcher expects return type of bool, not ${checked.type}`);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw this.error(`compiling CEL program: ${this.describe(e, expanded)}`);
    }
    this.checkRegexps(program.ast as CelNode);
    for (const site of calls) site.run = await this.compileCall(site, ctx);
    this.program = program;
  }

  match(r: HttpRequest): boolean {
    const req = new CelRequest(r);
    let out: unknown;
    try {
      out = this.program!({ [REQUEST_VAR]: req, request: req });
    } catch (e) {
      const message = e instanceof HandlerError ? e.message : summaryOf(e);
      this.log?.error({ expression: this.expr, error: message }, 'evaluating expression');
      throw new HandlerError(500, message);
    }
    return out === true;
  }

  /** Caddy compiles constant matches() patterns with the program (cel-go's regex optimization). */
  private checkRegexps(ast: CelNode): void {
    walk(ast, (n) => {
      if (n.op !== 'rcall' && n.op !== 'call') return;
      const [fn, ...rest] = n.args as [string, ...unknown[]];
      if (fn !== GO_MATCHES_INTERNAL) return;
      const args = rest[rest.length - 1] as CelNode[];
      const pattern = args[args.length - 1];
      if (pattern?.op !== 'value' || typeof pattern.args !== 'string') return;
      try {
        goRegexp(pattern.args);
      } catch (e) {
        throw this.error(
          `compiling CEL program: invalid regular expression ${JSON.stringify(pattern.args)}: ${(e as Error).message}`,
        );
      }
    });
  }

  /** The matcher of one call: built now when its arguments are constant, else per request. */
  private async compileCall(site: MatcherCallSite, ctx: LoadContext): Promise<MatcherCallSite['run']> {
    const constants = site.args.map(constantValue);
    if (constants.every((v) => v !== undefined)) {
      let m: MatcherJson;
      try {
        m = site.spec.build(constants, this.name);
      } catch (e) {
        throw this.error(`${site.spec.name}(): ${(e as Error).message}`);
      }
      let matcher: RequestMatcher;
      try {
        matcher = await ctx.loadNamed<RequestMatcher>(m.id, m.json, this.path, this.path);
      } catch (e) {
        const why = e instanceof ConfigError ? e.errors.map((x) => x.message).join('; ') : (e as Error).message;
        throw this.error(`${site.spec.name}(): ${why}`);
      }
      return (r) => matcher.match(r);
    }
    // Arguments from placeholders: the matcher is built when the request is known (cached by its JSON).
    const cache = new Map<string, RequestMatcher>();
    return (r: HttpRequest, ev: CelEvaluator, scope: CelScope) => {
      const values = site.args.map((a) => ev.run(a, scope));
      let m: MatcherJson;
      try {
        m = site.spec.build(values, this.name);
      } catch (e) {
        if (e instanceof CallArgumentError) throw new HandlerError(500, `${site.spec.name}(): ${e.message}`);
        throw e;
      }
      const key = `${m.id} ${JSON.stringify(m.json)}`;
      let matcher = cache.get(key);
      if (!matcher) {
        const info = ctx.modules.loadable(m.id);
        try {
          matcher = info!.create!(m.json, ctx, this.path) as RequestMatcher;
        } catch (e) {
          throw new HandlerError(500, `${site.spec.name}(): ${(e as Error).message}`);
        }
        if (cache.size >= 64) cache.clear();
        cache.set(key, matcher);
      }
      return matcher.match(r);
    };
  }

  private describe(e: unknown, expanded: Expanded): string {
    const summary = summaryOf(e).replaceAll(GO_MATCHES_INTERNAL, 'matches');
    if (!(e instanceof Error) || !(e as CelLibraryError).range) return summary;
    const at = originalOffset(expanded, (e as CelLibraryError).range!.start);
    return `${summary} (at column ${at + 1})`;
  }

  private error(message: string): ConfigError {
    return ConfigError.at(this.path, `${message} in expression ${JSON.stringify(this.expr)}`);
  }
}

/** The library's one-line summary of an error (its message adds a picture of the expression). */
function summaryOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return (e as CelLibraryError).summary ?? e.message;
}
