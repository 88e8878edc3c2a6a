/** @module layer4-tls-policies: layer4 tls handler connection policies: client authentication, versions, ciphers. */
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startLayer4App, type Layer4AppHandle } from '@proxy/runtime';
import { freePort } from './helpers.js';
import {
  makeCert,
  makeClientCa,
  readBytes,
  taggedEcho,
  testLogger,
  type TestCert,
  removeTempDirs,
} from './layer4-support.js';

let cert: TestCert;
let ca: ReturnType<typeof makeClientCa>;
let other: ReturnType<typeof makeClientCa>;
let echo: { port: number; close(): Promise<void> };

beforeAll(async () => {
  cert = makeCert(['db.example.com']);
  ca = makeClientCa();
  other = makeClientCa();
  echo = await taggedEcho('A');
});
afterAll(async () => {
  removeTempDirs();
  await echo.close();
});

async function app(policies: unknown[], withKeys = true): Promise<Layer4AppHandle & { port: number }> {
  const h = await startLayer4App(
    {
      servers: {
        s: {
          listen: ['127.0.0.1:0'],
          routes: [
            {
              handle: [
                { handler: 'tls', connection_policies: policies },
                { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] },
              ],
            },
          ],
        },
      },
    },
    {
      logger: testLogger,
      secureContextFor: () => cert.context,
      ...(withKeys ? { certificateFor: () => ({ key: cert.key, cert: cert.cert }) } : {}),
    },
  );
  return Object.assign(h, { port: h.addresses['s']![0]!.port });
}

/** Connects, sends "x", returns what came back ('' if the server closed) and the negotiated protocol. */
async function tryClient(
  port: number,
  opts: tls.ConnectionOptions = {},
): Promise<{ reply: string; protocol: string | null }> {
  const c = tls.connect({ port, host: '127.0.0.1', servername: 'db.example.com', ca: cert.cert, ...opts });
  c.on('error', () => undefined);
  const ok = await new Promise<boolean>((r) => {
    c.once('secureConnect', () => r(true));
    c.once('close', () => r(false));
  });
  if (!ok) return { reply: '', protocol: null };
  const protocol = c.getProtocol();
  c.write('x');
  const reply = (await readBytes(c, 3, 5000)).toString();
  c.destroy();
  return { reply, protocol };
}

describe('layer4 tls handler: connection policies', () => {
  it('client_authentication: trusted client certificates only (no key material needed)', async () => {
    const a = await app([{ client_authentication: { trusted_ca_certs_pem_files: [ca.caFile] } }], false);
    try {
      expect((await tryClient(a.port, { key: ca.clientKey, cert: ca.clientCert })).reply).toBe('A:x');
      expect((await tryClient(a.port)).reply).toBe('');
      expect((await tryClient(a.port, { key: other.clientKey, cert: other.clientCert })).reply).toBe('');
    } finally {
      await a.close();
    }
  });

  it('client_authentication by trusted leaf, verify_if_given', async () => {
    const der = new (await import('node:crypto')).X509Certificate(ca.clientCert).raw.toString('base64');
    const a = await app([{ client_authentication: { trusted_leaf_certs: [der], mode: 'request' } }]);
    try {
      expect((await tryClient(a.port, { key: ca.clientKey, cert: ca.clientCert })).reply).toBe('A:x');
      expect((await tryClient(a.port, { key: other.clientKey, cert: other.clientCert })).reply).toBe('');
    } finally {
      await a.close();
    }
  });

  it('protocol_max and cipher_suites shape the handshake', async () => {
    const a = await app([
      { protocol_max: 'tls1.2', cipher_suites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'], curves: ['secp256r1'] },
    ]);
    try {
      const r = await tryClient(a.port);
      expect(r).toEqual({ reply: 'A:x', protocol: 'TLSv1.2' });
    } finally {
      await a.close();
    }
  });

  it('protocol_min is enforced even without key material', async () => {
    const a = await app([{ protocol_min: 'tls1.3' }], false);
    try {
      expect((await tryClient(a.port, { maxVersion: 'TLSv1.2' })).reply).toBe('');
      expect((await tryClient(a.port)).protocol).toBe('TLSv1.3');
    } finally {
      await a.close();
    }
  });

  it('options that need the key are config errors without a certificate source', async () => {
    await expect(app([{ cipher_suites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }], false)).rejects.toThrow(
      'routes[0].handle[0].connection_policies[0]: cipher_suites and curves need certificates',
    );
    // Selection picks among the tls app's certificates, which a bare layer4 app has none of.
    await expect(app([{ certificate_selection: { serial_number: ['1'] } }])).rejects.toThrow(
      "connection_policies[0].certificate_selection: selecting a certificate needs the tls app's certificates",
    );
  });

  it('the tls app is the certificate source for policies that need the key (curves) in a whole config', async () => {
    const port = await freePort();
    const inst = await loadConfig(
      {
        admin: { disabled: true },
        apps: {
          tls: { certificates: { load_files: [{ certificate: cert.certFile, key: cert.keyFile }] } },
          layer4: {
            servers: {
              s: {
                listen: [`127.0.0.1:${port}`],
                routes: [
                  {
                    handle: [
                      { handler: 'tls', connection_policies: [{ curves: ['secp384r1'] }] },
                      { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
      { logDestination: { write: () => {} } },
    );
    try {
      const c = tls.connect({ port, host: '127.0.0.1', servername: 'db.example.com', ca: cert.cert });
      c.on('error', () => undefined);
      await new Promise<void>((r) => c.once('secureConnect', () => r()));
      expect(c.getEphemeralKeyInfo()).toMatchObject({ name: 'secp384r1' });
      c.write('x');
      expect((await readBytes(c, 3, 5000)).toString()).toBe('A:x');
      c.destroy();
    } finally {
      await inst.stop();
    }
  });
});
