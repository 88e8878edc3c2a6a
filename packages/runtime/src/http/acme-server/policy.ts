/**
 * @module http/acme-server/policy: which identifiers the ACME server will certify (current Caddy's `policy`:
 * allow and deny rule sets and `allow_wildcard_names`, as smallstep's x509 name policy applies them): a
 * denied name is refused; when allow rules exist, a name must match one; wildcards need allow_wildcard_names.
 */
import type { AcmeServerHandler } from '@proxy/contract';
import type { BlockList } from 'node:net';
import { joinPath } from '../../util/errors.js';
import { compileRanges, inRanges } from '../matchers/ip.js';
import type { Identifier } from './state.js';

interface Rules {
  domains: string[];
  ranges: BlockList;
  count: number;
}

export interface CompiledPolicy {
  /** Why the identifier is refused, or undefined when it is allowed. */
  refuse(id: Identifier): string | undefined;
}

function compile(set: { domains?: string[]; ip_ranges?: string[] } | undefined, path: string): Rules | undefined {
  if (!set) return undefined;
  const ranges = compileRanges(set.ip_ranges ?? [], joinPath(path, 'ip_ranges'));
  const domains = (set.domains ?? []).map((d) => d.toLowerCase().replace(/\.$/, ''));
  return { domains, ranges, count: domains.length + (set.ip_ranges?.length ?? 0) };
}

/** A rule domain matches itself; `*.example.com` matches names one label below example.com. */
function domainMatches(rule: string, name: string): boolean {
  if (rule.startsWith('*.')) {
    const base = rule.slice(1);
    return name.endsWith(base) && !name.slice(0, -base.length).includes('.') && name.length > base.length;
  }
  return rule === name;
}

function matches(rules: Rules, id: Identifier): boolean {
  if (id.type === 'ip') return inRanges(rules.ranges, id.value);
  return rules.domains.some((d) => domainMatches(d, id.value));
}

export function compilePolicy(policy: AcmeServerHandler['policy'], path: string): CompiledPolicy {
  const allow = compile(policy?.allow, joinPath(path, 'allow'));
  const deny = compile(policy?.deny, joinPath(path, 'deny'));
  const allowWildcards = policy?.allow_wildcard_names === true;
  const hasAllow = !!allow && allow.count > 0;
  return {
    refuse(id) {
      if (id.value.startsWith('*.') && !allowWildcards) return `wildcard names are not allowed: ${id.value}`;
      if (deny && matches(deny, id)) return `${id.value} is denied by policy`;
      if (hasAllow && !matches(allow, id)) return `${id.value} is not allowed by policy`;
      return undefined;
    },
  };
}
