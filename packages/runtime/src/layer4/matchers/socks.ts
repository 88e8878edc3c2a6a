/** @module layer4/matchers/socks: `layer4.matchers.socks4` and `socks5` — SOCKS client greetings. */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { IpRanges } from '../ip-ranges.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

const SOCKS4_COMMANDS: Record<string, number> = { CONNECT: 1, BIND: 2 };

export const createSocks4Matcher: MatcherFactory = (json, path) => {
  const cfg = (json ?? {}) as { commands?: unknown; networks?: unknown; ports?: unknown };
  const commands = new Set(
    ((cfg.commands as unknown[] | undefined) ?? ['CONNECT', 'BIND']).map((c, i) => {
      const code = SOCKS4_COMMANDS[String(c).toUpperCase()];
      if (!code) throw new Layer4ConfigError(`${path}.commands[${i}]`, `unknown command ${JSON.stringify(c)}`);
      return code;
    }),
  );
  const networks = new IpRanges(cfg.networks, `${path}.networks`);
  const ports = new Set(((cfg.ports as unknown[] | undefined) ?? []).map(Number));
  return {
    match(cx: Connection) {
      const b = cx.buffer;
      if (b.length >= 1 && b[0] !== 4) return false;
      if (b.length >= 2 && !commands.has(b[1]!)) return false;
      if (b.length < 8) return MORE;
      if (ports.size > 0 && !ports.has(b.readUInt16BE(2))) return false;
      return networks.empty || networks.has([...b.subarray(4, 8)].join('.'));
    },
  };
};

export const createSocks5Matcher: MatcherFactory = (json, path) => {
  const cfg = (json ?? {}) as { auth_methods?: unknown };
  if (cfg.auth_methods !== undefined && !Array.isArray(cfg.auth_methods))
    throw new Layer4ConfigError(`${path}.auth_methods`, 'expected an array');
  const allowed = new Set(((cfg.auth_methods as unknown[] | undefined) ?? [0, 1, 2]).map(Number));
  return {
    match(cx: Connection) {
      const b = cx.buffer;
      if (b.length >= 1 && b[0] !== 5) return false;
      if (b.length >= 2 && b[1] === 0) return false;
      if (b.length < 2 || b.length < 2 + b[1]!) return MORE;
      for (let i = 0; i < b[1]!; i++) if (!allowed.has(b[2 + i]!)) return false;
      return true;
    },
  };
};

export const createXmppMatcher: MatcherFactory = () => ({
  match(cx: Connection) {
    if (cx.buffer.length < 50) return MORE;
    return cx.buffer.subarray(0, 50).includes('jabber');
  },
});
