/** @module layer4/matchers/winbox: the `winbox` matcher (caddy-l4 `MatchWinbox`): MikroTik Winbox handshakes. */
import type { Layer4WinboxMatcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, noArgs, noNestedBlock, OnceOptions, modeArgs, singleArg } from '../syntax.js';

const MODES = ['standard', 'romon'];

/**
 * `winbox` or a block of `modes <standard|romon>...` and one of `username <name>` or
 * `username_regexp <re>` -> `{"modes", "username", "username_regexp"}`.
 */
export const MatchWinbox = matcher(
  'winbox',
  {
    syntax: 'winbox [{ modes <standard|romon...>; username <v> | username_regexp <re> }]',
    doc: 'Matches MikroTik Winbox connections, optionally by mode and username.',
    subdirectives: [
      { name: 'modes', syntax: 'modes <standard|romon...>', doc: 'The Winbox modes to accept (1 or 2 values).' },
      { name: 'username', syntax: 'username <value>', doc: 'The username to accept.' },
      { name: 'username_regexp', syntax: 'username_regexp <regexp>', doc: 'A regular expression for the username.' },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const once = new OnceOptions(wrapper);
    const modes: string[] = [];
    let username: string | undefined;
    let usernameRegexp: string | undefined;
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'modes':
          modes.push(...modeArgs(d, wrapper, MODES));
          break;
        case 'username':
        case 'username_regexp':
          if (once.has(option === 'username' ? 'username_regexp' : 'username')) {
            throw d.err(`${wrapper} option '${option}' can't be combined with other options`);
          }
          once.mark(d, option);
          if (option === 'username') username = singleArg(d);
          else usernameRegexp = singleArg(d);
          break;
        default:
          throw d.argErr();
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4WinboxMatcher>({ modes, username, username_regexp: usernameRegexp });
  },
);
