/** @module layer4/matchers/xmpp: the `xmpp` matcher (caddy-l4 `MatchXMPP`), which matches XMPP connections (`jabber` within the first 50 bytes). */
import { matcher } from '../registry.js';
import { bareModule } from '../syntax.js';

/** `xmpp`: no arguments, no block; JSON `{}`. */
export const MatchXMPP = matcher(
  'xmpp',
  {
    syntax: 'xmpp',
    doc: 'Matches XMPP stream openings.',
  },
  (d) => {
    bareModule(d, 'matcher');
    return {};
  },
);
