/**
 * @module tls/misc-modules: small guest modules: the test DNS provider `mock`, `caddy.storage.file_system`,
 * on-demand permission `http`, and cert managers `http`/`tailscale`.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type {
  AdaptedCertGetter,
  FileStorage as FileStorageJson,
  HttpPermission,
  MockDnsProvider,
  OwnFields,
} from '@proxy/contract';
import type { ModuleOfKind } from '../module.js';
import { struct } from '../json.js';

type Getter<V extends AdaptedCertGetter['via']> = OwnFields<Extract<AdaptedCertGetter, { via: V }>, 'via'>;

/** `mock [arg]`: Caddy's test-only DNS provider. */
function parseMockDNS(d: Dispenser): OwnFields<MockDnsProvider, 'name'> {
  d.next();
  const out: OwnFields<MockDnsProvider, 'name'> = {};
  if (d.nextArg()) out['argument'] = d.val();
  if (d.nextArg()) throw d.argErr();
  return out;
}

/** `file_system [root] { root PATH }`. */
function parseFileStorage(d: Dispenser): OwnFields<FileStorageJson, 'module'> {
  if (!d.next()) throw d.err('expected tokens');
  let root = '';
  if (d.nextArg()) root = d.val();
  if (d.nextArg()) throw d.argErr();
  for (const n = d.nesting(); d.nextBlock(n); ) {
    if (d.val() !== 'root') throw d.err(`unrecognized parameter '${d.val()}'`);
    if (!d.nextArg()) throw d.argErr();
    if (root !== '') throw d.err('storage root already set');
    root = d.val();
    if (d.nextArg()) throw d.argErr();
  }
  if (root === '') throw d.err('missing root path');
  return { root };
}

/** `http <endpoint>`: on-demand TLS permission by HTTP request. */
function parseHTTPPermission(d: Dispenser): OwnFields<HttpPermission, 'module'> {
  d.next();
  if (!d.nextArg()) throw d.argErr();
  return { endpoint: d.val() };
}

/** `http <url>`: get certificates from an HTTP endpoint. */
function parseHTTPCertGetter(d: Dispenser): Getter<'http'> {
  d.next();
  if (!d.nextArg()) throw d.argErr();
  const url = d.val();
  if (d.nextArg()) throw d.argErr();
  return struct<Getter<'http'>>({ url });
}

/** `tailscale`: get certificates from the local Tailscale daemon. */
function parseTailscale(d: Dispenser): Getter<'tailscale'> {
  d.next();
  if (d.nextArg()) throw d.argErr();
  return {};
}

export const MockDNS: ModuleOfKind<'dns-provider'> = {
  kind: 'dns-provider',
  name: 'mock',
  syntax: 'mock [<arg>]',
  doc: "Caddy's test-only DNS provider.",
  parse: parseMockDNS,
};

export const FileStorage: ModuleOfKind<'storage'> = {
  kind: 'storage',
  name: 'file_system',
  syntax: 'file_system [<root>] { root <path> }',
  doc: 'Stores certificates and other assets in a folder.',
  subdirectives: [{ name: 'root', syntax: 'root <path>', doc: 'The storage folder.' }],
  parse: parseFileStorage,
};

export const HTTPPermission: ModuleOfKind<'tls-permission'> = {
  kind: 'tls-permission',
  name: 'http',
  syntax: 'http <endpoint>',
  doc: 'Allows on-demand certificates for names that an HTTP endpoint approves with 200.',
  parse: parseHTTPPermission,
};

export const HTTPCertGetter: ModuleOfKind<'tls-cert-getter'> = {
  kind: 'tls-cert-getter',
  name: 'http',
  syntax: 'http <url>',
  doc: 'Gets certificates from an HTTP endpoint during the handshake.',
  parse: parseHTTPCertGetter,
};

export const TailscaleCertGetter: ModuleOfKind<'tls-cert-getter'> = {
  kind: 'tls-cert-getter',
  name: 'tailscale',
  syntax: 'tailscale',
  doc: 'Gets certificates from the local Tailscale daemon.',
  parse: parseTailscale,
};
