/** @module layer4/tls/handshake-match: `tls.handshake_match.*` (sni, sni_regexp, alpn, remote_ip, local_ip), compiled. */
import type { ConnectionInfo } from '../../listener-wrapper.js';
import type { Layer4TlsMatcher } from '@proxy/contract';
import { Layer4ConfigError } from '../errors.js';
import { IpRanges } from '../ip-ranges.js';
import { compileGoRegexp } from '../regexp.js';

/** What a handshake matcher sees. */
export interface HelloView {
  serverName: string;
  alpn: readonly string[];
  info: ConnectionInfo;
}

export type HandshakeMatcher = (hello: HelloView) => boolean;

/** Caddy's MatchServerName: case-insensitive; "*.a.b" matches one left-most label. */
function compileSni(names: unknown, path: string): HandshakeMatcher {
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw new Layer4ConfigError(path, 'expected an array of server names');
  }
  const exact = new Set<string>();
  const wildcards: string[] = [];
  for (const n of names as string[]) {
    const lower = n.toLowerCase();
    if (lower.startsWith('*.')) wildcards.push(lower.slice(1));
    else exact.add(lower);
  }
  return ({ serverName }) => {
    if (serverName === '') return exact.has('');
    if (exact.has(serverName)) return true;
    const dot = serverName.indexOf('.');
    return dot > 0 && wildcards.includes(serverName.slice(dot));
  };
}

function compileRegexp(json: unknown, path: string): HandshakeMatcher {
  const pattern = (json as { pattern?: unknown } | null)?.pattern;
  if (typeof pattern !== 'string') throw new Layer4ConfigError(`${path}.pattern`, 'expected a regular expression');
  const re = compileGoRegexp(pattern, `${path}.pattern`);
  return ({ serverName }) => re.test(serverName);
}

function compileAlpn(json: unknown, path: string): HandshakeMatcher {
  if (!Array.isArray(json) || json.some((n) => typeof n !== 'string')) {
    throw new Layer4ConfigError(path, 'expected an array of protocol names');
  }
  const wanted = json as string[];
  return ({ alpn }) => wanted.some((p) => alpn.includes(p));
}

/** Compiles a map of handshake matchers (AND-ed). */
export function compileHandshakeMatchers(json: unknown, path: string): HandshakeMatcher {
  if (json === undefined || json === null) return () => true;
  if (typeof json !== 'object' || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected an object of handshake matchers');
  const parts: HandshakeMatcher[] = [];
  for (const [name, cfg] of Object.entries(json as Layer4TlsMatcher)) {
    const p = `${path}.${name}`;
    switch (name) {
      case 'sni':
        parts.push(compileSni(cfg, p));
        break;
      case 'sni_regexp':
        parts.push(compileRegexp(cfg, p));
        break;
      case 'alpn':
        parts.push(compileAlpn(cfg, p));
        break;
      case 'remote_ip': {
        const c = cfg as { ranges?: unknown; not_ranges?: unknown };
        const yes = new IpRanges(c.ranges, `${p}.ranges`);
        const no = new IpRanges(c.not_ranges, `${p}.not_ranges`);
        parts.push(({ info }) => (yes.empty || yes.has(info.remoteAddress)) && !no.has(info.remoteAddress));
        break;
      }
      case 'local_ip': {
        const yes = new IpRanges((cfg as { ranges?: unknown }).ranges, `${p}.ranges`);
        parts.push(({ info }) => yes.has(info.localAddress));
        break;
      }
      default:
        throw new Layer4ConfigError(p, `unknown module tls.handshake_match.${name}`);
    }
  }
  return (hello) => parts.every((m) => m(hello));
}
