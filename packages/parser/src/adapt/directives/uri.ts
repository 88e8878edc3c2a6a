/** @module uri: the `uri` handler directive (strip_prefix, strip_suffix, replace, path_regexp, query; Caddy's `parseCaddyfileURI`). */
import type { Helper } from '../helper.js';
import type { RewriteHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { atoi } from './common.js';
import type { ModuleOfKind } from '../module.js';

type QueryOps = NonNullable<RewriteHandler['query']>;

function applyQueryOps(h: Helper, q: QueryOps, args: string[]): void {
  const key = args[0]!;
  if (key.startsWith('-')) {
    if (args.length !== 1) throw h.argErr();
    (q.delete ??= []).push(key.replace(/^-+/, ''));
  } else if (key.startsWith('+')) {
    if (args.length !== 2) throw h.argErr();
    (q.add ??= []).push({ key: key.replace(/^\++/, ''), val: args[1]! });
  } else if (key.includes('>')) {
    if (args.length !== 1) throw h.argErr();
    const parts = key.split('>');
    (q.rename ??= []).push({ key: parts[0]!, val: parts[1]! });
  } else if (args.length === 3) {
    (q.replace ??= []).push({ key, search_regexp: args[1]!, replace: args[2]! });
  } else {
    if (args.length !== 2) throw h.argErr();
    (q.set ??= []).push({ key, val: args[1]! });
  }
}

function parseUri(h: Helper): RewriteHandler {
  h.next();
  const args = h.remainingArgs();
  if (args.length < 1) throw h.argErr();
  const r: StructFields<RewriteHandler> = {};
  switch (args[0]) {
    case 'strip_prefix': {
      if (args.length !== 2) throw h.argErr();
      const p = args[1]!;
      r.strip_path_prefix = p.startsWith('/') ? p : `/${p}`;
      break;
    }
    case 'strip_suffix':
      if (args.length !== 2) throw h.argErr();
      r.strip_path_suffix = args[1];
      break;
    case 'replace': {
      if (args.length !== 3 && args.length !== 4) throw h.argErr();
      const sub: NonNullable<RewriteHandler['uri_substring']>[number] = { find: args[1], replace: args[2] };
      if (args.length === 4) {
        const lim = atoi(args[3]!);
        if (typeof lim === 'string') throw h.err(`limit must be an integer; invalid: ${lim}`);
        if (lim !== 0) sub.limit = lim;
      }
      r.uri_substring = [sub];
      break;
    }
    case 'path_regexp':
      if (args.length !== 3) throw h.argErr();
      r.path_regexp = [{ find: args[1], replace: args[2] }];
      break;
    case 'query': {
      if (args.length > 4) throw h.argErr();
      const q: QueryOps = {};
      const hasArgs = args.length > 1;
      if (hasArgs) applyQueryOps(h, q, args.slice(1));
      while (h.nextBlock(0)) {
        if (hasArgs) throw h.err('Cannot specify uri query rewrites in both argument and block');
        applyQueryOps(h, q, [h.val(), ...h.remainingArgs()]);
      }
      r.query = q;
      break;
    }
    default:
      throw h.err(`unrecognized URI manipulation '${args[0]}'`);
  }
  return moduleObject<RewriteHandler>('handler', 'rewrite', r);
}

export const UriDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'uri',
  syntax: 'uri [<matcher>] strip_prefix|strip_suffix|replace|path_regexp|query <args...>',
  doc: 'Changes the request URI: strips a prefix or suffix, replaces substrings or edits the query.',
  subdirectives: [
    { name: 'strip_prefix', syntax: 'strip_prefix <prefix>', doc: 'Removes a path prefix.' },
    { name: 'strip_suffix', syntax: 'strip_suffix <suffix>', doc: 'Removes a path suffix.' },
    { name: 'replace', syntax: 'replace <find> <replace> [<limit>]', doc: 'Replaces substrings of the path.' },
    { name: 'path_regexp', syntax: 'path_regexp <regexp> <replace>', doc: 'Replaces regexp matches in the path.' },
    {
      name: 'query',
      syntax: 'query [-|+]<key> [<value>] | query { ... }',
      doc: 'Sets, adds, renames, replaces or deletes query parameters.',
    },
  ],
  parse: parseUri,
};
