/**
 * @module layer4-openvpn: the openvpn matcher on the first packets of real OpenVPN 2.6 clients (fixtures/openvpn:
 * captured over TCP and UDP from `openvpn --client` in plain, tls-auth (SHA1 and SHA256, with and without key
 * direction), tls-crypt and tls-crypt-v2 modes, with the keys they used), and on a live client when openvpn is
 * installed. The fixtures' timestamps are old, so the tests that check keys set ignore_timestamp.
 */
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App } from '@proxy/runtime';
import { connect, readBytes, taggedEcho, tcpServer, testLogger } from './layer4-support.js';

const dir = fileURLToPath(new URL('./fixtures/openvpn/', import.meta.url));
const packets = JSON.parse(readFileSync(`${dir}packets.json`, 'utf8')) as Record<string, string>;
const pkt = (name: string): Buffer => Buffer.from(packets[name]!, 'hex');
const MODES = ['plain', 'auth', 'authsha256', 'authbidi', 'crypt', 'crypt2'];

let echo: { port: number; close(): Promise<void> };
beforeAll(async () => {
  echo = await taggedEcho('A');
});
afterAll(() => echo.close());

/** Which of the TCP fixtures `cfg` matches. */
async function tcpMatches(cfg: Record<string, unknown>, names = MODES): Promise<string[]> {
  const app = await startLayer4App(
    {
      servers: {
        s: {
          listen: ['127.0.0.1:0'],
          routes: [
            {
              match: [{ openvpn: cfg }],
              handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] }],
            },
            { handle: [{ handler: 'close' }] },
          ],
        },
      },
    },
    { logger: testLogger },
  );
  try {
    const port = app.addresses['s']![0]!.port;
    const out: string[] = [];
    for (const name of names) {
      const s = await connect(port);
      s.write(pkt(`${name}_tcp`));
      const got = await readBytes(s, 2).catch(() => Buffer.alloc(0));
      s.destroy();
      if (got.subarray(0, 2).toString() === 'A:') out.push(name);
    }
    return out;
  } finally {
    await app.close();
  }
}

describe('openvpn matcher (TCP)', () => {
  it('matches every mode by structure, and only the modes listed', async () => {
    expect(await tcpMatches({ ignore_timestamp: true })).toEqual(MODES);
    expect(await tcpMatches({ modes: ['plain'], ignore_timestamp: true })).toEqual(['plain']);
    expect(await tcpMatches({ modes: ['auth'], ignore_timestamp: true })).toEqual(['auth', 'authsha256', 'authbidi']);
    expect(await tcpMatches({ modes: ['crypt', 'crypt2'], ignore_timestamp: true })).toEqual(['crypt', 'crypt2']);
  });

  it('refuses a net_time far from now unless ignore_timestamp (plain packets have none)', async () => {
    // Without a key a tls-auth packet is read by its structure, so its net_time can be set to 2001.
    const old = pkt('auth_tcp');
    old.writeUInt32BE(1_000_000_000, 2 + 9 + 20 + 4);
    const app = await startLayer4App(
      {
        servers: {
          s: {
            listen: ['127.0.0.1:0'],
            routes: [
              {
                match: [{ openvpn: { modes: ['auth'] } }],
                handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] }],
              },
              { handle: [{ handler: 'close' }] },
            ],
          },
        },
      },
      { logger: testLogger },
    );
    try {
      const s = await connect(app.addresses['s']![0]!.port);
      s.write(old);
      const got = await readBytes(s, 2).catch(() => Buffer.alloc(0));
      s.destroy();
      expect(got.subarray(0, 2).toString()).not.toBe('A:');
    } finally {
      await app.close();
    }
    packets['auth_old_tcp'] = old.toString('hex');
    expect(await tcpMatches({ modes: ['auth'], ignore_timestamp: true }, ['auth_old'])).toEqual(['auth_old']);
  });

  it('authenticates tls-auth with the group key, its direction and digest', async () => {
    const key = { group_key_file: `${dir}ta.key`, ignore_timestamp: true, modes: ['auth'] };
    expect(await tcpMatches({ ...key, group_key_direction: 'normal' })).toEqual(['auth']);
    expect(await tcpMatches({ ...key })).toEqual(['authbidi']);
    expect(await tcpMatches({ ...key, group_key_direction: 'normal', auth_digest: 'SHA256' })).toEqual(['authsha256']);
    // ignore_crypto: structure only, whatever the key.
    expect(await tcpMatches({ ...key, ignore_crypto: true })).toEqual(['auth', 'authsha256', 'authbidi']);
  });

  it('decrypts and authenticates tls-crypt with the group key, inline or from a file', async () => {
    const text = readFileSync(`${dir}ta.key`, 'utf8');
    const base = { ignore_timestamp: true, modes: ['crypt'] };
    expect(await tcpMatches({ ...base, group_key: text })).toEqual(['crypt']);
    expect(await tcpMatches({ ...base, group_key_file: `${dir}ta.key` })).toEqual(['crypt']);
    // The same key with one byte of the slot client packets use (the second) changed, as bare hex.
    const hex = text
      .slice(text.indexOf('-----\n', text.indexOf('BEGIN')) + 6, text.indexOf('-----END'))
      .replace(/\s+/g, '');
    const key = Buffer.from(hex, 'hex');
    key[130] = (key[130] ?? 0) ^ 0xff;
    expect(await tcpMatches({ ...base, group_key: key.toString('hex') })).toEqual([]);
  });

  it('unwraps tls-crypt-v2 client keys with the server key, or knows the client keys', async () => {
    const base = { ignore_timestamp: true, modes: ['crypt2'] };
    expect(await tcpMatches({ ...base, server_key_file: `${dir}v2server.key` })).toEqual(['crypt2']);
    expect(await tcpMatches({ ...base, client_key_files: [`${dir}v2client.key`] })).toEqual(['crypt2']);
    const otherServer = Buffer.alloc(128, 7).toString('base64');
    expect(await tcpMatches({ ...base, server_key: otherServer })).toEqual([]);
  });

  it('does not match other protocols', async () => {
    const app = await startLayer4App(
      {
        servers: {
          s: {
            listen: ['127.0.0.1:0'],
            routes: [
              {
                match: [{ openvpn: { ignore_timestamp: true } }],
                handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] }],
              },
              { handle: [{ handler: 'close' }] },
            ],
          },
        },
      },
      { logger: testLogger },
    );
    try {
      for (const bytes of ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'SSH-2.0-OpenSSH_9.2\r\n', Buffer.from([0, 8, 1, 2])]) {
        const s = await connect(app.addresses['s']![0]!.port);
        s.write(bytes);
        const got = await readBytes(s, 2).catch(() => Buffer.alloc(0));
        s.destroy();
        expect(got.subarray(0, 2).toString()).not.toBe('A:');
      }
    } finally {
      await app.close();
    }
  });

  it('refuses bad settings by path', async () => {
    const bad = (cfg: Record<string, unknown>) =>
      startLayer4App(
        { servers: { s: { listen: ['127.0.0.1:0'], routes: [{ match: [{ openvpn: cfg }] }] } } },
        { logger: testLogger },
      );
    await expect(bad({ modes: ['nope'] })).rejects.toThrow(/unknown mode "nope"/);
    await expect(bad({ group_key: 'abcd' })).rejects.toThrow(/not a 2048-bit OpenVPN static key/);
    await expect(bad({ auth_digest: 'whirlpool' })).rejects.toThrow(/unknown digest/);
    await expect(bad({ server_key_file: `${dir}missing.key` })).rejects.toThrow(/cannot read key file/);
  });
});

describe('openvpn matcher (UDP)', () => {
  it('matches a datagram hard reset', async () => {
    const app = await startLayer4App(
      {
        servers: {
          u: {
            listen: ['udp/127.0.0.1:0'],
            routes: [
              {
                match: [{ openvpn: { group_key_file: `${dir}ta.key`, ignore_timestamp: true } }],
                handle: [{ handler: 'echo' }],
              },
            ],
          },
        },
      },
      { logger: testLogger },
    );
    try {
      const port = app.addresses['u']![0]!.port;
      const send = async (msg: Buffer): Promise<boolean> => {
        const c = dgram.createSocket('udp4');
        const got = new Promise<boolean>((r) => {
          const t = setTimeout(() => r(false), 1000);
          c.once('message', () => {
            clearTimeout(t);
            r(true);
          });
        });
        c.send(msg, port, '127.0.0.1');
        const reply = await got;
        c.close();
        return reply;
      };
      expect(await send(pkt('plain_udp'))).toBe(true);
      expect(await send(pkt('crypt_udp'))).toBe(true);
      expect(await send(Buffer.from('not openvpn at all'))).toBe(false);
    } finally {
      await app.close();
    }
  });
});

/** Whether an openvpn binary runs here. */
function hasOpenvpn(): boolean {
  try {
    execFileSync('openvpn', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // `openvpn --version` exits 1 after printing its version.
    return (e as { status?: number }).status === 1;
  }
}

describe.runIf(hasOpenvpn())('openvpn matcher with a live openvpn client', () => {
  it('routes a fresh tls-crypt reset (timestamp checked) and not a tls-auth one', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'proxy-ovpn-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
        '-keyout',
        'c.key',
        '-out',
        'c.crt',
        '-subj',
        '/CN=c',
        '-days',
        '2',
      ]),
      { cwd: tmp, stdio: 'ignore' },
    );
    const received: Buffer[] = [];
    const upstream = await tcpServer((s) => s.on('data', (c: Buffer) => received.push(c)));
    const app = await startLayer4App(
      {
        servers: {
          s: {
            listen: ['127.0.0.1:0'],
            routes: [
              {
                match: [{ openvpn: { group_key_file: `${dir}ta.key`, modes: ['crypt'] } }],
                handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${upstream.port}`] }] }],
              },
              { handle: [{ handler: 'close' }] },
            ],
          },
        },
      },
      { logger: testLogger },
    );
    const client = async (mode: string[]): Promise<Buffer> => {
      received.length = 0;
      const child = spawn(
        'openvpn',
        [
          ...['--client', '--dev', 'null', '--proto', 'tcp-client', '--nobind', '--verb', '0'],
          ...['--remote', '127.0.0.1', String(app.addresses['s']![0]!.port)],
          ...['--ca', 'c.crt', '--cert', 'c.crt', '--key', 'c.key', ...mode],
        ],
        { cwd: tmp, stdio: 'ignore' },
      );
      for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGKILL');
      return Buffer.concat(received);
    };
    try {
      const crypt = await client(['--tls-crypt', `${dir}ta.key`]);
      expect(crypt.length).toBe(56);
      expect(crypt[2]).toBe(0x38);
      expect((await client(['--tls-auth', `${dir}ta.key`, '1'])).length).toBe(0);
    } finally {
      await app.close();
      await upstream.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
