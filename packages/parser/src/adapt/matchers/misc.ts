/** @module matchers/misc: `expression`, `file`, `tls`, `url_pattern`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { MatchFile, MatchUrlPattern } from '@proxy/contract';
import { struct } from '../json.js';
import type { MatcherContext, MatcherValue } from './registry.js';
import type { ModuleOfKind } from '../module.js';

/** `expression <cel...>`: several tokens are joined raw (string); one token gives {expr, name}. */
export function parseExpression(d: Dispenser, ctx: MatcherContext): MatcherValue<'expression'> {
  d.next();
  if (d.countRemainingArgs() > 1) return d.remainingArgsRaw().join(' ');
  if (!d.nextArg()) throw d.argErr();
  const expr = d.val();
  return ctx.matcherName ? { expr, name: ctx.matcherName } : expr;
}

/** `file [files...] { root; try_files; try_policy; split_path; fs }`. */
export function parseFile(d: Dispenser): MatchFile {
  let fs = '';
  let root = '';
  let tryPolicy = '';
  let tryFiles: string[] = [];
  let splitPath: string[] = [];
  while (d.next()) {
    tryFiles.push(...d.remainingArgs());
    for (const n = d.nesting(); d.nextBlock(n); ) {
      switch (d.val()) {
        case 'root':
          if (!d.nextArg()) throw d.argErr();
          root = d.val();
          break;
        case 'fs':
          if (!d.nextArg()) throw d.argErr();
          fs = d.val();
          break;
        case 'try_files':
          tryFiles = [...tryFiles, ...d.remainingArgs()];
          if (tryFiles.length === 0) throw d.argErr();
          break;
        case 'try_policy':
          if (!d.nextArg()) throw d.argErr();
          tryPolicy = d.val();
          break;
        case 'split_path':
          splitPath = d.remainingArgs();
          if (splitPath.length === 0) throw d.argErr();
          break;
        default:
          throw d.err(`unrecognized subdirective: ${d.val()}`);
      }
    }
  }
  return struct<MatchFile>({ fs, root, try_files: tryFiles, try_policy: tryPolicy, split_path: splitPath });
}

/** `tls [early_data]` → {handshake_complete: false} for early data. */
export function parseTLS(d: Dispenser): MatcherValue<'tls'> {
  let out: MatcherValue<'tls'> = {};
  while (d.next()) {
    if (d.nextArg()) {
      if (d.val() === 'early_data') out = { handshake_complete: false };
      else throw d.err(`unrecognized option '${d.val()}'`);
    }
    if (d.nextArg()) throw d.argErr();
    if (d.nextBlock(0)) throw d.err('malformed tls matcher: blocks are not supported yet');
  }
  return out;
}

/** `url_pattern <pattern> [{ base_url URL; ignore_case }]` → {pattern, base_url, ignore_case}. */
export function parseURLPattern(d: Dispenser): MatchUrlPattern {
  let pattern = '';
  let baseURL = '';
  let ignoreCase = false;
  while (d.next()) {
    if (!d.nextArg()) throw d.argErr();
    pattern = d.val();
    if (d.nextArg()) throw d.argErr();
    for (const n = d.nesting(); d.nextBlock(n); ) {
      switch (d.val()) {
        case 'base_url':
          if (!d.nextArg()) throw d.argErr();
          baseURL = d.val();
          break;
        case 'ignore_case':
          ignoreCase = true;
          break;
        default:
          throw d.err(`unrecognized subdirective: ${d.val()}`);
      }
    }
  }
  return struct<MatchUrlPattern>({ pattern, base_url: baseURL, ignore_case: ignoreCase }, ['pattern']);
}

export const ExpressionMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'expression',
  syntax: 'expression <cel expression>',
  doc:
    'Matches by a CEL expression (@name "<expr>" is shorthand for it): {placeholders} are typed values, and ' +
    'path(), host(), method(), header({...}), query({...}), protocol(), remote_ip(), client_ip(), path_regexp(), ' +
    'header_regexp(), vars({...}), vars_regexp() and file() call those matchers.',
  parse: parseExpression,
};

export const FileMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'file',
  syntax: 'file [<files...>] { root <path>; try_files <files...>; try_policy <policy>; split_path <delims...> }',
  doc: 'Matches requests for files that exist on disk; sets {file_match.*} placeholders.',
  subdirectives: [
    {
      name: 'root',
      syntax: 'root <path>',
      doc: 'The folder to look in (default {http.vars.root} or the current directory).',
    },
    { name: 'try_files', syntax: 'try_files <files...>', doc: 'The files to try, in order.' },
    {
      name: 'try_policy',
      syntax: 'try_policy first_exist|first_exist_fallback|smallest_size|largest_size|most_recently_modified',
      doc: 'How to choose among existing files.',
    },
    {
      name: 'split_path',
      syntax: 'split_path <delims...>',
      doc: 'Splits the path at these substrings (e.g. .php) before looking for the file.',
    },
  ],
  parse: parseFile,
};

export const TLSMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'tls',
  syntax: 'tls [early_data]',
  doc: 'Matches TLS connections; early_data matches requests sent as TLS 0-RTT early data.',
  parse: parseTLS,
};

export const URLPatternMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'url_pattern',
  syntax: 'url_pattern <pattern> { base_url <url>; ignore_case }',
  doc: 'Matches the request URL by a URL Pattern (current Caddy).',
  subdirectives: [
    { name: 'base_url', syntax: 'base_url <url>', doc: 'The base URL of a relative pattern.' },
    { name: 'ignore_case', syntax: 'ignore_case', doc: 'Matches case-insensitively.' },
  ],
  parse: parseURLPattern,
};
