/** @module layer4/matchers/proxy-protocol: `layer4.matchers.proxy_protocol` — a PROXY v1 or v2 header starts the stream. */
import { V2_SIGNATURE } from '../proxy/proxy-protocol-header.js';
import type { MatcherFactory } from '../types.js';
import { prefixMatcher } from './prefix.js';

export const createProxyProtocolMatcher: MatcherFactory = (json, path) =>
  prefixMatcher([Buffer.from('PROXY', 'ascii'), V2_SIGNATURE], json, path);
