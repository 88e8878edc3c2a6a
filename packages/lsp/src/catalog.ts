/**
 * @module catalog: the parser's module catalogue indexed for the editor: directives (with their place in the
 * default handler order), global options, matchers, listener wrappers, guest modules and caddy-l4 modules.
 */
import { catalogue, defaultDirectiveOrder, type ModuleDoc, type ModuleKind } from '@proxy/parser';

export interface Catalog {
  all: readonly ModuleDoc[];
  directives: ModuleDoc[];
  globalOptions: ModuleDoc[];
  matchers: ModuleDoc[];
  layer4: ModuleDoc[];
  byKind(kinds: readonly ModuleKind[], name: string): ModuleDoc | undefined;
  /** Index of a directive in the default order, or the order's length when it has none. */
  orderOf(name: string): number;
}

let built: Catalog | undefined;

/** The catalogue, indexed on first use. */
export function catalog(): Catalog {
  if (built) return built;
  const all = catalogue();
  const of = (...kinds: ModuleKind[]) => all.filter((m) => kinds.includes(m.kind));
  const order = new Map(defaultDirectiveOrder.map((n, i) => [n, i]));
  return (built = {
    all,
    directives: of('directive', 'handler-directive'),
    globalOptions: of('global-option'),
    matchers: of('matcher'),
    layer4: of('layer4-matcher', 'layer4-handler'),
    byKind: (kinds, name) => all.find((m) => m.name === name && kinds.includes(m.kind)),
    orderOf: (name) => order.get(name) ?? defaultDirectiveOrder.length,
  });
}

/** The kinds a nested block's module may be (`transport http {`, `issuer acme {`...). */
export const GUEST_KINDS: readonly ModuleKind[] = [
  'tls-issuer',
  'dns-provider',
  'storage',
  'tls-permission',
  'tls-cert-getter',
  'tls-ca-pool-source',
  'tls-leaf-verifier',
  'http-lb-policy',
  'http-transport',
  'http-upstream-source',
  'http-encoder',
  'log-writer',
  'log-encoder',
  'log-filter',
  'listener-wrapper',
  'layer4-matcher',
  'layer4-handler',
  'layer4-lb-policy',
  'tls-handshake-matcher',
];

/** Markdown for a module: its syntax and doc. */
export function moduleMarkdown(m: { syntax: string; doc: string }): string {
  return `\`\`\`caddyfile\n${m.syntax}\n\`\`\`\n\n${m.doc}`;
}

/** The guest modules a subdirective's first argument names (`transport http`, `lb_policy first`...). */
export const ARGUMENT_KINDS: Readonly<Record<string, readonly ModuleKind[]>> = {
  transport: ['http-transport'],
  lb_policy: ['http-lb-policy'],
  dynamic: ['http-upstream-source'],
  encode: ['http-encoder'],
  issuer: ['tls-issuer'],
  dns: ['dns-provider'],
  storage: ['storage'],
  get_certificate: ['tls-cert-getter'],
  permission: ['tls-permission'],
  trust_pool: ['tls-ca-pool-source'],
  verifier: ['tls-leaf-verifier'],
  output: ['log-writer'],
  format: ['log-encoder'],
};
