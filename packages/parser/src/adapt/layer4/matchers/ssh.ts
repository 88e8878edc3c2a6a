/** @module layer4/matchers/ssh: the `ssh` matcher (caddy-l4 `MatchSSH`), which matches SSH connections (the `SSH-` banner prefix). */
import { matcher } from '../registry.js';
import { bareModule } from '../syntax.js';

/** `ssh`: no arguments, no block; JSON `{}`. */
export const MatchSSH = matcher(
  'ssh',
  {
    syntax: 'ssh',
    doc: 'Matches SSH connections (the SSH-2.0 identification line).',
  },
  (d) => {
    bareModule(d, 'matcher');
    return {};
  },
);
