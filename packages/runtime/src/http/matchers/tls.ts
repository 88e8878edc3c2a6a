/** @module http/matchers/tls: `http.matchers.tls`: matches requests over TLS (handshake_complete: after the handshake). */
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import type { RequestMatcher } from '../handler.js';

export const tlsMatcher: ModuleInfo<RequestMatcher> = {
  id: 'http.matchers.tls',
  schema: s.obj({ handshake_complete: s.bool }),
  create(json) {
    // TLS is terminated before any request is read, so every TLS request has a complete handshake
    // (0-RTT early data, the only other case, is not accepted).
    const want = (json as { handshake_complete?: boolean }).handshake_complete;
    return { match: (r) => r.tls !== undefined && (want === undefined || want === true) };
  },
};
