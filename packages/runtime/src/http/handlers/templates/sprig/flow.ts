/** @module http/handlers/templates/sprig/flow: Sprig's defaults, conditions, failures and JSON. */
import { ArgTypeError } from '../../../../util/go-template/exec.js';
import { def } from '../../../../util/go-template/template.js';
import { GO_JSON, goFloat, goTypeName, kindOf, mapEntries, num } from '../../../../util/go-template/values.js';
import { GoTime } from '../go-time.js';
import { V, str, empty } from './convert.js';
import type { FuncDef } from '../../../../util/go-template/template.js';

export const flowFuncs: Record<string, FuncDef> = {
  default: def((d: unknown, ...given: unknown[]) => (given.length === 0 || empty(given[0]) ? d : given[0]), 1, V),
  empty: def((v: unknown) => empty(v), 1),
  coalesce: def((...a: unknown[]) => a.find((x) => !empty(x)), 0, V),
  all: def((...a: unknown[]) => a.every((x) => !empty(x)), 0, V),
  any: def((...a: unknown[]) => a.some((x) => !empty(x)), 0, V),
  ternary: def((t: unknown, f: unknown, c: unknown) => {
    if (typeof c !== 'boolean') throw new ArgTypeError('bool', goTypeName(c));
    return c ? t : f;
  }, 3),
  fail: def((msg: unknown) => {
    throw new Error(str(msg));
  }, 1),
  toJson: def((v: unknown) => goJson(v), 1),
  toPrettyJson: def((v: unknown) => goJson(v, '  '), 1),
  toRawJson: def((v: unknown) => {
    try {
      return JSON.stringify(jsonValue(v)) ?? 'null';
    } catch {
      return '';
    }
  }, 1),
  fromJson: def((s: unknown) => {
    try {
      return jsonParse(str(s));
    } catch {
      return {};
    }
  }, 1),
};

export function jsonValue(v: unknown): unknown {
  switch (kindOf(v)) {
    case 'map':
      return Object.fromEntries(mapEntries(v).map(([k, x]) => [String(k), jsonValue(x)]));
    case 'slice':
      return (v as unknown[]).map(jsonValue);
    case 'bytes':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'nil':
      return null;
    case 'struct':
      if (v instanceof GoTime) return v.Format('2006-01-02T15:04:05.999999999Z07:00');
      if ((v as { [GO_JSON]?: boolean })[GO_JSON] === false) throw new Error('json: unsupported type');
      return Object.fromEntries(Object.entries(v as object).filter(([k]) => /^[A-Z]/.test(k)));
    default:
      return num(v);
  }
}

/** encoding/json into interface{}: every number is a float64. */
export function jsonParse(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => (typeof v === 'number' ? goFloat(v) : v));
}

/** Go's json.Marshal escapes <, > and & as \u003c, \u003e and \u0026. */
function goJson(v: unknown, indent?: string): string {
  let text: string;
  try {
    text = JSON.stringify(jsonValue(v), null, indent) ?? 'null';
  } catch {
    // Sprig's toJson gives an empty string for what encoding/json cannot marshal.
    return '';
  }
  return text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
