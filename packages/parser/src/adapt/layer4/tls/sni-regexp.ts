/** @module layer4/tls/sni-regexp: Caddy's `tls.handshake_match.sni_regexp` (`MatchServerNameRE`): a regexp over the server name. */
import { struct } from '../../json.js';
import type { HandshakeMatchers, ModuleDefinition } from '../registry.js';
import { noBlock } from '../syntax.js';

/**
 * `sni_regexp [<name>] <pattern>` -> `{"name", "pattern"}` (the name labels capture placeholders; a later
 * line replaces an earlier one).
 */
export const MatchServerNameRE: ModuleDefinition = {
  kind: 'tls-handshake-matcher',
  name: 'sni_regexp',
  syntax: 'sni_regexp [<name>] <pattern>',
  doc: 'Matches the server name against a regular expression; captures become placeholders.',
  parse: (d, ctx): HandshakeMatchers['sni_regexp'] => {
    let result = struct<HandshakeMatchers['sni_regexp']>({ pattern: '' }, ['pattern']);
    while (d.next()) {
      const wrapper = d.val();
      const args = d.remainingArgs();
      if (args.length === 0 || args.length > 2) throw d.argErr();
      const [name, pattern] = args.length === 2 ? args : [ctx.matcherName, args[0]];
      result = struct<HandshakeMatchers['sni_regexp']>({ name, pattern: pattern! }, ['pattern']);
      noBlock(d, `TLS handshake matcher '${wrapper}'`);
    }
    return result;
  },
};
