/**
 * @module pebble-support: Debian's `pebble` (a test ACME CA) and `pebble-challtestsrv` (a DNS server answering
 * 127.0.0.1 for every name) on loopback, for the tests that obtain certificates.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './cli-support.js';

/** The command is on the PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Resolves once something accepts TCP connections on the loopback port. */
export function connectable(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve();
    });
    s.on('error', reject);
  });
}

/** A running pebble (and its DNS server, when asked for). */
export interface Pebble {
  /** The ACME directory URL. */
  directory: string;
  /** The management port (`/roots/0` is the root that signs what pebble issues). */
  mgmtPort: number;
  /** The certificate pebble's own HTTPS endpoints are served with: the file ACME clients trust for the CA. */
  caCert: string;
  /** pebble's output so far. */
  log(): string;
  /** Kills pebble and its DNS server. */
  stop(): void;
}

/**
 * Starts pebble with its HTTPS certificate in `dir`, validating http-01 on `httpPort` and tls-alpn-01 on `tlsPort`;
 * with `dns`, names are resolved by a pebble-challtestsrv that answers 127.0.0.1 (and no AAAA) for all of them.
 * Returns once pebble listens (bounded wait).
 */
export async function startPebble(
  dir: string,
  opts: { httpPort: number; tlsPort: number; dns?: boolean },
): Promise<Pebble> {
  const caCert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-days',
      '2',
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  const children: ChildProcess[] = [];
  const stop = (): void => {
    for (const c of children) c.kill('SIGKILL');
  };
  const dnsArgs: string[] = [];
  if (opts.dns) {
    const [dnsPort, dnsMgmt] = [await freePort(), await freePort()];
    children.push(
      spawn(
        'pebble-challtestsrv',
        [
          '-defaultIPv6',
          '',
          '-dns01',
          `127.0.0.1:${dnsPort}`,
          '-http01',
          '',
          '-https01',
          '',
          '-tlsalpn01',
          '',
          '-management',
          `127.0.0.1:${dnsMgmt}`,
        ],
        { stdio: 'ignore' },
      ),
    );
    dnsArgs.push('-dnsserver', `127.0.0.1:${dnsPort}`);
  }
  const [acmePort, mgmtPort] = [await freePort(), await freePort()];
  const config = path.join(dir, 'pebble.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${mgmtPort}`,
        certificate: caCert,
        privateKey: path.join(dir, 'key.pem'),
        httpPort: opts.httpPort,
        tlsPort: opts.tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const pebble = spawn('pebble', ['-config', config, ...dnsArgs], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(pebble);
  let log = '';
  pebble.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  pebble.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 100 && !log.includes('Listening on'); i++) await new Promise((r) => setTimeout(r, 100));
  return { directory: `https://127.0.0.1:${acmePort}/dir`, mgmtPort, caCert, log: () => log, stop };
}
