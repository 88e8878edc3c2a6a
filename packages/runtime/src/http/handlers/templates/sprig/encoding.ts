/** @module http/handlers/templates/sprig/encoding: Sprig's encodings, hashes, URLs, paths and types. */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { def } from '../../../../util/go-template/template.js';
import { goTypeName } from '../../../../util/go-template/values.js';
import { str, goKind } from './convert.js';
import { jsonValue } from './flow.js';
import type { FuncDef } from '../../../../util/go-template/template.js';

export const encodingFuncs: Record<string, FuncDef> = {
  b64enc: def((s: unknown) => Buffer.from(str(s)).toString('base64'), 1),
  // Sprig returns the decoding error as the result.
  b64dec: def((s: unknown) => {
    const bad = base64Error(str(s));
    return bad ?? Buffer.from(str(s), 'base64').toString();
  }, 1),
  sha1sum: def((s: unknown) => createHash('sha1').update(str(s)).digest('hex'), 1),
  sha256sum: def((s: unknown) => createHash('sha256').update(str(s)).digest('hex'), 1),
  adler32sum: def((s: unknown) => String(adler32(Buffer.from(str(s)))), 1),
  urlParse: def((v: unknown) => urlParse(str(v)), 1),
  base: def((p: unknown) => goBase(str(p)), 1),
  dir: def((p: unknown) => posix.dirname(str(p)), 1),
  ext: def((p: unknown) => posix.extname(str(p)), 1),
  clean: def((p: unknown) => (str(p) === '' ? '.' : posix.normalize(str(p)).replace(/(.)\/$/, '$1')), 1),
  isAbs: def((p: unknown) => str(p).startsWith('/'), 1),
  typeOf: def((v: unknown) => goTypeName(v), 1),
  kindOf: def((v: unknown) => goKind(v), 1),
  typeIs: def((t: unknown, v: unknown) => goTypeName(v) === str(t), 2),
  kindIs: def((t: unknown, v: unknown) => goKind(v) === str(t), 2),
  deepEqual: def((a: unknown, b: unknown) => JSON.stringify(jsonValue(a)) === JSON.stringify(jsonValue(b)), 2),
  expandenv: def(
    (s: unknown) =>
      str(s).replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => process.env[a ?? b ?? ''] ?? ''),
    1,
  ),
};

function goBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** The error Go's base64.StdEncoding gives for input it cannot decode, or undefined. */
function base64Error(s: string): string | undefined {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(clean);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  const pad = clean.indexOf('=');
  if (pad >= 0 && !/^=*$/.test(clean.slice(pad))) return `illegal base64 data at input byte ${pad}`;
  if (clean.length % 4 !== 0) return `illegal base64 data at input byte ${clean.length - (clean.length % 4)}`;
  return undefined;
}

function adler32(b: Buffer): number {
  let a = 1;
  let c = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    c = (c + a) % 65521;
  }
  return ((c << 16) | a) >>> 0;
}

/** Sprig's urlParse: the parts of a URL as a dict. */
function urlParse(v: string): Record<string, unknown> {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`unable to parse url: parse ${JSON.stringify(v)}: invalid URL`);
  }
  return {
    scheme: u.protocol.replace(/:$/, ''),
    host: u.host,
    hostname: u.hostname,
    path: decodeURIComponent(u.pathname),
    query: u.search.replace(/^\?/, ''),
    opaque: '',
    fragment: decodeURIComponent(u.hash.replace(/^#/, '')),
    userinfo: u.username ? (u.password ? `${u.username}:${u.password}` : u.username) : '',
  };
}
