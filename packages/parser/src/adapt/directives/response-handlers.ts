/**
 * @module response-handlers: `@name` response matchers, `replace_status` and `handle_response` blocks, shared
 * by reverse_proxy and intercept (Caddy's `ResponseHandler` list and `FinalizeUnmarshalCaddyfile`).
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { Helper } from '../helper.js';
import type { ResponseHandler } from '@proxy/contract';
import { goList, weakString } from './common.js';
import type { ResponseMatcherJson } from './header-ops.js';
import { parseNamedResponseMatcher } from './response-matcher.js';

/** Collects response matchers, replace_status entries and handle_response segments while a block is parsed. */
export class ResponseHandlers {
  private readonly matchers = new Map<string, ResponseMatcherJson>();
  private readonly segments: Dispenser[] = [];
  private readonly handlers: ResponseHandler[];

  constructor(initial: readonly ResponseHandler[] = []) {
    this.handlers = [...initial];
  }

  /** Handles the subdirective at the cursor if it is one of ours; returns whether it was. */
  tryParse(d: Dispenser): boolean {
    const v = d.val();
    if (v.startsWith('@')) {
      parseNamedResponseMatcher(d.newFromNextSegment(), this.matchers);
      return true;
    }
    if (v === 'handle_response') {
      // Parsed at the end, with the Helper, as Caddy's FinalizeUnmarshalCaddyfile does.
      this.segments.push(d.newFromNextSegment());
      return true;
    }
    if (v === 'replace_status') {
      this.replaceStatus(d);
      return true;
    }
    return false;
  }

  private lookup(d: Dispenser, name: string): ResponseMatcherJson {
    if (!name.startsWith('@')) throw d.err("must use a named response matcher, starting with '@'");
    const m = this.matchers.get(name);
    if (!m) throw d.err(`no named response matcher defined with name '${name.slice(1)}'`);
    return m;
  }

  private replaceStatus(d: Dispenser): void {
    const args = d.remainingArgs();
    if (args.length !== 1 && args.length !== 2) {
      throw d.err('must have one or two arguments: an optional response matcher, and a status code');
    }
    const rh: ResponseHandler = {};
    if (args.length === 2) {
      rh.match = this.lookup(d, args[0]!);
      rh.status_code = weakString(args[1]!);
    } else {
      rh.status_code = weakString(args[0]!);
    }
    if (d.nextBlock(d.nesting()))
      throw d.err("cannot define routes for 'replace_status', use 'handle_response' instead.");
    this.handlers.push(rh);
  }

  /** Parses the collected handle_response blocks and returns the list, matcher-less entries last. */
  finalize(h: Helper): ResponseHandler[] | undefined {
    for (const d of this.segments) {
      d.next();
      const args = d.remainingArgs();
      if (args.length > 1) {
        throw d.err(
          `too many arguments for 'handle_response': only a single response matcher name is allowed, but got: ${goList(args)}`,
        );
      }
      const rh: ResponseHandler = {};
      if (args.length === 1) rh.match = this.lookup(d, args[0]!);
      const sub = h.withDispenser(d.newFromNextSegment()).parseSegmentAsSubroute();
      const routes = sub.routes;
      if (routes && routes.length > 0) rh.routes = routes;
      this.handlers.push(rh);
    }
    if (this.handlers.length === 0) return undefined;
    const withMatch = this.handlers.filter((x) => x.match !== undefined);
    const without = this.handlers.filter((x) => x.match === undefined);
    return [...withMatch, ...without];
  }
}
