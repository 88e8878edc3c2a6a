/** @module http/matchers/tls: `http.matchers.tls`: matches requests over TLS (handshake_complete: after the handshake). */
import type { RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import { httpMatcherSchemas } from '@proxy/contract';

export const tlsMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.tls',
  kind: 'matcher',
  doc: 'Matches on the TLS handshake state.',
  schema: httpMatcherSchemas.tls,
  create(json) {
    // TLS is terminated before any request is read, so every TLS request has a complete handshake
    // (0-RTT early data, the only other case, is not accepted).
    const want = (json as { handshake_complete?: boolean }).handshake_complete;
    return { match: (r) => r.tls !== undefined && (want === undefined || want === true) };
  },
};
