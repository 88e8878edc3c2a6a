/** @module http/matchers/protocol: `http.matchers.protocol`: http, https, grpc, http/1.1, http/2, http/2+... */
import type { RuntimeModule } from '../../modules.js';
import { ConfigError } from '../../util/errors.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { httpMatcherSchemas } from '@proxy/contract';

function versionOf(r: HttpRequest): number {
  return r.proto === 'HTTP/2.0' ? 2 : r.proto === 'HTTP/1.0' ? 1.0 : 1.1;
}

export const protocolMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.protocol',
  kind: 'matcher',
  doc: 'Matches the protocol: http, https, grpc, http/1.1, http/2...',
  schema: httpMatcherSchemas.protocol,
  create(json, _ctx, path) {
    const p = (json as string).toLowerCase();
    const versions: Record<string, number> = { 'http/1.0': 1.0, 'http/1.1': 1.1, 'http/2': 2, 'http/3': 3 };
    let test: (r: HttpRequest) => boolean;
    if (p === 'http') test = (r) => r.scheme === 'http';
    else if (p === 'https') test = (r) => r.scheme === 'https';
    else if (p === 'grpc') test = (r) => (r.headers.get('content-type') ?? '').startsWith('application/grpc');
    else if (p.endsWith('+') && versions[p.slice(0, -1)] !== undefined) {
      const min = versions[p.slice(0, -1)]!;
      test = (r) => versionOf(r) >= min;
    } else if (versions[p] !== undefined) {
      const v = versions[p]!;
      test = (r) => versionOf(r) === v;
    } else throw ConfigError.at(path, `unknown protocol "${p}"`);
    return { match: test };
  },
};
