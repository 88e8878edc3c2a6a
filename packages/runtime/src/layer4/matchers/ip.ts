/** @module layer4/matchers/ip: `layer4.matchers.remote_ip` and `layer4.matchers.local_ip` (no bytes read). */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { IpRanges } from '../ip-ranges.js';
import type { MatcherFactory } from '../types.js';

function ranges(json: unknown, path: string): IpRanges {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected {"ranges": [...]}');
  return new IpRanges((json as { ranges?: unknown }).ranges, `${path}.ranges`);
}

export const createRemoteIpMatcher: MatcherFactory = (json, path) => {
  const r = ranges(json, path);
  return { match: (cx: Connection) => r.has(cx.info.remoteAddress) };
};

export const createLocalIpMatcher: MatcherFactory = (json, path) => {
  const r = ranges(json, path);
  return { match: (cx: Connection) => r.has(cx.info.localAddress) };
};
