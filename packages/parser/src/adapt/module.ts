/**
 * @module module: the one shape of a Caddyfile-side module (a directive, a global option, a request matcher, a
 * listener wrapper, a guest module loaded by ID or a caddy-l4 module). Each module file exports its definition;
 * the list files (`directives/list.ts`, `options/list.ts`, `matchers/list.ts`, `tls/list.ts`,
 * `directives/guest-list.ts`, `layer4/list.ts`) collect them, and `modules.ts` looks them up by kind and name.
 * The same definitions feed the editor catalogue.
 */
import type {
  AdaptedCaPool,
  AdaptedCertGetter,
  AdaptedLeafVerifier,
  AdaptedLogEncoder,
  AdaptedLogFilter,
  AdaptedLogWriter,
  AdaptedTlsIssuer,
  FastcgiTransport,
  FileStorage,
  PostgresStorage,
  GzipEncoder,
  HttpPermission,
  HttpTransport,
  MockDnsProvider,
  Own,
  SelectionPolicies,
  UpstreamSource,
  ZstdEncoder,
} from '@proxy/contract';
import type { Dispenser } from '../caddyfile/dispenser.js';
import type { ModuleParser as Layer4Parser } from './layer4/registry.js';
import type { MatcherParser } from './matchers/registry.js';
import type { DirectiveParser, GlobalOptionParser, HandlerDirectiveParser, ListenerWrapperParser } from './registry.js';

/** A keyword inside a module's block (or its first line), for completion and hover. */
export interface Subdirective {
  name: string;
  /** The line's syntax, in the notation of Caddy's docs: `<required> [optional] a|b ...`. */
  syntax: string;
  /** One line saying what it does. */
  doc: string;
  /** The subdirectives of the block it opens, when that block has its own (`admin { config { ... } }`). */
  block?: readonly Subdirective[];
}

/** What every module says about itself: its name, its Caddyfile syntax and a one-line doc. */
export interface ModuleText {
  /** The whole syntax, first line and block: `respond [<matcher>] <status>|<body> [<status>] { ... }`. */
  syntax: string;
  /** One line saying what it does. */
  doc: string;
  subdirectives?: readonly Subdirective[];
}

/**
 * Modules loaded by Caddy module ID (`caddyfile.UnmarshalModule`), by kind: the ID is `NAMESPACE.name`.
 * Guest modules (TLS, reverse_proxy, encode and log modules) parse `(d) => fields` (see GuestOutputs); caddy-l4 modules parse
 * `(d, ctx) => JsonValue`.
 */
export const GUEST_NAMESPACES = {
  'tls-issuer': 'tls.issuance',
  'dns-provider': 'dns.providers',
  storage: 'caddy.storage',
  'tls-permission': 'tls.permission',
  'tls-cert-getter': 'tls.get_certificate',
  'tls-ca-pool-source': 'tls.ca_pool.source',
  'tls-leaf-verifier': 'tls.client_auth.verifier',
  'http-lb-policy': 'http.reverse_proxy.selection_policies',
  'http-transport': 'http.reverse_proxy.transport',
  'http-upstream-source': 'http.reverse_proxy.upstreams',
  'http-encoder': 'http.encoders',
  'log-writer': 'caddy.logging.writers',
  'log-encoder': 'caddy.logging.encoders',
  'log-filter': 'caddy.logging.encoders.filter',
} as const;

export const LAYER4_NAMESPACES = {
  'layer4-matcher': 'layer4.matchers',
  'layer4-handler': 'layer4.handlers',
  'layer4-lb-policy': 'layer4.proxy.selection_policies',
  'tls-handshake-matcher': 'tls.handshake_match',
} as const;

export type GuestKind = keyof typeof GUEST_NAMESPACES;
export type Layer4Kind = keyof typeof LAYER4_NAMESPACES;

/**
 * What a guest module's parser returns, by kind: the contract's module type without its name key
 * (`moduleObject` adds it).
 */
interface GuestOutputs {
  'http-lb-policy': SelectionPolicies[keyof SelectionPolicies];
  'http-transport': WithoutName<HttpTransport | FastcgiTransport, 'protocol'>;
  'http-upstream-source': WithoutName<UpstreamSource, 'source'>;
  'http-encoder': GzipEncoder | ZstdEncoder;
  'tls-issuer': WithoutName<AdaptedTlsIssuer, 'module'>;
  'tls-ca-pool-source': WithoutName<AdaptedCaPool, 'provider'>;
  'tls-leaf-verifier': WithoutName<AdaptedLeafVerifier, 'verifier'>;
  'dns-provider': WithoutName<MockDnsProvider, 'name'>;
  storage: WithoutName<FileStorage | PostgresStorage, 'module'>;
  'tls-permission': WithoutName<HttpPermission, 'module'>;
  'tls-cert-getter': WithoutName<AdaptedCertGetter, 'via'>;
  'log-writer': WithoutName<AdaptedLogWriter, 'output'>;
  'log-encoder': WithoutName<AdaptedLogEncoder, 'format'>;
  'log-filter': WithoutName<AdaptedLogFilter, 'filter'>;
}

/** Each member of a union of module types without its name key. */
type WithoutName<T, Key extends string> = T extends unknown ? Own<T, Key> : never;

/** The parser of a guest module of kind K: its segment (cursor before the module name) to its fields. */
export type GuestParser<K extends GuestKind> = (d: Dispenser) => GuestOutputs[K];

/** Each kind's parser signature. */
type Parsers = {
  directive: DirectiveParser;
  /** Takes an optional matcher token; the pipeline wraps the handler in a route (`RegisterHandlerDirective`). */
  'handler-directive': HandlerDirectiveParser;
  'global-option': GlobalOptionParser;
  /** A request matcher, `http.matchers.NAME`. */
  matcher: MatcherParser;
  /** A listener wrapper in `servers { listener_wrappers { } }`, `caddy.listeners.NAME`. */
  'listener-wrapper': ListenerWrapperParser;
} & { [K in GuestKind]: GuestParser<K> } & { [K in Layer4Kind]: Layer4Parser<K> };

export type ModuleKind = keyof Parsers;

/**
 * The definition of a module of one kind; `parse` keeps that kind's own signature. Over a union of kinds it is
 * the union of their definitions (discriminated by `kind`).
 */
export type ModuleOfKind<K extends ModuleKind> = K extends ModuleKind
  ? ModuleText & { kind: K; name: string; parse: Parsers[K] }
  : never;

/** A module definition of any kind. */
export type CaddyfileModule = ModuleOfKind<ModuleKind>;

/** A catalogue entry: a module without its parser, plus its Caddy module ID where it is loaded by ID. */
export interface ModuleDoc extends ModuleText {
  kind: ModuleKind;
  name: string;
  id?: string;
}

/**
 * The modules of one guest kind from a table of parsers and a table of texts under the same names (the
 * compiler checks that every parser has its text), for files that define several small modules.
 */
export function guestModules<K extends GuestKind, N extends string>(
  kind: K,
  parsers: Record<N, GuestParser<K>>,
  texts: Record<N, ModuleText>,
): (ModuleText & { kind: K; name: string; parse: GuestParser<K> })[] {
  return (Object.keys(parsers) as N[]).map((name) => ({ kind, name, ...texts[name], parse: parsers[name] }));
}
