/** @module helper-impl: the `Helper` every directive parser gets (Caddy's `httpcaddyfile.Helper`). */
import { CaddyfileError, Dispenser } from '../../caddyfile/dispenser.js';
import type { Token } from '../../caddyfile/token.js';
import type { ServerBlock } from '../../caddyfile/ast.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { Helper, MatcherSet } from '../helper.js';
import { directive, type ConfigValue } from '../registry.js';
import type { AdaptedHttpHandler, SubrouteHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import { matcherSetFromToken, parseMatcherDefinition, parseNestedMatcherSet } from '../matchers/index.js';
import { normalizeDirectiveName } from '../directives/order.js';
import type { AdaptContext } from './context.js';
import { buildSubroute, subrouteHandler, type GroupCounter, type Route } from './route.js';
import { AdaptError, codeOf, messageOf, tokenOf } from './errors.js';

/** The context a helper carries besides its tokens. */
export interface HelperScope {
  ctx: AdaptContext;
  state: Map<string, unknown>;
  blockState: Map<string, unknown>;
  matcherDefs: Map<string, MatcherSet>;
  parentBlock: ServerBlock;
  groupCounter: GroupCounter;
}

/** A bind config value (Caddy's `addressesWithProtocols`). */
export interface BindValue {
  addresses: string[];
  protocols: string[] | undefined;
}

/** The Helper implementation: a Dispenser over one segment plus the site's scope. */
export class HelperImpl extends Dispenser implements Helper {
  constructor(
    tokens: Token[],
    readonly scope: HelperScope,
  ) {
    super(tokens);
  }

  get options(): ReadonlyMap<string, unknown> {
    return this.scope.ctx.options;
  }
  get state(): Map<string, unknown> {
    return this.scope.state;
  }
  get blockState(): Map<string, unknown> {
    return this.scope.blockState;
  }
  get blockKeys(): readonly Token[] {
    return this.scope.parentBlock.keys;
  }
  get warnings(): Diagnostic[] {
    return this.scope.ctx.warnings;
  }

  option(name: string): unknown {
    return this.scope.ctx.options.get(name);
  }

  caddyfiles(): string[] {
    const files = new Set<string>();
    for (const s of this.scope.parentBlock.segments) for (const t of s.tokens) files.add(t.file);
    return [...files].sort();
  }

  hasMatcherToken(): boolean {
    if (!this.nextArg()) return false;
    const t = this.token();
    this.prev();
    return t.text === '*' || t.text.startsWith('/') || t.text.startsWith('@');
  }

  extractMatcherSet(): MatcherSet | undefined {
    let set: MatcherSet | undefined;
    if (this.nextArg()) {
      const [m, has] = matcherSetFromToken(this.token(), this.scope.matcherDefs);
      set = m;
      if (has) this.delete();
    }
    this.reset();
    return set;
  }

  newRoute(matcherSet: MatcherSet | undefined, handler: AdaptedHttpHandler): ConfigValue[] {
    const route: Route = { handle: [moduleObject<AdaptedHttpHandler>('handler', handler.handler, handler)] };
    if (matcherSet) route.match = [matcherSet];
    return [{ class: 'route', value: route }];
  }

  groupRoutes(values: ConfigValue[]): void {
    const routes = values.filter((v) => v.class === 'route' && isPlainRoute(v.value));
    if (routes.length < 2) return;
    const group = this.scope.groupCounter.next();
    for (const v of routes) v.value = { ...(v.value as Route), group };
  }

  newBindAddresses(addresses: string[]): ConfigValue[] {
    const value: BindValue = { addresses, protocols: undefined };
    return [{ class: 'bind', value }];
  }

  parseSegmentAsSubroute(): SubrouteHandler {
    const values = this.parseSegmentAsConfig();
    return subrouteHandler(buildSubroute(values, this.scope.groupCounter, true, this.scope.ctx.order));
  }

  /**
   * The nested directives of the block as config values. A nested directive (or matcher definition) that fails
   * is skipped and the rest still parsed: the first failure is thrown, as Caddy's, the others are deferred to
   * the adaptation's error list after it.
   */
  parseSegmentAsConfig(): ConfigValue[] {
    const all: ConfigValue[] = [];
    const failed: Error[] = [];
    const attempt = (run: () => void): void => {
      try {
        run();
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        failed.push(e);
      }
    };
    while (this.next()) {
      if (this.nextArg()) throw this.argErr();
      const segments: Token[][] = [];
      for (const n = this.nesting(); this.nextBlock(n); ) segments.push(this.nextSegment());
      const defs = new Map(this.scope.matcherDefs);
      const rest: Token[][] = [];
      for (const seg of segments) {
        if (seg[0]?.text.startsWith('@')) attempt(() => parseMatcherDefinition(new Dispenser(seg), defs));
        else rest.push(seg);
      }
      const blockState = new Map(this.scope.blockState);
      for (const seg of rest) attempt(() => all.push(...this.parseNested(seg, defs, blockState)));
    }
    if (failed.length > 0) {
      this.scope.ctx.defer(failed.slice(1));
      throw failed[0]!;
    }
    return all;
  }

  /** One nested directive's config values. */
  private parseNested(seg: Token[], defs: Map<string, MatcherSet>, blockState: Map<string, unknown>): ConfigValue[] {
    const dir = seg[0]!.text;
    const def = directive(dir);
    if (!def) {
      // Caddy's position in the text is the cursor's (the end of the block); the range is the directive's.
      const msg = `unrecognized directive: ${dir} - are you sure your Caddyfile structure (nesting and braces) is correct?`;
      throw new CaddyfileError(this.where(msg), seg[0], 'unknown-directive');
    }
    const sub = new HelperImpl(seg, { ...this.scope, matcherDefs: defs, blockState });
    let results: ConfigValue[];
    try {
      results = def.parse(sub);
    } catch (e) {
      throw new AdaptError(
        this.where(`parsing caddyfile tokens for '${dir}': ${messageOf(e)}`),
        tokenOf(e) ?? seg[0],
        codeOf(e),
      );
    }
    return results.map((r) => ({ ...r, directive: normalizeDirectiveName(dir) }));
  }

  parseMatcherDefinition(): MatcherSet {
    return parseNestedMatcherSet(this);
  }

  withDispenser(d: Dispenser): Helper {
    return new HelperImpl(d.allTokens() as Token[], this.scope);
  }

  warn(message: string): void {
    this.scope.ctx.warn(message, this.hasToken() ? this.token() : undefined);
  }
}

function isPlainRoute(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { kind?: string }).kind !== 'subroute';
}
