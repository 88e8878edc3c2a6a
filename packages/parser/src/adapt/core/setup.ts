/** @module setup: the adapter pipeline (Caddy's `httpcaddyfile.ServerType.Setup`). */
import type { CaddyfileAST, Segment, ServerBlock } from '../../caddyfile/ast.js';
import { Dispenser } from '../../caddyfile/dispenser.js';
import type { Token } from '../../caddyfile/token.js';
import { directive, globalOption, isAppValue, isDirective, type ConfigValue } from '../registry.js';
import type {
  AdaptedHttpHandler,
  AdminConfig,
  AdminConfigSettings,
  Apps,
  Config,
  Logging,
  Route as RouteJson,
  StorageConfig,
} from '@proxy/contract';
import { struct } from '../json.js';
import { optionValue } from '../options/values.js';
import { parseMatcherDefinition } from '../matchers/index.js';
import type { MatcherSet } from '../helper.js';
import type { AdaptContext } from './context.js';
import { AdaptError, wrapError } from './errors.js';
import { HelperImpl, type HelperScope } from './helper-impl.js';
import { GroupCounter, buildSubroute, routeJSON, subrouteHandler } from './route.js';
import { replaceShorthands } from '../shorthands.js';
import type { SiteBlock } from './site.js';
import { consolidateAddrMappings, mapAddresses } from './listeners.js';
import { serversFromPairings } from './servers.js';
import { httpAppJSON } from './http-app.js';
import { buildLogging } from './logging.js';
import { normalizeDirectiveName } from '../directives/order.js';
import { buildTLSApp } from '../tls/app.js';
import { buildPKIApp } from '../tls/pki-app.js';
import { applyServerOptions, hoistMetrics } from '../options/servers-apply.js';

/** The block with placeholder shorthands expanded; tokens and segments without any are kept as they are. */
function replaceSegmentShorthands(b: ServerBlock): ServerBlock {
  return { ...b, segments: b.segments.map(replaceInSegment) };
}

function replaceInSegment(s: Segment): Segment {
  let tokens: Token[] | undefined;
  for (let i = 0; i < s.tokens.length; i++) {
    const t = s.tokens[i]!;
    const text = replaceShorthands(t.text);
    if (text === t.text && !tokens) continue;
    tokens ??= s.tokens.slice(0, i);
    tokens.push(text === t.text ? t : { ...t, text });
  }
  return tokens ? { ...s, tokens } : s;
}

function evaluateGlobalOptions(block: ServerBlock, ctx: AdaptContext): void {
  for (const seg of block.segments) ctx.attempt(() => evaluateGlobalOption(seg, ctx), seg.tokens[0]);
  ctx.attempt(() => checkServerOptions(ctx));
}

function evaluateGlobalOption(seg: Segment, ctx: AdaptContext): void {
  const first = seg.tokens[0]!;
  const opt = first.text;
  const parse = globalOption(opt);
  if (!parse)
    throw new AdaptError(
      `${first.file}:${first.line}: unrecognized global option: ${opt}`,
      first,
      'unknown-global-option',
    );
  let val: unknown;
  try {
    val = parse(new Dispenser([...seg.tokens]), ctx.options.get(opt));
  } catch (e) {
    throw wrapError(`parsing caddyfile tokens for '${opt}': `, e, first);
  }
  if (opt === 'servers' || opt === 'log' || opt === 'default_bind') {
    const existing = (ctx.options.get(opt) as unknown[] | undefined) ?? [];
    // A parser may return only its new values (Caddy's convention) or the earlier ones too: keep each once.
    const fresh = (Array.isArray(val) ? val : [val]).filter((v) => !existing.includes(v));
    ctx.options.set(opt, [...existing, ...fresh]);
    return;
  }
  ctx.options.set(opt, val);
}

function checkServerOptions(ctx: AdaptContext): void {
  const servers = optionValue(ctx.options, 'servers');
  if (servers) {
    // Go's sort.Slice (insertion sort for small inputs) by listener address length, descending.
    for (let i = 1; i < servers.length; i++) {
      for (let j = i; j > 0 && servers[j]!.listenerAddress.length > servers[j - 1]!.listenerAddress.length; j--) {
        [servers[j], servers[j - 1]] = [servers[j - 1]!, servers[j]!];
      }
    }
    const seen = new Set<string>();
    for (const s of servers) {
      if (seen.has(s.listenerAddress))
        throw new AdaptError(
          `cannot have 'servers' global options with duplicate listener addresses: ${s.listenerAddress}`,
        );
      seen.add(s.listenerAddress);
    }
  }
}

function namedRouteState(state: Map<string, unknown>): Set<string> | undefined {
  return state.get('named_route') as Set<string> | undefined;
}

function extractNamedRoutes(blocks: ServerBlock[], ctx: AdaptContext): [ServerBlock[], Map<string, RouteJson>] {
  const named = new Map<string, RouteJson>();
  const invokes = new Map<string, Set<string>>();
  const gc = new GroupCounter();
  const state = new Map<string, unknown>();
  const rest: ServerBlock[] = [];
  for (const b of blocks) {
    if (!b.isNamedRoute) {
      rest.push(b);
      continue;
    }
    if (b.segments.length === 0) continue;
    ctx.attempt(() => extractNamedRoute(b, ctx, named, invokes, gc, state), b.keys[0]);
  }
  ctx.options.set('named_routes', named);
  ctx.options.set('named_route_invokes', invokes);
  return [rest, named];
}

function extractNamedRoute(
  b: ServerBlock,
  ctx: AdaptContext,
  named: Map<string, RouteJson>,
  invokes: Map<string, Set<string>>,
  gc: GroupCounter,
  state: Map<string, unknown>,
): void {
  const rb = replaceSegmentShorthands(b);
  const whole: Token[] = rb.segments.flatMap((s) => s.tokens);
  const name = b.keys[0]!.text;
  if (named.has(name)) throw new AdaptError(`cannot have duplicate named_routes: ${name}`, b.keys[0]);
  const h = new HelperImpl(whole, {
    ctx,
    state,
    blockState: new Map(),
    matcherDefs: new Map(),
    parentBlock: rb,
    groupCounter: gc,
  });
  const sub = buildSubroute(h.parseSegmentAsConfig(), gc, true, ctx.order);
  let handle: AdaptedHttpHandler;
  if (sub.routes.length === 1 && !sub.routes[0]!.match?.length) handle = sub.routes[0]!.handle![0]!;
  else handle = subrouteHandler(sub);
  named.set(name, routeJSON({ handle: [handle] }));
  const inv = namedRouteState(state);
  if (inv) invokes.set(name, new Set(inv));
  state.delete('named_route');
}

function evaluateSite(b: ServerBlock, index: number, ctx: AdaptContext, gc: GroupCounter): SiteBlock {
  const block = replaceSegmentShorthands(b);
  const site: SiteBlock = { index, block, pile: new Map() };
  if (block.keys.length === 0)
    throw new AdaptError(
      'server block without any key is global configuration, and if used, it must be first',
      block.segments[0]?.tokens[0],
    );
  const defs = new Map<string, MatcherSet>();
  for (const seg of block.segments) {
    if (seg.tokens[0]!.text.startsWith('@'))
      ctx.attempt(() => parseMatcherDefinition(new Dispenser([...seg.tokens]), defs), seg.tokens[0]);
  }
  const blockState = new Map<string, unknown>();
  const scope: HelperScope = {
    ctx,
    state: ctx.state,
    blockState,
    matcherDefs: defs,
    parentBlock: block,
    groupCounter: gc,
  };
  for (const seg of block.segments) {
    if (!seg.tokens[0]!.text.startsWith('@')) ctx.attempt(() => evaluateDirective(seg, site, scope), seg.tokens[0]);
  }
  return site;
}

/** Runs one directive segment of a site and piles its results. */
function evaluateDirective(seg: Segment, site: SiteBlock, scope: HelperScope): void {
  const { ctx } = scope;
  const first = seg.tokens[0]!;
  const dir = first.text;
  const def = directive(dir);
  if (!def) {
    let msg = `${first.file}:${first.line}: unrecognized directive: ${dir}`;
    if (!site.block.hasBraces)
      msg +=
        '\nDid you mean to define a second site? If so, you must use curly braces around each site to separate their configurations.';
    throw new AdaptError(msg, first, 'unknown-directive');
  }
  const h = new HelperImpl([...seg.tokens], scope);
  let results: ConfigValue[];
  try {
    results = def.parse(h);
  } catch (e) {
    throw wrapError(`parsing caddyfile tokens for '${dir}': `, e, first);
  }
  for (const r of results) {
    const v = { ...r, directive: normalizeDirectiveName(dir) };
    const list = site.pile.get(v.class);
    if (list) list.push(v);
    else site.pile.set(v.class, [v]);
  }
  const inv = namedRouteState(ctx.state);
  if (inv) {
    for (const name of inv) {
      site.pile.set('named_route', [...(site.pile.get('named_route') ?? []), { class: 'named_route', value: name }]);
    }
    ctx.state.delete('named_route');
  }
}

/**
 * Adapts a parsed Caddyfile. Each global option, named route, site and directive that fails is recorded in
 * `ctx.errors` and skipped; the config is built only when none failed (undefined otherwise). Stages after the
 * sites stop at their first error, as Caddy does. `sitesOnly` stops before them (an editor checking one block).
 */
export function setup(ast: CaddyfileAST, ctx: AdaptContext, sitesOnly = false): Config | undefined {
  for (const b of ast.blocks) ctx.attempt(() => checkBlockKeys(b));
  if (ctx.errors.length > 0) {
    ctx.structureFailed = true;
    return undefined;
  }
  let blocks = ast.blocks;
  if (blocks.length > 0 && blocks[0]!.keys.length === 0) {
    evaluateGlobalOptions(blocks[0]!, ctx);
    blocks = blocks.slice(1);
  }
  const order = ctx.options.get('order');
  if (Array.isArray(order)) ctx.order.splice(0, ctx.order.length, ...(order as string[]));
  const [siteBlocks, namedRoutes] = extractNamedRoutes(blocks, ctx);
  const gc = new GroupCounter();
  const sites = siteBlocks.map((b, i) => ctx.attempt(() => evaluateSite(b, i, ctx, gc), b.keys[0]));
  if (ctx.errors.length > 0 || sitesOnly) return undefined;
  ctx.assemblyFrom = { errors: ctx.errors.length, warnings: ctx.warnings.length };
  return ctx.attempt(() => buildConfig(sites as SiteBlock[], ctx, gc, namedRoutes));
}

/** Blocks whose keys are matchers or directives are mistakes in the structure of the file. */
function checkBlockKeys(b: ServerBlock): void {
  const first = b.keys[0];
  if (first?.text.startsWith('@'))
    throw new AdaptError(
      `${first.file}:${first.line}: cannot define a matcher outside of a site block: '${first.text}'`,
      first,
    );
  if (b.isNamedRoute) return;
  for (const k of b.keys) {
    if (isDirective(k.text)) {
      throw new AdaptError(
        `${k.file}:${k.line}: parsed '${k.text}' as a site address, but it is a known directive; directives must appear in a site block`,
        k,
      );
    }
  }
}

/** The stages after the sites: listeners, servers, apps. */
function buildConfig(
  sites: SiteBlock[],
  ctx: AdaptContext,
  gc: GroupCounter,
  namedRoutes: Map<string, RouteJson>,
): Config {
  const pairings = consolidateAddrMappings(mapAddresses(sites, ctx.options));
  const servers = serversFromPairings(pairings, ctx, gc, namedRoutes);
  applyServerOptions(servers, ctx.options);
  const metrics = hoistMetrics(servers, ctx.options);

  const apps = new Map<string, unknown>();
  if (servers.size > 0) apps.set('http', httpAppJSON(servers, ctx.options, metrics));
  const tls = buildTLSApp(pairings, ctx);
  if (tls) apps.set('tls', tls);
  const pki = buildPKIApp(pairings, ctx);
  if (pki) apps.set('pki', pki);

  const siteLogs = pairings.flatMap((p) => p.views.flatMap((v) => v.site.pile.get('custom_log') ?? []));
  const logging = buildLogging(
    (ctx.options.get('log') as ConfigValue[] | undefined) ?? [],
    siteLogs,
    ctx.options.has('debug'),
  );

  for (const v of ctx.options.values()) if (isAppValue(v)) apps.set(v.name, v.value);
  const fsys = ctx.options.get('filesystem');
  if (fsys) apps.set('caddy.filesystems', fsys);

  const cfg: Config = {};
  let admin = optionValue(ctx.options, 'admin');
  if (optionValue(ctx.options, 'persist_config') === 'off')
    admin = { ...admin, config: { ...admin?.config, persist: false } };
  if (admin) cfg.admin = adminJSON(admin);
  // The contract's Logging keeps writers and encoders open for the runtime; the adapter's are the known ones.
  if (logging) cfg.logging = logging as Logging;
  const storage = optionValue(ctx.options, 'storage');
  // The contract's StorageConfig is open (an index signature) for the runtime, which the adapted storage
  // module's interface cannot be assigned to without a cast; it is checked where it is built.
  if (storage) cfg.storage = storage as StorageConfig;
  if (apps.size > 0) {
    const sorted: Apps = {};
    for (const k of [...apps.keys()].sort()) sorted[k] = apps.get(k);
    cfg.apps = sorted;
  }
  return cfg;
}

/** The admin config in Go struct order; `persist: false` is kept (a pointer in Caddy). */
function adminJSON(a: AdminConfig): AdminConfig {
  const c = a.config;
  return struct<AdminConfig>({
    disabled: a.disabled,
    listen: a.listen,
    enforce_origin: a.enforce_origin,
    origins: a.origins,
    config:
      c &&
      struct<AdminConfigSettings>(
        { persist: c.persist, load: c.load, load_delay: c.load_delay },
        c.persist === false ? ['persist'] : [],
      ),
    identity: a.identity,
    remote: a.remote,
  });
}
