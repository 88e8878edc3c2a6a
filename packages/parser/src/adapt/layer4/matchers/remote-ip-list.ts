/** @module layer4/matchers/remote-ip-list: the `remote_ip_list` matcher (caddy-l4 `MatchRemoteIPList`): client IPs from a watched file. */
import { matcher } from '../registry.js';
import { consumeName, noBlock, singleArg } from '../syntax.js';

/** `remote_ip_list <file>` -> `{"remote_ip_file": "<file>"}` (the field has no omitempty). */
export const MatchRemoteIPList = matcher(
  'remote_ip_list',
  {
    syntax: 'remote_ip_list [<file>]',
    doc: 'Matches connections from a remote address listed in a file (one IP per line, reloaded on change).',
  },
  (d) => {
    const wrapper = consumeName(d);
    const file = singleArg(d);
    noBlock(d, `${wrapper} matcher`);
    return { remote_ip_file: file };
  },
);
