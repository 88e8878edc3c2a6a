/** @module layer4/matchers/ssh: the `ssh` matcher (caddy-l4 `MatchSSH`), which matches SSH connections (the `SSH-` banner prefix). */
import { matcher } from '../registry.js';
import { bareModule } from '../syntax.js';

/** `ssh`: no arguments, no block; JSON `{}`. */
export const MatchSSH = matcher('ssh', (d) => {
  bareModule(d, 'matcher');
  return {};
});
