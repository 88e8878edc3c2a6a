/**
 * @module router-fields: the fields HTTP and TCP routers read the same way: the rule syntax, the TLS options
 * name, the priority, the service name, the entry points, and the rule's parse. Each function throws the error of its field.
 */
import type { Field } from './reader.js';
import { parseRule, RuleSyntaxError, type RuleExpr } from './rule.js';
import type { EntryPoint } from './static.js';
import type { TlsSection } from './tls.js';

/** Priorities above this are Traefik's own (MaxInt - 1000). */
const MAX_PRIORITY = Number.MAX_SAFE_INTEGER - 1000;

type Keys = Record<string, Field | undefined>;

/** Only Traefik v3's rule syntax is read. */
export function checkRuleSyntax(k: Keys): void {
  const syntax = k['ruleSyntax']?.string();
  if (syntax !== undefined && syntax !== 'v3')
    throw k['ruleSyntax']!.error(`only the v3 rule syntax is supported (got ${JSON.stringify(syntax)})`);
}

/** The router's `tls.options` name (without `@file`), which must exist; undefined when not given. */
export function readTlsOptionsName(t: Keys, tlsSection: TlsSection): string | undefined {
  const options = t['options']?.string() || undefined;
  const optionName = options?.replace(/@file$/, '');
  if (options?.includes('@') && optionName === options)
    throw t['options']!.error('only TLS options of the file provider (@file) can be referred to');
  if (optionName && !tlsSection.options.has(optionName) && optionName !== 'default')
    throw t['options']!.error(`the TLS options "${optionName}" do not exist`);
  return optionName;
}

/** The given priority; 0 when not given (the caller's default then applies). */
export function readPriority(k: Keys): number {
  const given = k['priority']?.int() ?? 0;
  if (given > MAX_PRIORITY)
    throw k['priority']!.error(`priority above ${MAX_PRIORITY} is reserved for Traefik's own routers`);
  return given;
}

/** The router's service name (without `@file`) and its field; `router` names the router kind ("a TCP router"). */
export function readServiceName(k: Keys, r: Field, router: string): { name: string; field: Field } {
  const field = k['service'];
  const service = field?.string();
  if (!field || !service) throw (field ?? r).error(`${router} needs a service`);
  const name = service.replace(/@file$/, '');
  if (name.includes('@')) throw field.error('only services of the file provider (@file) can be referred to');
  return { name, field };
}

/**
 * The router's entry points: those given, which must be among `all` (the non-UDP ones), else the defaults.
 * `routers` names the kind in errors ("HTTP routers"); `none` is the error when there is no entry point at all.
 */
export function readRouterEntryPoints(
  k: Keys,
  r: Field,
  entryPoints: { all: EntryPoint[]; defaults: EntryPoint[]; every: EntryPoint[] },
  routers: string,
  none: string,
): string[] {
  const { all, defaults, every } = entryPoints;
  let eps = defaults.map((e) => e.name);
  if (k['entryPoints']) {
    eps = k['entryPoints'].items().map((f) => {
      const name = f.string() ?? '';
      if (!all.some((e) => e.name === name)) {
        if (every.some((e) => e.name === name))
          throw f.error(`the entry point "${name}" is a UDP one (address .../udp): ${routers} cannot use it`);
        throw f.error(
          `the entry point "${name}" does not exist (static configuration: ${all.map((e) => e.name).join(', ')})`,
        );
      }
      return name;
    });
  }
  if (eps.length === 0) throw (k['entryPoints'] ?? r).error(none);
  return eps;
}

/** The router's rule parsed; `router` names the router kind ("a TCP router"). Errors give the column in the rule. */
export function parseRuleField(field: Field, router: string): { text: string; expr: RuleExpr } {
  const text = field.string();
  if (text === undefined || text.trim() === '') throw field.error(`${router} needs a rule`);
  try {
    return { text, expr: parseRule(text) };
  } catch (e) {
    if (e instanceof RuleSyntaxError) throw field.error(`invalid rule at column ${e.offset + 1}: ${e.message}`);
    throw e;
  }
}
