/** @module layer4/handlers/proxy-protocol: the `proxy_protocol` handler, which reads a PROXY protocol header and exposes the real client address. */
import type { Layer4ProxyProtocolHandler } from '@proxy/contract';
import { struct } from '../../json.js';
import { handler, type Layer4HandlerFields } from '../registry.js';
import {
  consumeName,
  durationArg,
  expandRanges,
  noArgs,
  noNestedBlock,
  OnceOptions,
  singleArg,
  someArgs,
} from '../syntax.js';

/** Fallback policies; IGNORE is the zero value, so it is never written. */
type Policy = NonNullable<Layer4ProxyProtocolHandler['fallback_policy']>;
const POLICIES: readonly string[] = ['IGNORE', 'USE', 'REJECT', 'REQUIRE', 'SKIP'] satisfies Policy[];

/**
 * `proxy_protocol` or a block of `allow <ranges...>`, `deny <ranges...>` (repeatable, `private_ranges`
 * expands), `fallback_policy <ignore|use|reject|require|skip>` and `timeout <duration>`
 * -> `{"timeout", "allow", "deny", "fallback_policy"}` (policy upper-cased).
 */
export const HandleProxyProtocol = handler(
  'proxy_protocol',
  {
    syntax: 'proxy_protocol [{ allow <ranges...>; deny <ranges...>; fallback_policy <policy>; timeout <duration> }]',
    doc: 'Reads a PROXY protocol header and takes the client address from it.',
    subdirectives: [
      { name: 'allow', syntax: 'allow <ranges...|private_ranges>', doc: 'Sources whose header is accepted.' },
      { name: 'deny', syntax: 'deny <ranges...>', doc: 'Sources whose header is rejected.' },
      {
        name: 'fallback_policy',
        syntax: 'fallback_policy USE|IGNORE|REJECT|REQUIRE|SKIP',
        doc: 'What to do with sources neither allowed nor denied.',
      },
      { name: 'timeout', syntax: 'timeout <duration>', doc: 'How long to wait for the header.' },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const once = new OnceOptions(wrapper);
    const allow: string[] = [];
    const deny: string[] = [];
    let timeout: number | undefined;
    let policy: Policy | undefined;
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'allow':
          allow.push(...expandRanges(someArgs(d)));
          break;
        case 'deny':
          deny.push(...expandRanges(someArgs(d)));
          break;
        case 'fallback_policy': {
          once.mark(d, option);
          const v = singleArg(d).toUpperCase();
          if (!POLICIES.includes(v))
            throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${d.val()}'`);
          policy = v === 'IGNORE' ? undefined : (v as Policy);
          break;
        }
        case 'timeout':
          once.mark(d, option);
          timeout = durationArg(d, wrapper, option);
          break;
        default:
          throw d.argErr();
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4HandlerFields<'proxy_protocol'>>({ timeout, allow, deny, fallback_policy: policy });
  },
);
