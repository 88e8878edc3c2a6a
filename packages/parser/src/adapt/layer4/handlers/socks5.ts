/** @module layer4/handlers/socks5: the `socks5` handler, a SOCKSv5 server (terminal). */
import { struct, sortedMap } from '../../json.js';
import { handler, type Layer4HandlerFields } from '../registry.js';
import { consumeName, noArgs, noNestedBlock, OnceOptions, singleArg, someArgs } from '../syntax.js';

const COMMANDS = ['CONNECT', 'ASSOCIATE', 'BIND'];

/**
 * `socks5` or a block of `bind_ip <ip>`, `commands <CONNECT|ASSOCIATE|BIND>...` (repeatable) and
 * `credentials <user> <password> [<user> <password>...]` (repeatable; enables username/password auth)
 * -> `{"bind_ip", "commands", "credentials": {user: password}}`.
 */
export const HandleSocks5 = handler(
  'socks5',
  {
    syntax: 'socks5 [{ bind_ip <addr>; commands <CONNECT|ASSOCIATE|BIND...>; credentials <user> <pass>... }]',
    doc: 'Serves a SOCKSv5 proxy.',
    subdirectives: [
      { name: 'bind_ip', syntax: 'bind_ip <addr>', doc: 'The address to bind outgoing connections to.' },
      { name: 'commands', syntax: 'commands <CONNECT|ASSOCIATE|BIND...>', doc: 'The commands to allow.' },
      {
        name: 'credentials',
        syntax: 'credentials <user> <pass> [<user> <pass>...]',
        doc: 'Requires username/password authentication.',
      },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const once = new OnceOptions(wrapper);
    let bindIP: string | undefined;
    const commands: string[] = [];
    const credentials: Record<string, string> = {};
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'bind_ip':
          once.mark(d, option);
          bindIP = singleArg(d);
          break;
        case 'commands':
          for (const c of someArgs(d)) {
            // Checked case-insensitively, kept as written (the module upper-cases at provision).
            if (!COMMANDS.includes(c.toUpperCase()))
              throw d.err(`malformed ${wrapper} option '${option}': unrecognized command '${c}'`);
            commands.push(c);
          }
          break;
        case 'credentials': {
          const args = d.remainingArgs();
          if (args.length === 0 || args.length % 2 !== 0) throw d.argErr();
          for (let i = 0; i < args.length; i += 2) credentials[args[i]!] = args[i + 1]!;
          break;
        }
        default:
          throw d.argErr();
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4HandlerFields<'socks5'>>({ bind_ip: bindIP, commands, credentials: sortedMap(credentials) });
  },
);
