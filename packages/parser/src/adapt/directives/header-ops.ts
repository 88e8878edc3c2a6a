/** @module header-ops: the `headers` handler's operations and Caddy's field-prefix syntax (`+add`, `-del`, `?default`, `>defer`). */
import type { HeaderOps, RespHeaderOps, ResponseMatcher } from '@proxy/contract';
import { headerAdd, headerSet } from './common.js';

export type { HeaderOps, RespHeaderOps };
/** `caddyhttp.ResponseMatcher` as JSON. */
export type ResponseMatcherJson = ResponseMatcher;

/**
 * Applies one Caddyfile header operation (Caddy's `applyHeaderOp` / `CaddyfileHeaderOp`). `resp` is given
 * for response headers only. Returns an error message or undefined.
 */
export function applyHeaderOp(
  ops: HeaderOps,
  resp: RespHeaderOps | undefined,
  field: string,
  value: string,
  replacement: string | undefined,
): string | undefined {
  if (field.startsWith('+')) {
    headerAdd((ops.add ??= {}), field.slice(1), value);
  } else if (field.startsWith('-')) {
    (ops.delete ??= []).push(field.slice(1));
    if (resp) resp.deferred = true;
  } else if (field.startsWith('?')) {
    if (!resp) {
      return `${field}: the default header modifier ('?') can only be used on response headers; for conditional manipulation of request headers, use matchers`;
    }
    resp.require ??= { headers: {} };
    resp.require.headers ??= {};
    const name = field.slice(1);
    resp.require.headers[name] = null;
    headerAdd((resp.set ??= {}), name, value);
  } else if (replacement !== undefined) {
    if (field.startsWith('>') && resp) resp.deferred = true;
    const name = field.replace(/^[+\-?>]+/, '');
    ((ops.replace ??= {})[name] ??= []).push({ search_regexp: value, replace: replacement });
  } else if (field.startsWith('>')) {
    headerSet((ops.set ??= {}), field.slice(1), value);
    if (resp) resp.deferred = true;
  } else {
    headerSet((ops.set ??= {}), field, value);
  }
  return undefined;
}

/** Whether header ops are still empty (nothing was applied). */
export function isEmptyOps(ops: RespHeaderOps): boolean {
  return Object.values(ops).every((v) => v === undefined);
}

/** The ops as a JSON object (omitting empty parts). */
export function opsJson(ops: RespHeaderOps): RespHeaderOps {
  return { ...ops };
}
