/**
 * @module test-helper: a minimal `Helper` for unit-testing directive parsers before (and apart from) the
 * adapter pipeline: matcher tokens, routes, source-order subroutes, and simple matcher definitions.
 */
import type { AdaptedHttpHandler, Route, SubrouteHandler } from '@proxy/contract';
import {
  Dispenser,
  directive,
  moduleObject,
  sortedObject,
  type ConfigValue,
  type Diagnostic,
  type Helper,
  type JsonObject,
  type MatcherSet,
  type Token,
} from '@proxy/parser';

/** Context shared by a test helper and the helpers it derives. */
interface Context {
  matchers: Map<string, MatcherSet>;
  state: Map<string, unknown>;
  warnings: Diagnostic[];
  caddyfiles: string[];
}

class TestHelper extends Dispenser implements Helper {
  readonly options = new Map<string, unknown>();
  readonly blockState = new Map<string, unknown>();
  readonly blockKeys: readonly Token[] = [];

  constructor(
    tokens: Token[],
    private readonly ctx: Context,
  ) {
    super(tokens, 'Testfile');
  }

  get state(): Map<string, unknown> {
    return this.ctx.state;
  }
  get warnings(): Diagnostic[] {
    return this.ctx.warnings;
  }
  option(name: string): unknown {
    return this.options.get(name);
  }
  caddyfiles(): string[] {
    return this.ctx.caddyfiles;
  }

  hasMatcherToken(): boolean {
    if (!this.nextArg()) return false;
    const v = this.val();
    this.prev();
    return v === '*' || v.startsWith('/') || v.startsWith('@');
  }

  extractMatcherSet(): MatcherSet | undefined {
    let set: MatcherSet | undefined;
    if (this.nextArg()) {
      const v = this.val();
      if (v === '*' || v.startsWith('/') || v.startsWith('@')) {
        if (v.startsWith('/')) set = { path: [v] };
        else if (v.startsWith('@')) {
          set = this.ctx.matchers.get(v.slice(1));
          if (!set) throw this.err(`unrecognized matcher name: ${v}`);
        }
        this.delete();
      }
    }
    this.reset();
    return set;
  }

  newRoute(matcherSet: MatcherSet | undefined, handler: AdaptedHttpHandler): ConfigValue[] {
    const value: Route = {};
    if (matcherSet) value.match = [matcherSet];
    value.handle = [handler];
    return [{ class: 'route', value }];
  }

  groupRoutes(values: ConfigValue[]): void {
    if (values.length < 2) return;
    for (const v of values) (v.value as JsonObject).group = 'group0';
  }

  newBindAddresses(addresses: string[]): ConfigValue[] {
    return [{ class: 'bind', value: addresses }];
  }

  parseSegmentAsConfig(): ConfigValue[] {
    const out: ConfigValue[] = [];
    while (this.next()) {
      if (this.nextArg()) throw this.argErr();
      while (this.nextBlock(0)) {
        const name = this.val();
        const seg = this.nextSegment();
        if (name.startsWith('@')) {
          const sub = new TestHelper(seg, this.ctx);
          sub.next();
          this.ctx.matchers.set(name.slice(1), sub.parseMatcherDefinition());
          continue;
        }
        const def = directive(name);
        if (!def) throw this.err(`unrecognized directive: ${name}`);
        out.push(...def.parse(new TestHelper(seg, this.ctx)));
      }
    }
    return out;
  }

  /** Source order, adjacent routes with equal matchers merged (no sorting: the pipeline does that). */
  parseSegmentAsSubroute(): SubrouteHandler {
    const routes: JsonObject[] = [];
    for (const v of this.parseSegmentAsConfig()) {
      const r = v.value as JsonObject;
      const list =
        (r as { kind?: string; routes?: JsonObject[] }).kind === 'subroute' ? (r.routes as JsonObject[]) : [r];
      for (const route of list) {
        const prev = routes[routes.length - 1];
        if (prev && JSON.stringify(prev.match) === JSON.stringify(route.match) && prev.group === route.group) {
          (prev.handle as JsonObject[]).push(...(route.handle as JsonObject[]));
        } else {
          routes.push({ ...route, handle: [...(route.handle as JsonObject[])] });
        }
      }
    }
    return moduleObject<SubrouteHandler>('handler', 'subroute', { routes: routes.map((r) => sortedObject(r)) });
  }

  parseMatcherDefinition(): MatcherSet {
    const byName = new Map<string, string[][]>();
    for (const nesting = this.nesting(); this.nextArg() || this.nextBlock(nesting); ) {
      const name = this.val();
      const seg = new Dispenser(this.nextSegment());
      seg.next();
      const lines = byName.get(name) ?? [];
      lines.push(seg.remainingArgs());
      byName.set(name, lines);
    }
    const set: MatcherSet = {};
    for (const [name, lines] of byName) {
      if (name === 'expression') set.expression = lines[0]!.join(' ');
      else if (name === 'header') {
        const h: Record<string, string[]> = {};
        for (const [k, v] of lines) (h[k!] ??= []).push(v!);
        set.header = h;
      } else {
        // Any other matcher by its name, its arguments as a list: a stand-in, not the matcher's own type.
        (set as Record<string, unknown>)[name] = lines.flat();
      }
    }
    return set;
  }

  withDispenser(d: Dispenser): Helper {
    return new TestHelper([...d.allTokens()], this.ctx);
  }

  warn(message: string): void {
    this.ctx.warnings.push({
      severity: 'warning',
      message,
      file: 'Testfile',
      line: this.line(),
      column: 1,
      endLine: this.line(),
      endColumn: 1,
    });
  }
}

/** Options for `helperFor`. */
export interface HelperOptions {
  matchers?: Record<string, MatcherSet>;
  caddyfiles?: string[];
  state?: Map<string, unknown>;
}

/** A helper over the first segment of `text` (a directive and its block), cursor before the directive name. */
export function helperFor(text: string, opts: HelperOptions = {}): Helper {
  const tokens = [...Dispenser.fromText(`:80\n${text}`).allTokens()].slice(1);
  return new TestHelper(tokens, {
    matchers: new Map(Object.entries(opts.matchers ?? {})),
    state: opts.state ?? new Map(),
    warnings: [],
    caddyfiles: opts.caddyfiles ?? ['Caddyfile'],
  });
}

/** Runs the registered directive named by the text's first token; returns its config values. */
export function runDirective(text: string, opts: HelperOptions = {}): ConfigValue[] {
  const h = helperFor(text, opts);
  h.next();
  const def = directive(h.val());
  h.reset();
  if (!def) throw new Error(`no directive ${h.val()}`);
  return def.parse(h);
}

/** The handler JSON of a directive that produces exactly one route with one handler. */
export function handlerOf(text: string, opts: HelperOptions = {}): JsonObject {
  const values = runDirective(text, opts);
  const route = values[0]!.value as JsonObject;
  return (route.handle as JsonObject[])[0]!;
}

/** The handler JSON objects (with `handler` keys) inside a case's expected JSON, in document order. */
export function handlersIn(v: unknown, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(v)) for (const x of v) handlersIn(x, out);
  else if (v && typeof v === 'object') {
    const o = v as JsonObject;
    if (typeof o.handler === 'string' && o.handler !== 'subroute') out.push(o);
    for (const x of Object.values(o)) handlersIn(x, out);
  }
  return out;
}
