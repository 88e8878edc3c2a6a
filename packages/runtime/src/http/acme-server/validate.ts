/**
 * @module http/acme-server/validate: checking a challenge (RFC 8555 section 8, RFC 8737 tls-alpn-01, RFC 8738
 * for IP identifiers): fetch the key authorization over http-01, look up the TXT record for dns-01, or handshake
 * with ALPN acme-tls/1 for tls-alpn-01. The ports are 80 and 443 as the RFCs fix them; PROXY_ACME_SERVER_HTTP_PORT and
 * PROXY_ACME_SERVER_TLS_PORT move them for tests on loopback (as smallstep's InsecurePortHTTP01/TLSALPN01 do).
 */
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { x509lib } from '../../tls/x509-lib.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { problem } from './problem.js';
import type { Challenge, Identifier, Problem } from './state.js';

const TIMEOUT_MS = 10_000;
const MAX_BODY = 4096;
const ACME_IDENTIFIER_OID = '1.3.6.1.5.5.7.1.31';

export interface Validator {
  /** Checks the challenge; resolves with the problem when it fails, undefined when it passes. */
  validate(ch: Challenge, id: Identifier, keyAuth: string): Promise<Problem | undefined>;
}

type Lookup = (host: string) => Promise<string[]>;

/**
 * How names are looked up: TXT records (dns-01) through the configured resolvers when there are any, as
 * current Caddy's resolverClient does; addresses for http-01 and tls-alpn-01 through the system's.
 */
function resolverLookup(
  resolvers: string[] | undefined,
  path: string,
): { lookup: Lookup; txt: (n: string) => Promise<string[]> } {
  const r = new dns.promises.Resolver({ timeout: 5000, tries: 2 });
  if (resolvers?.length) {
    try {
      // Caddy's resolvers are network addresses: [udp/]host[:port], port 53 by default.
      r.setServers(
        resolvers.map((raw) => {
          const s = raw.replace(/^udp\//, '');
          return isIP(s) === 6 ? `[${s}]:53` : isIP(s) === 4 || !/:\d+$/.test(s) ? `${s}:53` : s;
        }),
      );
    } catch (e) {
      throw ConfigError.at(path, `invalid resolver address: ${(e as Error).message}`);
    }
  }
  return {
    lookup: async (h) => (await dns.promises.lookup(h, { all: true })).map((a) => a.address),
    txt: async (n) => (await r.resolveTxt(n)).map((parts) => parts.join('')),
  };
}

function port(env: NodeJS.ProcessEnv, name: string, dflt: number, path: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw ConfigError.at(path, `${name}=${raw} is not a port`);
  return n;
}

function httpFetch(
  address: string,
  port: number,
  host: string,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: address,
        port,
        path,
        headers: { host: isIP(host) === 6 ? `[${host}]` : host, 'user-agent': 'proxy-acme-server' },
        agent: false,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) res.destroy(new Error('response too large'));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function tlsAlpnCert(
  address: string,
  port: number,
  id: Identifier,
): Promise<{ alpn: string | false; der: Buffer | undefined }> {
  // RFC 8738: an IP identifier is named by its reverse-DNS name in SNI.
  const servername = id.type === 'ip' ? reverseName(id.value) : id.value;
  return new Promise((resolve, reject) => {
    const sock = tls.connect({
      host: address,
      port,
      servername,
      ALPNProtocols: ['acme-tls/1'],
      rejectUnauthorized: false,
    });
    sock.setTimeout(TIMEOUT_MS, () => sock.destroy(new Error('timeout')));
    sock.once('secureConnect', () => {
      const cert = sock.getPeerCertificate();
      resolve({ alpn: sock.alpnProtocol ?? false, der: cert?.raw });
      sock.end();
    });
    sock.once('error', reject);
  });
}

function reverseName(ip: string): string {
  if (isIP(ip) === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const [head, tail] = ip.includes('::') ? ip.split('::', 2) : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const nibbles = groups.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles.toLowerCase()].reverse().join('.')}.ip6.arpa`;
}

async function checkAlpnCert(der: Buffer, id: Identifier, keyAuth: string): Promise<string | undefined> {
  const x509 = await x509lib();
  const cert = new x509.X509Certificate(der);
  const ext = cert.getExtension(ACME_IDENTIFIER_OID);
  if (!ext) return 'certificate has no acmeIdentifier extension';
  if (!ext.critical) return 'acmeIdentifier extension is not critical';
  const want = Buffer.concat([Buffer.from([0x04, 0x20]), createHash('sha256').update(keyAuth).digest()]);
  if (!Buffer.from(ext.value).equals(want)) return 'acmeIdentifier does not hold the key authorization digest';
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.items.map((n) => n.value.toLowerCase()) ?? [];
  if (names.length !== 1 || names[0] !== id.value) return `certificate names ${JSON.stringify(names)}, not ${id.value}`;
  return undefined;
}

export function createValidator(env: NodeJS.ProcessEnv, resolvers: string[] | undefined, path: string): Validator {
  const dnsFns = resolverLookup(resolvers, joinPath(path, 'resolvers'));
  const httpPort = port(env, 'PROXY_ACME_SERVER_HTTP_PORT', 80, path);
  const tlsPort = port(env, 'PROXY_ACME_SERVER_TLS_PORT', 443, path);
  const addresses = async (id: Identifier) => (id.type === 'ip' ? [id.value] : dnsFns.lookup(id.value));
  // A name with several addresses is tried at each in turn until one answers.
  const firstAnswer = async <T>(id: Identifier, fn: (address: string) => Promise<T>): Promise<T> => {
    let last: unknown;
    for (const a of await addresses(id)) {
      try {
        return await fn(a);
      } catch (e) {
        last = e;
      }
    }
    throw last ?? new Error(`no addresses for ${id.value}`);
  };
  return {
    async validate(ch, id, keyAuth) {
      try {
        switch (ch.type) {
          case 'http-01': {
            const res = await firstAnswer(id, (a) =>
              httpFetch(a, httpPort, id.value, `/.well-known/acme-challenge/${ch.token}`),
            );
            if (res.status !== 200)
              return problem('unauthorized', `http-01: status ${res.status} from ${id.value}`, 403);
            // RFC 8555 section 8.3: trailing whitespace is ignored.
            if (res.body.trimEnd() !== keyAuth)
              return problem('unauthorized', `http-01: wrong key authorization from ${id.value}`, 403);
            return undefined;
          }
          case 'dns-01': {
            const name = `_acme-challenge.${id.value.replace(/^\*\./, '')}`;
            const want = createHash('sha256').update(keyAuth).digest('base64url');
            const records = await dnsFns.txt(name);
            return records.includes(want)
              ? undefined
              : problem('unauthorized', `dns-01: no matching TXT record at ${name}`, 403);
          }
          case 'tls-alpn-01': {
            const { alpn, der } = await firstAnswer(id, (a) => tlsAlpnCert(a, tlsPort, id));
            if (alpn !== 'acme-tls/1') return problem('tls', 'tls-alpn-01: acme-tls/1 was not negotiated', 400);
            const why = der ? await checkAlpnCert(der, id, keyAuth) : 'no certificate';
            return why ? problem('unauthorized', `tls-alpn-01: ${why}`, 403) : undefined;
          }
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const type = code === 'ENOTFOUND' || code === 'ENODATA' || code === 'ESERVFAIL' ? 'dns' : 'connection';
        return problem(type, `${ch.type}: ${(e as Error).message}`, 400);
      }
    },
  };
}
