/** @module layer4/matchers/openvpn: the `openvpn` matcher (caddy-l4 `MatchOpenVPN`): OpenVPN client resets. */
import type { Layer4OpenVpnMatcher } from '@proxy/contract';
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
export const MatchOpenVPN = matcher(
  'openvpn',
  {
    syntax: 'openvpn [{ modes <plain|auth|crypt|crypt2...>; ignore_crypto; ignore_timestamp; group_key <hex>; ... }]',
    doc: 'Matches OpenVPN client reset messages, optionally authenticated by keys.',
    subdirectives: [
      {
        name: 'modes',
        syntax: 'modes <plain|auth|crypt|crypt2...>',
        doc: 'The OpenVPN modes to accept (1 to 4 values).',
      },
      { name: 'ignore_crypto', syntax: 'ignore_crypto', doc: 'Skips the HMAC / encryption checks.' },
      { name: 'ignore_timestamp', syntax: 'ignore_timestamp', doc: 'Skips the packet timestamp check.' },
      { name: 'group_key', syntax: 'group_key <hex>', doc: 'The static group key (tls-auth / tls-crypt), inline.' },
      { name: 'group_key_file', syntax: 'group_key_file <path>', doc: 'The static group key, from a file.' },
      { name: 'auth_digest', syntax: 'auth_digest <name>', doc: 'The HMAC digest of auth mode.' },
      {
        name: 'group_key_direction',
        syntax: 'group_key_direction normal|inverse|bidi|bidirectional',
        doc: 'Which halves of the group key are used.',
      },
      { name: 'server_key', syntax: 'server_key <base64>', doc: 'The tls-crypt-v2 server key, inline.' },
      { name: 'server_key_file', syntax: 'server_key_file <path>', doc: 'The tls-crypt-v2 server key, from a file.' },
      { name: 'client_key', syntax: 'client_key <base64>', doc: 'A tls-crypt-v2 client key, inline (repeatable).' },
      {
        name: 'client_key_file',
        syntax: 'client_key_file <path>',
        doc: 'A tls-crypt-v2 client key, from a file (repeatable).',
      },
    ],
  },
  (d) => {
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
          if (!DIRECTIONS.includes(v.toLowerCase()))
            throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${v}'`);
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
    return struct<Layer4OpenVpnMatcher>({
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
  },
);
