/**
 * @module forward-auth: the `forward_auth` directive (Caddy's forwardauth `parseCaddyfile`): a reverse_proxy
 * that asks an auth service with GET and, on 2xx, copies chosen response headers onto the request.
 */
import { Dispenser } from '../../caddyfile/dispenser.js';
import type { Helper } from '../helper.js';
import { moduleObject, type JsonObject } from '../json.js';
import type { ConfigValue } from '../registry.js';
import { canonicalHeaderKey, compareStrings, route } from './common.js';
import { deleteN } from './php-fastcgi.js';
import { parseReverseProxy } from './reverse-proxy.js';
import type { ModuleOfKind } from '../module.js';

function parseForwardAuth(h: Helper): ConfigValue[] {
  if (!h.next()) throw h.argErr();
  const userMatcherSet = h.extractMatcherSet();
  const d = new Dispenser([...h.allTokens()], h.file());
  const rewrite: JsonObject = { method: 'GET' };
  const handler: JsonObject = {
    headers: { request: { set: { 'X-Forwarded-Method': ['{http.request.method}'], 'X-Forwarded-Uri': ['{http.request.uri}'] } } },
    rewrite,
  };
  const headersToCopy = new Map<string, string>();

  while (d.next()) {
    while (d.nextBlock(0)) {
      if (d.nesting() !== 1) continue;
      switch (d.val()) {
        case 'uri':
          if (!d.nextArg()) throw d.argErr();
          if (rewrite.uri !== undefined) throw d.err(`cannot re-declare uri: ${d.val()}`);
          rewrite.uri = d.val();
          deleteN(d, 2);
          break;
        case 'copy_headers': {
          const args = d.remainingArgs();
          let hadBlock = false;
          for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
            hadBlock = true;
            args.push(d.val());
          }
          deleteN(d, args.length + 1);
          if (hadBlock) deleteN(d, 2);
          for (const field of args) {
            if (field.includes('>')) {
              const parts = field.split('>');
              headersToCopy.set(parts[0]!, parts[1]!);
            } else {
              headersToCopy.set(field, field);
            }
          }
          if (headersToCopy.size === 0) throw d.argErr();
          break;
        }
      }
    }
  }
  d.reset();
  if (rewrite.uri === undefined) throw d.err("the 'uri' subdirective is required");

  const routes: JsonObject[] = [{ handle: [moduleObject('handler', 'vars', {})] }];
  for (const from of [...headersToCopy.keys()].sort(compareStrings)) {
    const to = canonicalHeaderKey(headersToCopy.get(from)!);
    const placeholder = `{http.reverse_proxy.header.${canonicalHeaderKey(from)}}`;
    routes.push({ handle: [moduleObject('handler', 'headers', { request: { delete: [to] } })] });
    routes.push({
      match: [{ not: [{ vars: { [placeholder]: [''] } }] }],
      handle: [moduleObject('handler', 'headers', { request: { set: { [to]: [placeholder] } } })],
    });
  }
  const good: JsonObject = { match: { status_code: [2] }, routes };
  const rp = parseReverseProxy(d, h, { handler, handleResponse: [good] });
  const r = route({ match: userMatcherSet ? [userMatcherSet] : undefined, handle: [moduleObject('handler', 'reverse_proxy', rp)] });
  return [{ class: 'route', value: r }];
}

export const ForwardAuthDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'forward_auth',
  syntax: 'forward_auth [<matcher>] <upstreams...> { uri <uri>; copy_headers <fields...>; <reverse_proxy subdirectives> }',
  doc: 'Asks an authentication service (via reverse_proxy) whether to let the request through.',
  subdirectives: [
    { name: 'uri', syntax: 'uri <uri>', doc: 'The URI of the authentication request.' },
    { name: 'copy_headers', syntax: 'copy_headers <fields...> | copy_headers { <field>... }', doc: 'Headers of a 2xx answer copied into the request (from>to renames).' },
    { name: 'to', syntax: 'to <upstreams...>', doc: 'Upstream addresses to proxy to.' },
    { name: 'dynamic', syntax: 'dynamic <a|srv|multi> [...]', doc: 'Gets upstreams from a dynamic source at request time.' },
    { name: 'lb_policy', syntax: 'lb_policy <random|random_choose|least_conn|round_robin|weighted_round_robin|first|ip_hash|client_ip_hash|uri_hash|query|header|cookie> [...]', doc: 'How to choose an upstream.' },
    { name: 'lb_retries', syntax: 'lb_retries <int>', doc: 'How many times to retry another upstream.' },
    { name: 'lb_try_duration', syntax: 'lb_try_duration <duration>', doc: 'How long to keep retrying upstreams.' },
    { name: 'lb_try_interval', syntax: 'lb_try_interval <duration>', doc: 'How long to wait between retries.' },
    { name: 'lb_retry_match', syntax: 'lb_retry_match <request matcher>', doc: 'Which requests may be retried (besides GET).' },
    { name: 'health_uri', syntax: 'health_uri <uri>', doc: 'The URI for active health checks.' },
    { name: 'health_upstream', syntax: 'health_upstream <host:port>', doc: 'Another address for active health checks.' },
    { name: 'health_port', syntax: 'health_port <port>', doc: 'Another port for active health checks.' },
    { name: 'health_interval', syntax: 'health_interval <duration>', doc: 'How often to run active health checks.' },
    { name: 'health_timeout', syntax: 'health_timeout <duration>', doc: 'How long to wait for a health check.' },
    { name: 'health_status', syntax: 'health_status <code|Nxx>', doc: 'The expected health check status.' },
    { name: 'health_body', syntax: 'health_body <regexp>', doc: 'The expected health check body.' },
    { name: 'health_method', syntax: 'health_method <METHOD>', doc: 'The health check method.' },
    { name: 'health_headers', syntax: 'health_headers { <field> [<values...>] }', doc: 'Headers of health check requests.' },
    { name: 'health_passes', syntax: 'health_passes <int>', doc: 'Passes before an upstream is healthy again.' },
    { name: 'health_fails', syntax: 'health_fails <int>', doc: 'Failures before an upstream is unhealthy.' },
    { name: 'fail_duration', syntax: 'fail_duration <duration>', doc: 'How long a failed request counts against an upstream (passive health checks).' },
    { name: 'max_fails', syntax: 'max_fails <int>', doc: 'Failures within fail_duration before an upstream is unhealthy.' },
    { name: 'unhealthy_status', syntax: 'unhealthy_status <codes|Nxx...>', doc: 'Response statuses that count as failures.' },
    { name: 'unhealthy_latency', syntax: 'unhealthy_latency <duration>', doc: 'Response latency that counts as a failure.' },
    { name: 'unhealthy_request_count', syntax: 'unhealthy_request_count <int>', doc: 'Concurrent requests above which an upstream is unhealthy.' },
    { name: 'flush_interval', syntax: 'flush_interval <duration|-1>', doc: 'How often to flush the response (-1: immediately).' },
    { name: 'request_buffers', syntax: 'request_buffers <size|unlimited>', doc: 'Buffers request bodies up to this size.' },
    { name: 'response_buffers', syntax: 'response_buffers <size|unlimited>', doc: 'Buffers response bodies up to this size.' },
    { name: 'stream_timeout', syntax: 'stream_timeout <duration>', doc: 'Closes streams (e.g. WebSockets) after this long.' },
    { name: 'stream_close_delay', syntax: 'stream_close_delay <duration>', doc: 'Keeps streams open this long after a config unload.' },
    { name: 'verbose_logs', syntax: 'verbose_logs', doc: 'Logs more detail about upstream requests.' },
    { name: 'trusted_proxies', syntax: 'trusted_proxies [private_ranges] <ranges...>', doc: 'Proxies whose X-Forwarded-* headers are passed on.' },
    { name: 'header_up', syntax: 'header_up [+|-]<field> [<value|regexp> [<replacement>]]', doc: 'Changes a request header sent upstream.' },
    { name: 'header_down', syntax: 'header_down [+|-]<field> [<value|regexp> [<replacement>]]', doc: 'Changes a response header from upstream.' },
    { name: 'method', syntax: 'method <METHOD>', doc: 'Changes the method of the upstream request.' },
    { name: 'rewrite', syntax: 'rewrite <uri>', doc: 'Changes the URI of the upstream request.' },
    { name: 'transport', syntax: 'transport http|fastcgi { ... }', doc: 'How to talk to upstreams.' },
    { name: 'replace_status', syntax: 'replace_status [<response_matcher>] <status>', doc: 'Changes the status of matching responses.' },
    { name: 'handle_response', syntax: 'handle_response [<response_matcher>] { <directives...> }', doc: 'Handles matching responses with other directives.' },
  ],
  parse: parseForwardAuth,
};
