/** @module layer4/handlers/proxy-protocol: `layer4.handlers.proxy_protocol` — accepts a PROXY v1/v2 header per policy. */
import type { Layer4ProxyProtocolHandler } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { durationMs } from '../duration.js';
import { Layer4ConfigError } from '../errors.js';
import { IpRanges } from '../ip-ranges.js';
import { parseProxyHeader } from '../proxy/proxy-protocol-header.js';
import type { HandlerFactory, Next } from '../types.js';

type Policy = 'IGNORE' | 'USE' | 'REJECT' | 'REQUIRE' | 'SKIP';
const POLICIES = new Set<Policy>(['IGNORE', 'USE', 'REJECT', 'REQUIRE', 'SKIP']);
/** Bound on waiting for a header when no timeout is configured. */
const DEFAULT_WAIT_MS = 10_000;

export const createProxyProtocolHandler: HandlerFactory = (json, path) => {
  const cfg = json as unknown as Layer4ProxyProtocolHandler;
  const allow = new IpRanges(cfg.allow, `${path}.allow`);
  const deny = new IpRanges(cfg.deny, `${path}.deny`);
  const fallback = (cfg.fallback_policy ?? 'IGNORE') as Policy;
  if (!POLICIES.has(fallback))
    throw new Layer4ConfigError(`${path}.fallback_policy`, `unknown policy ${JSON.stringify(cfg.fallback_policy)}`);
  const timeoutMs = durationMs(cfg.timeout, `${path}.timeout`, 0) || DEFAULT_WAIT_MS;
  const policyFor = (ip: string): Policy => (deny.has(ip) ? 'REJECT' : allow.has(ip) ? 'USE' : fallback);
  return {
    async handle(cx: Connection, next: Next) {
      const policy = policyFor(cx.info.remoteAddress);
      if (policy === 'SKIP') return next(cx);
      const deadline = performance.now() + timeoutMs;
      let header = parseProxyHeader(cx.buffer);
      while (header === 'more') {
        await cx.prefetch(deadline);
        header = parseProxyHeader(cx.buffer);
      }
      if (header === null) {
        if (policy === 'REQUIRE') {
          cx.log.info({ remote: cx.info.remoteAddress }, 'layer4 proxy_protocol: header required but missing');
          cx.release().destroy();
          return;
        }
        return next(cx);
      }
      if (policy === 'REJECT') {
        cx.log.info(
          { remote: cx.info.remoteAddress },
          'layer4 proxy_protocol: header from a source that may not send one',
        );
        cx.release().destroy();
        return;
      }
      cx.discard(header.length);
      if (header.kind === 'local' || policy === 'IGNORE') return next(cx);
      const a = header.addresses;
      const child = cx.continueWith(cx.state, {
        ...cx.info,
        remoteAddress: a.sourceAddress,
        remotePort: a.sourcePort,
        localAddress: a.destAddress,
        localPort: a.destPort,
      });
      cx.vars.set('l4.proxy_protocol.remote', `${a.sourceAddress}:${a.sourcePort}`);
      return next(child);
    },
  };
};
