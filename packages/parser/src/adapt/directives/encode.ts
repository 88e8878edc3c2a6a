/** @module encode: the `encode` handler directive (gzip/zstd encoders and levels, minimum_length, a response `match`). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { EncodeHandler, GzipEncoder, ZstdEncoder } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { atoi, omitZero } from './common.js';
import type { ResponseMatcherJson } from './header-ops.js';
import { parseNamedResponseMatcher } from './response-matcher.js';
import { guestModules, type ModuleOfKind } from '../module.js';
import { lookup } from '../modules.js';

const ZSTD_LEVELS = ['fastest', 'default', 'better', 'best'];

/** `http.encoders.*` Caddyfile parsers over their own segment. */
const ENCODERS = {
  gzip(d) {
    d.next();
    if (!d.nextArg()) return {};
    const n = atoi(d.val());
    if (typeof n === 'string') throw d.err(n);
    return n !== 0 ? { level: n } : {};
  },
  zstd(d) {
    d.next();
    if (!d.nextArg()) return {};
    if (!ZSTD_LEVELS.includes(d.val())) {
      throw d.err(`unexpected compression level, use one of '${ZSTD_LEVELS.join("', '")}'`);
    }
    return { level: d.val() };
  },
} satisfies { gzip: (d: Dispenser) => GzipEncoder; zstd: (d: Dispenser) => ZstdEncoder };

export const ENCODE_FORMATS = guestModules('http-encoder', ENCODERS, {
  gzip: {
    syntax: 'gzip [<level>]',
    doc: 'Compresses with gzip (level 1 to 9).',
  },
  zstd: {
    syntax: 'zstd [<level>]',
    doc: 'Compresses with Zstandard (fastest, default, better or best).',
  },
});

export const EncodeDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'encode',
  syntax: 'encode [<matcher>] [<formats...>] { gzip [<level>]; zstd [<level>]; minimum_length <int>; match { } }',
  doc: 'Compresses responses (zstd and gzip by default).',
  subdirectives: [
    { name: 'gzip', syntax: 'gzip [<level>]', doc: 'Enables gzip.' },
    { name: 'zstd', syntax: 'zstd [<level>]', doc: 'Enables zstd.' },
    { name: 'minimum_length', syntax: 'minimum_length <int>', doc: 'Responses shorter than this are not compressed.' },
    {
      name: 'match',
      syntax: 'match { status <codes...>; header <field> <value> }',
      doc: 'Only compresses responses that match.',
    },
  ],
  parse: (h) => {
    h.next();
    const out: StructFields<EncodeHandler> = {};
    const encodings: NonNullable<EncodeHandler['encodings']> = {};
    const prefer: string[] = [];
    for (const arg of h.remainingArgs()) {
      if (!lookup('http-encoder', arg)) {
        // Caddy prints the zero ModuleInfo here, hence the empty name.
        throw h.err(`finding encoder module '': module not registered: http.encoders.${arg}`);
      }
      encodings[arg] = {};
      prefer.push(arg);
    }
    while (h.nextBlock(0)) {
      const name = h.val();
      if (name === 'minimum_length') {
        if (!h.nextArg()) throw h.argErr();
        const n = atoi(h.val());
        if (typeof n === 'string') throw h.err(n);
        out.minimum_length = n;
      } else if (name === 'match') {
        const matchers = new Map<string, ResponseMatcherJson>();
        parseNamedResponseMatcher(h.newFromNextSegment(), matchers);
        out.match = matchers.get('match');
      } else {
        const parse = lookup('http-encoder', name)?.parse;
        const id = `http.encoders.${name}`;
        if (!parse) throw h.err(`getting module named '${id}': module not registered: ${id}`);
        encodings[name] = parse(h.newFromNextSegment());
        prefer.push(name);
      }
    }
    if (prefer.length === 0) {
      // No encoders named: Caddy defaults to zstd, then gzip.
      for (const name of ['zstd', 'gzip']) {
        encodings[name] = {};
        prefer.push(name);
      }
    }
    out.encodings = encodings;
    out.prefer = prefer;
    omitZero(out, 'minimum_length');
    return moduleObject<EncodeHandler>('handler', 'encode', out);
  },
};
