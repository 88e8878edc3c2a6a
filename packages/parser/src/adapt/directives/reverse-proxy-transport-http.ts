/** @module reverse-proxy-transport-http: the `http` transport (`http.reverse_proxy.transport.http`) Caddyfile syntax. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { HttpTransport, Own } from '@proxy/contract';
import { moduleObject } from '../json.js';
import { durationArg, intArg, omitZero, parseBytes } from './common.js';
import { parseTrustPool } from './trust-pool.js';

function bytesArg(d: Dispenser, what: string): number {
  if (!d.nextArg()) throw d.argErr();
  const n = parseBytes(d.val());
  if (typeof n === 'string') throw d.err(`invalid ${what} '${d.val()}': ${n}`);
  return n;
}

/** The `http` transport's `network_proxy` module (`caddy.network_proxy.*`). */
type NetworkProxy = NonNullable<HttpTransport['network_proxy']>;

/** Parses `http { ... }` (cursor before the module name) into the transport's fields. */
export function parseHttpTransport(d: Dispenser): Own<HttpTransport, 'protocol'> {
  const t: Own<HttpTransport, 'protocol'> = {};
  const tls = (): NonNullable<HttpTransport['tls']> => (t.tls ??= {});
  const keepAlive = (): NonNullable<HttpTransport['keep_alive']> => (t.keep_alive ??= {});
  d.next();
  while (d.nextBlock(0)) {
    switch (d.val()) {
      case 'read_buffer':
        t.read_buffer_size = bytesArg(d, 'read buffer size');
        break;
      case 'write_buffer':
        t.write_buffer_size = bytesArg(d, 'write buffer size');
        break;
      case 'max_response_header':
        t.max_response_header_size = bytesArg(d, 'max response header size');
        break;
      case 'read_timeout':
        t.read_timeout = durationArg(d, (v, e) => `invalid read timeout duration '${v}': ${e}`);
        break;
      case 'write_timeout':
        t.write_timeout = durationArg(d, (v, e) => `invalid write timeout duration '${v}': ${e}`);
        break;
      case 'proxy_protocol': {
        if (!d.nextArg()) throw d.argErr();
        const v = d.val();
        if (v !== 'v1' && v !== 'v2') throw d.err(`invalid proxy protocol version '${v}'`);
        t.proxy_protocol = v;
        break;
      }
      case 'forward_proxy_url':
        if (!d.nextArg()) throw d.argErr();
        t.network_proxy = moduleObject<NetworkProxy>('from', 'url', { url: d.val() });
        break;
      case 'dial_timeout':
        t.dial_timeout = durationArg(d, (v, e) => `bad timeout value '${v}': ${e}`);
        break;
      case 'dial_fallback_delay':
        t.dial_fallback_delay = durationArg(d, (v, e) => `bad fallback delay value '${v}': ${e}`);
        break;
      case 'response_header_timeout':
        t.response_header_timeout = durationArg(d, (v, e) => `bad timeout value '${v}': ${e}`);
        break;
      case 'expect_continue_timeout':
        t.expect_continue_timeout = durationArg(d, (v, e) => `bad timeout value '${v}': ${e}`);
        break;
      case 'resolvers': {
        const addresses = d.remainingArgs();
        if (addresses.length === 0) throw d.err('must specify at least one resolver address');
        t.resolver = { addresses };
        break;
      }
      case 'tls':
        tls();
        break;
      case 'tls_client_auth': {
        const args = d.remainingArgs();
        if (args.length === 1) tls().client_certificate_automate = args[0];
        else if (args.length === 2) {
          tls().client_certificate_file = args[0];
          tls().client_certificate_key_file = args[1];
        } else throw d.argErr();
        break;
      }
      case 'tls_insecure_skip_verify':
        if (d.nextArg()) throw d.argErr();
        tls().insecure_skip_verify = true;
        break;
      case 'tls_curves': {
        const args = d.remainingArgs();
        if (args.length === 0) throw d.argErr();
        tls().curves = args;
        break;
      }
      case 'tls_timeout': {
        const v = durationArg(d, (x, e) => `bad timeout value '${x}': ${e}`);
        tls().handshake_timeout = v;
        break;
      }
      case 'tls_trusted_ca_certs': {
        const args = d.remainingArgs();
        if (args.length === 0) throw d.argErr();
        if (tls().ca !== undefined) throw d.err("cannot specify both 'tls_trust_pool' and 'tls_trusted_ca_certs");
        tls().root_ca_pem_files = args;
        break;
      }
      case 'tls_server_name':
        if (!d.nextArg()) throw d.argErr();
        tls().server_name = d.val();
        break;
      case 'tls_renegotiation': {
        tls();
        if (!d.nextArg()) throw d.argErr();
        const v = d.val();
        if (v !== 'never' && v !== 'once' && v !== 'freely') throw d.argErr();
        tls().renegotiation = v;
        break;
      }
      case 'tls_except_ports': {
        const ports = d.remainingArgs();
        tls();
        if (ports.length === 0) throw d.argErr();
        tls().except_ports = ports;
        break;
      }
      case 'keepalive': {
        if (!d.nextArg()) throw d.argErr();
        if (d.val() === 'off') {
          keepAlive().enabled = false;
          break;
        }
        d.prev();
        keepAlive().idle_timeout = durationArg(d, (v, e) => `bad duration value '${v}': ${e}`);
        break;
      }
      case 'keepalive_interval':
        keepAlive().probe_interval = durationArg(d, (v, e) => `bad interval value '${v}': ${e}`);
        break;
      case 'keepalive_idle_conns':
        keepAlive().max_idle_conns = intArg(d, (v, e) => `bad integer value '${v}': ${e}`);
        break;
      case 'keepalive_idle_conns_per_host':
        keepAlive().max_idle_conns_per_host = intArg(d, (v, e) => `bad integer value '${v}': ${e}`);
        break;
      case 'versions': {
        const v = d.remainingArgs();
        if (v.length === 0) throw d.argErr();
        t.versions = v;
        break;
      }
      case 'compression':
        if (d.nextArg() && d.val() === 'off') t.compression = false;
        break;
      case 'max_conns_per_host':
        t.max_conns_per_host = intArg(d, (v, e) => `bad integer value '${v}': ${e}`);
        break;
      case 'network_proxy': {
        if (!d.nextArg()) throw d.argErr();
        t.network_proxy = parseNetworkProxy(d);
        break;
      }
      case 'local_address':
        if (!d.nextArg()) throw d.argErr();
        t.local_address = d.val();
        break;
      case 'tls_trust_pool': {
        if (!d.nextArg()) throw d.argErr();
        const pool = parseTrustPool(d);
        if (tls().root_ca_pem_files !== undefined)
          throw d.err("cannot specify both 'tls_trust_pool' and 'tls_trusted_ca_certs'");
        if (tls().ca !== undefined) throw d.err('cannot specify "tls_trust_pool" twice in caddyfile');
        tls().ca = pool;
        break;
      }
      default:
        throw d.err(`unrecognized subdirective ${d.val()}`);
    }
  }
  omitZero(
    t,
    'read_buffer_size',
    'write_buffer_size',
    'max_response_header_size',
    'read_timeout',
    'write_timeout',
    'dial_timeout',
    'dial_fallback_delay',
    'response_header_timeout',
    'expect_continue_timeout',
    'max_conns_per_host',
    'local_address',
  );
  omitZero(
    t.tls,
    'client_certificate_automate',
    'client_certificate_file',
    'client_certificate_key_file',
    'handshake_timeout',
    'server_name',
  );
  omitZero(t.keep_alive, 'probe_interval', 'max_idle_conns', 'max_idle_conns_per_host', 'idle_timeout');
  return t;
}

/** `caddy.network_proxy.*`: `none` or `url <url>`. */
function parseNetworkProxy(d: Dispenser): NetworkProxy {
  const name = d.val();
  const seg = d.newFromNextSegment();
  seg.next();
  if (name === 'none') {
    if (seg.nextArg()) throw seg.argErr();
    return moduleObject<NetworkProxy>('from', 'none', {});
  }
  if (name === 'url') {
    if (!seg.nextArg()) throw seg.argErr();
    const url = seg.val();
    if (seg.nextArg()) throw seg.argErr();
    return moduleObject<NetworkProxy>('from', 'url', { url });
  }
  const id = `caddy.network_proxy.${name}`;
  throw d.err(`getting module named '${id}': module not registered: ${id}`);
}
