/**
 * @module modules: the one lookup of Caddyfile-side modules, by kind and name (or by Caddy module ID), over the
 * explicit lists, and the catalogue made from them. The index is built on first use.
 */
import { listDirectives } from './directives/list.js';
import { listHTTPGuestModules } from './directives/guest-list.js';
import { listLayer4Modules } from './layer4/list.js';
import { listMatchers } from './matchers/list.js';
import {
  GUEST_NAMESPACES,
  LAYER4_NAMESPACES,
  type CaddyfileModule,
  type GuestKind,
  type Layer4Kind,
  type ModuleDoc,
  type ModuleKind,
  type ModuleOfKind,
} from './module.js';
import { listGlobalOptions, listListenerWrappers } from './options/list.js';
import { listTLSModules } from './tls/list.js';

/**
 * Every module, in list order. The lists are functions, read on first lookup: a module file that looks modules
 * up imports this file, which imports the lists, which import that module file again, so no list may read its
 * entries while the files are still being evaluated.
 */
export function allModules(): readonly CaddyfileModule[] {
  return [
    ...listDirectives(),
    ...listGlobalOptions(),
    ...listListenerWrappers(),
    ...listMatchers(),
    ...listTLSModules(),
    ...listHTTPGuestModules(),
    ...listLayer4Modules(),
  ];
}

/** Directives and handler directives share one name space (a name is one or the other). */
function space(kind: ModuleKind): string {
  return kind === 'handler-directive' ? 'directive' : kind;
}

let index: Map<string, CaddyfileModule> | undefined;

function table(): Map<string, CaddyfileModule> {
  if (index) return index;
  const built = new Map<string, CaddyfileModule>();
  for (const m of allModules()) {
    const key = `${space(m.kind)}:${m.name}`;
    if (built.has(key)) throw new Error(`${m.kind} ${m.name} is listed twice`);
    built.set(key, m);
  }
  return (index = built);
}

/** The module of a kind by name. */
export function lookup<K extends ModuleKind>(kind: K, name: string): ModuleOfKind<K> | undefined {
  const m = table().get(`${space(kind)}:${name}`);
  return m?.kind === kind ? (m as ModuleOfKind<K>) : undefined;
}

/** A directive or handler directive by name. */
export function lookupDirective(name: string): ModuleOfKind<'directive' | 'handler-directive'> | undefined {
  return table().get(`directive:${name}`) as ModuleOfKind<'directive' | 'handler-directive'> | undefined;
}

/** Kinds by namespace: `tls.issuance` -> `tls-issuer`. */
function byNamespace<K extends string>(namespaces: Record<K, string>): Map<string, K> {
  return new Map((Object.entries(namespaces) as [K, string][]).map(([kind, ns]) => [ns, kind]));
}

const GUEST_BY_NAMESPACE = byNamespace<GuestKind>(GUEST_NAMESPACES);
const LAYER4_BY_NAMESPACE = byNamespace<Layer4Kind>(LAYER4_NAMESPACES);
const NAMESPACE_OF: Partial<Record<ModuleKind, string>> = { ...GUEST_NAMESPACES, ...LAYER4_NAMESPACES };

/** Splits a module ID at its last dot: `tls.issuance.acme` -> [`tls.issuance`, `acme`]. */
function splitId(id: string): [string, string] {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? ['', id] : [id.slice(0, dot), id.slice(dot + 1)];
}

/** A TLS guest module (issuer, DNS provider, storage, trust pool source...) by its Caddy module ID. */
export function guestModule(id: string): ModuleOfKind<GuestKind> | undefined {
  const [ns, name] = splitId(id);
  const kind = GUEST_BY_NAMESPACE.get(ns);
  return kind ? lookup(kind, name) : undefined;
}

/** A caddy-l4 module (or a TLS handshake matcher it nests) by its Caddy module ID. */
export function layer4Module(id: string): ModuleOfKind<Layer4Kind> | undefined {
  const [ns, name] = splitId(id);
  const kind = LAYER4_BY_NAMESPACE.get(ns);
  return kind ? lookup(kind, name) : undefined;
}

/** A module's Caddy module ID, where it is loaded by ID. */
function moduleId(m: CaddyfileModule): string | undefined {
  const ns = NAMESPACE_OF[m.kind];
  return ns === undefined ? undefined : `${ns}.${m.name}`;
}

/** The editor catalogue: every module's kind, name, ID, syntax, doc and subdirectives, without parsers. */
export function catalogue(): ModuleDoc[] {
  return [...table().values()].map((m) => {
    const doc: ModuleDoc = { kind: m.kind, name: m.name, syntax: m.syntax, doc: m.doc };
    const id = moduleId(m);
    if (id !== undefined) doc.id = id;
    if (m.subdirectives) doc.subdirectives = m.subdirectives;
    return doc;
  });
}
