/** @module reverse-proxy-health: reverse_proxy's `health_*` (active) and passive health check subdirectives. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { ActiveHealthChecks, PassiveHealthChecks, ReverseProxyHandler } from '@proxy/contract';
import { atoi, durationArg, intArg } from './common.js';
import { splitHostPort } from './reverse-proxy-upstreams.js';

function statusArg(d: Dispenser, arg: string): number {
  const v = arg.length === 3 && arg.endsWith('xx') ? arg.slice(0, 1) : arg;
  const n = atoi(v);
  if (typeof n === 'string') throw d.err(`bad status value '${d.val()}': ${n}`);
  return n;
}

/** Handles one health check subdirective at the cursor; returns false if the name is not one. */
export function healthSubdirective(d: Dispenser, handler: Partial<ReverseProxyHandler>): boolean {
  const checks = (): NonNullable<ReverseProxyHandler['health_checks']> => (handler.health_checks ??= {});
  const active = (): ActiveHealthChecks => (checks().active ??= {});
  const passive = (): PassiveHealthChecks => (checks().passive ??= {});
  const str = (key: 'uri' | 'path' | 'method' | 'body' | 'expect_body'): void => {
    if (!d.nextArg()) throw d.argErr();
    active()[key] = d.val();
  };
  switch (d.val()) {
    case 'health_uri':
      str('uri');
      return true;
    case 'health_path':
      str('path');
      return true;
    case 'health_method':
      str('method');
      return true;
    case 'health_request_body':
      str('body');
      return true;
    case 'health_body':
      str('expect_body');
      return true;
    case 'health_upstream': {
      if (!d.nextArg()) throw d.argErr();
      const hp = splitHostPort(d.val());
      if (typeof hp === 'string') throw d.err(`health_upstream is malformed '${d.val()}': ${hp}`);
      const p = atoi(hp[1]);
      if (typeof p === 'string') throw d.err(`bad port number '${d.val()}': ${p}`);
      active().upstream = d.val();
      return true;
    }
    case 'health_port': {
      if (!d.nextArg()) throw d.argErr();
      if (active().upstream) throw d.err("the 'health_port' subdirective is ignored if 'health_upstream' is used!");
      const p = atoi(d.val());
      if (typeof p === 'string') throw d.err(`bad port number '${d.val()}': ${p}`);
      active().port = p;
      return true;
    }
    case 'health_headers': {
      const headers: Record<string, string[]> = {};
      for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
        const key = d.val();
        const values = d.remainingArgs();
        if (values.length === 0) values.push('');
        headers[key] = [...(headers[key] ?? []), ...values];
      }
      // An empty map is left out (omitempty), but the active checks still exist.
      active();
      if (Object.keys(headers).length > 0) active().headers = headers;
      return true;
    }
    case 'health_interval':
      active().interval = durationArg(d, (v, e) => `bad interval value ${v}: ${e}`);
      return true;
    case 'health_timeout':
      active().timeout = durationArg(d, (v, e) => `bad timeout value ${v}: ${e}`);
      return true;
    case 'health_status':
      if (!d.nextArg()) throw d.argErr();
      active().expect_status = statusArg(d, d.val());
      return true;
    case 'health_follow_redirects':
      if (d.nextArg()) throw d.argErr();
      active().follow_redirects = true;
      return true;
    case 'health_passes':
      active().passes = intArg(d, (v, e) => `invalid passes count '${v}': ${e}`);
      return true;
    case 'health_fails':
      active().fails = intArg(d, (v, e) => `invalid fails count '${v}': ${e}`);
      return true;
    case 'max_fails':
      passive().max_fails = intArg(d, (v, e) => `invalid maximum fail count '${v}': ${e}`);
      return true;
    case 'fail_duration':
      passive().fail_duration = durationArg(d, (v, e) => `bad duration value '${v}': ${e}`);
      return true;
    case 'unhealthy_request_count':
      passive().unhealthy_request_count = intArg(d, (v, e) => `invalid maximum connection count '${v}': ${e}`);
      return true;
    case 'unhealthy_status': {
      const args = d.remainingArgs();
      if (args.length === 0) throw d.argErr();
      const list = (passive().unhealthy_status ??= []);
      for (const a of args) list.push(statusArg(d, a));
      return true;
    }
    case 'unhealthy_latency':
      passive().unhealthy_latency = durationArg(d, (v, e) => `bad duration value '${v}': ${e}`);
      return true;
    default:
      return false;
  }
}
