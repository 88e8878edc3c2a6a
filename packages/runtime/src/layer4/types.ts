/** @module layer4/types: the shapes of compiled matchers and handlers, and what they get from their runtime. */
import type { CertSelector } from '../tls/cert-selection.js';
import type { SecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { Connection } from './connection.js';
import type { CancelKeyRegistry } from './postgres/cancel-keys.js';

/** A matcher's answer needs more bytes than the buffer holds. */
export const MORE: unique symbol = Symbol('layer4.more');
export type MatchResult = boolean | typeof MORE;

/** A compiled matcher: synchronous, reads only `cx.buffer` and `cx.info`, never consumes. */
export interface Matcher {
  match(cx: Connection): MatchResult;
}

/** The rest of a handler chain. */
export type Next = (cx: Connection) => Promise<void>;

/** A compiled handler. Terminal handlers never call `next`; the others call it with the (maybe wrapped) connection. */
export interface Handler {
  handle(cx: Connection, next: Next): Promise<void>;
}

/**
 * What the embedding server gives the layer4 code. Structurally compatible with the http app's listener
 * wrapper context (`logger`, `tls`, `path`, `onCleanup`), so the wrapper factory can take it as is.
 */
export interface Layer4Context {
  logger?: Logger;
  /** Certificate for a TLS server name ('' when the client sent no SNI); used by the `tls` handler. */
  secureContextFor?: (serverName: string) => SecureContext | undefined;
  /**
   * Certificate and key for a server name, when policies need contexts of their own (cipher suites,
   * curves, client CAs). Optional: without it those policy options are config errors.
   */
  certificateFor?: (serverName: string) => CertificatePair | undefined;
  /** The tls app, used for certificates when `secureContextFor` / `certificateFor` are not given. */
  tls?: {
    secureContextFor(serverName: string | undefined): SecureContext | undefined;
    certificateFor?(serverName: string | undefined): CertificatePair | undefined;
    /** The certificate a connection policy's `certificate_selection` picks for the name. */
    selectCertificate?(select: CertSelector, serverName: string | undefined): CertificatePair | undefined;
    /** The ACME tls-alpn-01 challenge certificate for this ClientHello, when one is being validated. */
    acmeChallengeFor?(serverName: string | undefined, alpn: readonly string[]): SecureContext | undefined;
  };
  /** JSON path of this config, for error messages. */
  path?: string;
  /** Registers cleanup to run on config unload. */
  onCleanup?: (fn: () => void | Promise<void>) => void;
  /** Called for each TCP connection a server accepts; what it returns is called when that connection closes. */
  onConnection?: (server: string) => () => void;
}

/** PEM certificate chain and private key. */
export interface CertificatePair {
  cert: string | Buffer;
  key: string | Buffer;
}

/** Per-config state shared by every compiled module (released by `close()`). */
export interface Layer4Runtime {
  logger: Logger;
  secureContextFor: (serverName: string) => SecureContext | undefined;
  certificateFor: ((serverName: string) => CertificatePair | undefined) | undefined;
  /** `certificate_selection` among the tls app's certificates (undefined without a tls app). */
  selectCertificate: ((select: CertSelector, serverName: string) => CertificatePair | undefined) | undefined;
  /** The tls app's answer to an ACME tls-alpn-01 validation (undefined without a tls app). */
  acmeChallengeFor: ((serverName: string, alpn: readonly string[]) => SecureContext | undefined) | undefined;
  cancelKeys: CancelKeyRegistry;
  /** Called on config unload: timers, health checkers, live connections. */
  closers: Array<() => void>;
}

/** Compiles the nested parts of a module's config (subroute routes, `not` sets, tee branches). */
export interface Compiler {
  runtime: Layer4Runtime;
  matcherSets(json: unknown, path: string): MatcherSets;
  handlers(json: unknown, path: string): Handler[];
  routes(json: unknown, path: string, matchingTimeoutMs: number): RouteList;
}

/** Matcher sets OR-ed; the matchers of one set AND-ed. */
export interface MatcherSets {
  readonly sets: Matcher[][];
  /** Whether a postgres matcher is among them (the route list then speaks PostgreSQL when nothing matches). */
  readonly postgres: boolean;
  match(cx: Connection): MatchResult;
}

export interface CompiledRoute {
  readonly path: string;
  /** null = matches every connection. */
  readonly matchers: MatcherSets | null;
  readonly handlers: Handler[];
}

export interface RouteList {
  readonly routes: CompiledRoute[];
  readonly matchingTimeoutMs: number;
  /** Some route matches PostgreSQL messages: answer GSSENCRequest/SSLRequest 'N' and reject unrouted startups. */
  readonly postgres: boolean;
}

export type MatcherFactory = (json: unknown, path: string, compiler: Compiler) => Matcher;
export type HandlerFactory = (json: Record<string, unknown>, path: string, compiler: Compiler) => Handler;
