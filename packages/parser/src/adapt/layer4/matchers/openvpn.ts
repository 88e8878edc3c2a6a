/** @module layer4/matchers/openvpn: the `openvpn` matcher (caddy-l4 `MatchOpenVPN`): OpenVPN client resets. */
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, noArgs, noNestedBlock, OnceOptions, modeArgs, singleArg } from '../syntax.js';

const MODES = ['auth', 'crypt', 'crypt2', 'plain'];
const DIRECTIONS = ['normal', 'inverse', 'bidi', 'bidirectional'];

/**
 * `openvpn` or a block of `modes <plain|auth|crypt|crypt2>...`, `ignore_crypto`, `ignore_timestamp`,
 * `group_key <hex>`, `group_key_file <path>`, `auth_digest <digest>`,
 * `group_key_direction <normal|inverse|bidi|bidirectional>`, `server_key <base64>`, `server_key_file <path>`,
 * `client_key <base64>` and `client_key_file <path>` (both repeatable). JSON in Go struct order.
 */
export const MatchOpenVPN = matcher('openvpn', (d) => {
  const wrapper = consumeName(d);
  noArgs(d);
  const once = new OnceOptions(wrapper);
  const modes: string[] = [];
  const single: Record<string, string> = {};
  const flags: Record<string, boolean> = {};
  const clientKeys: string[] = [];
  const clientKeyFiles: string[] = [];
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const option = d.val();
    switch (option) {
      case 'modes':
        modes.push(...modeArgs(d, wrapper, MODES));
        break;
      case 'ignore_crypto':
      case 'ignore_timestamp':
        once.mark(d, option);
        noArgs(d);
        flags[option] = true;
        break;
      case 'group_key_direction': {
        once.mark(d, option);
        const v = singleArg(d);
        if (!DIRECTIONS.includes(v.toLowerCase())) throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${v}'`);
        single[option] = v;
        break;
      }
      case 'group_key':
      case 'group_key_file':
      case 'auth_digest':
      case 'server_key':
      case 'server_key_file':
        once.mark(d, option);
        single[option] = singleArg(d);
        break;
      case 'client_key':
        clientKeys.push(singleArg(d));
        break;
      case 'client_key_file':
        clientKeyFiles.push(singleArg(d));
        break;
      default:
        throw d.argErr();
    }
    noNestedBlock(d, nesting, wrapper, option);
  }
  return struct({
    modes,
    ignore_crypto: flags['ignore_crypto'],
    ignore_timestamp: flags['ignore_timestamp'],
    group_key: single['group_key'],
    group_key_file: single['group_key_file'],
    auth_digest: single['auth_digest'],
    group_key_direction: single['group_key_direction'],
    client_keys: clientKeys,
    client_key_files: clientKeyFiles,
    server_key: single['server_key'],
    server_key_file: single['server_key_file'],
  });
});
