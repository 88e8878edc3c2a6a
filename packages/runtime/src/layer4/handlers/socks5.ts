/** @module layer4/handlers/socks5: `layer4.handlers.socks5` — a SOCKS5 server (CONNECT, UDP ASSOCIATE; user/password auth). */
import net from 'node:net';
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { connectIp, resolve } from '../proxy/dial.js';
import { splice } from '../proxy/splice.js';
import { startUdpRelay } from '../socks/associate.js';
import { COMMANDS, decodeAddress, reply, replyForError, REPLY } from '../socks/protocol.js';
import type { HandlerFactory, Next } from '../types.js';

const NEGOTIATION_TIMEOUT_MS = 10_000;

export const createSocks5Handler: HandlerFactory = (json, path) => {
  for (const key of Object.keys(json)) {
    if (!['handler', 'commands', 'bind_ip', 'credentials'].includes(key))
      throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
  const commandNames = (json['commands'] as unknown[] | undefined) ?? ['CONNECT', 'ASSOCIATE'];
  if (!Array.isArray(commandNames)) throw new Layer4ConfigError(`${path}.commands`, 'expected an array');
  const commands = new Set(
    commandNames.map((c, i) => {
      const code = COMMANDS[String(c).toUpperCase()];
      if (!code) throw new Layer4ConfigError(`${path}.commands[${i}]`, `unknown command ${JSON.stringify(c)}`);
      return code;
    }),
  );
  const bindIp = json['bind_ip'];
  if (bindIp !== undefined && (typeof bindIp !== 'string' || net.isIP(bindIp) === 0))
    throw new Layer4ConfigError(`${path}.bind_ip`, 'expected an IP address');
  const credentials = json['credentials'] as Record<string, string> | undefined;
  if (credentials !== undefined && (typeof credentials !== 'object' || credentials === null))
    throw new Layer4ConfigError(`${path}.credentials`, 'expected an object');
  const auth = credentials ? new Map(Object.entries(credentials)) : undefined;

  return {
    async handle(cx: Connection, _next: Next) {
      const deadline = performance.now() + NEGOTIATION_TIMEOUT_MS;
      const s = cx.stream;
      const fail = (bytes?: Buffer): void => {
        if (bytes) s.end(bytes);
        else s.destroy();
        setTimeout(() => s.destroy(), 1000).unref();
      };
      // greeting: VER NMETHODS METHODS
      const [ver, n] = await cx.consume(2, deadline);
      if (ver !== 5) return fail();
      const methods = await cx.consume(n!, deadline);
      const method = auth ? 2 : 0;
      if (!methods.includes(method)) return fail(Buffer.from([5, 0xff]));
      s.write(Buffer.from([5, method]));
      if (auth) {
        // RFC 1929: VER ULEN UNAME PLEN PASSWD
        const [aver, ulen] = await cx.consume(2, deadline);
        const user = (await cx.consume(ulen!, deadline)).toString('utf8');
        const [plen] = await cx.consume(1, deadline);
        const pass = (await cx.consume(plen!, deadline)).toString('utf8');
        if (aver !== 1 || auth.get(user) !== pass) {
          cx.log.info({ user, remote: cx.info.remoteAddress }, 'socks5: authentication failed');
          return fail(Buffer.from([1, 1]));
        }
        s.write(Buffer.from([1, 0]));
      }
      // request: VER CMD RSV ATYP DST.ADDR DST.PORT
      const [rver, cmd] = await cx.consume(3, deadline);
      let dst = decodeAddress(cx.buffer, 0);
      while (dst === 'more') {
        await cx.prefetch(deadline);
        dst = decodeAddress(cx.buffer, 0);
      }
      if (rver !== 5 || dst === null) return fail(reply(REPLY.addressTypeNotSupported));
      cx.discard(dst.end);
      if (!commands.has(cmd!) || cmd === COMMANDS['BIND']) return fail(reply(REPLY.commandNotSupported));
      if (cmd === COMMANDS['ASSOCIATE']) {
        const relay = await startUdpRelay(
          s,
          cx.info.remoteAddress,
          (bindIp as string | undefined) ?? cx.info.localAddress,
          cx.log,
        );
        s.write(reply(REPLY.succeeded, relay.address, relay.port));
        await new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));
        return;
      }
      let up: net.Socket;
      try {
        const [ip] = await resolve(dst.host, undefined, 'tcp');
        up = await connectIp(ip!, dst.port, bindIp ? { address: bindIp as string } : undefined, NEGOTIATION_TIMEOUT_MS);
      } catch (err) {
        cx.log.info({ target: `${dst.host}:${dst.port}`, err: (err as Error).message }, 'socks5: connect failed');
        return fail(reply(replyForError(err as NodeJS.ErrnoException)));
      }
      s.write(reply(REPLY.succeeded, up.localAddress ?? '0.0.0.0', up.localPort ?? 0));
      await splice(cx.release(), [up]);
    },
  };
};
