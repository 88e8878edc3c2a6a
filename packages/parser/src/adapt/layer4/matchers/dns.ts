/** @module layer4/matchers/dns: the `dns` matcher (caddy-l4 `MatchDNS`): DNS queries, by allow/deny rules. */
import type { Layer4DnsMatcher, Layer4DnsRule } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, noArgs, noNestedBlock, OnceOptions } from '../syntax.js';

/**
 * `dns` or a block of:
 *
 *     <allow|deny> <*|name> [<*|type> [<*|class>]]
 *     <allow_regexp|deny_regexp> <*|name_re> [<*|type_re> [<*|class_re>]]
 *     default_deny
 *     prefer_allow
 *
 * -> `{"allow": [rule], "deny": [rule], "default_deny", "prefer_allow"}`; `*` leaves a rule field unset.
 */
export const MatchDNS = matcher(
  'dns',
  {
    syntax:
      'dns [{ allow|deny <name|*> [<type|*> [<class|*>]]; allow_regexp|deny_regexp <re|*> [<re|*> [<re|*>]]; default_deny; prefer_allow }]',
    doc: 'Matches DNS messages (over UDP or TCP), optionally allowing or denying questions by name, type and class.',
    subdirectives: [
      {
        name: 'allow',
        syntax: 'allow <name|*> [<type|*> [<class|*>]]',
        doc: 'Allows questions with this name, type and class.',
      },
      {
        name: 'deny',
        syntax: 'deny <name|*> [<type|*> [<class|*>]]',
        doc: 'Denies questions with this name, type and class.',
      },
      {
        name: 'allow_regexp',
        syntax: 'allow_regexp <name_re|*> [<type_re|*> [<class_re|*>]]',
        doc: 'Allows questions matching these regular expressions.',
      },
      {
        name: 'deny_regexp',
        syntax: 'deny_regexp <name_re|*> [<type_re|*> [<class_re|*>]]',
        doc: 'Denies questions matching these regular expressions.',
      },
      {
        name: 'default_deny',
        syntax: 'default_deny',
        doc: 'Denies questions that no rule matches (the default is to allow them).',
      },
      { name: 'prefer_allow', syntax: 'prefer_allow', doc: 'Checks the allow rules before the deny rules.' },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const once = new OnceOptions(wrapper);
    const allow: Layer4DnsRule[] = [];
    const deny: Layer4DnsRule[] = [];
    const flags: Record<string, boolean> = {};
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'allow':
        case 'allow_regexp':
        case 'deny':
        case 'deny_regexp': {
          const args = d.remainingArgs();
          if (args.length === 0 || args.length > 3) throw d.argErr();
          const suffix = option.endsWith('_regexp') ? '_regexp' : '';
          const [name, type, klass] = args.map((a) => (a === '*' ? undefined : a));
          const rule = struct<Layer4DnsRule>({
            [`class${suffix}`]: klass,
            [`name${suffix}`]: name,
            [`type${suffix}`]: type,
          });
          (option.startsWith('allow') ? allow : deny).push(rule);
          break;
        }
        case 'default_deny':
        case 'prefer_allow':
          once.mark(d, option);
          noArgs(d);
          flags[option] = true;
          break;
        default:
          throw d.argErr();
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4DnsMatcher>({
      allow,
      deny,
      default_deny: flags['default_deny'],
      prefer_allow: flags['prefer_allow'],
    });
  },
);
