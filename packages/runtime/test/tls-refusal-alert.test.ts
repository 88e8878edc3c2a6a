/**
 * A handshake the server refuses after reading the ClientHello ends with Go's fatal internal_error alert, as
 * under Caddy: written as a TLS 1.0 record when no connection policy takes the ClientHello (GetConfigForClient
 * fails before a version is negotiated), as a TLS 1.2 record when no certificate covers the name (GetCertificate).
 * Checked on the HTTP server's TLS and on the layer4 tls handler, with the bytes a client receives.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, start, type Started } from './helpers.js';
import { makeCert } from './layer4-support.js';

let pem: { certificate: string; key: string };

beforeAll(() => {
  const c = makeCert(['covered.localhost']);
  pem = { certificate: c.cert.toString(), key: c.key.toString() };
});

/** A real ClientHello for `servername`, captured from node's TLS client. */
function clientHello(servername: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer((s) => {
      s.once('data', (d: Buffer) => {
        resolve(d);
        s.destroy();
        srv.close();
      });
    });
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      const c = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
      c.on('error', () => {});
      setTimeout(() => reject(new Error('no ClientHello')), 5000).unref();
    });
  });
}

/** Sends the ClientHello and returns every byte the server sends until it closes. */
async function answerTo(port: number, servername: string): Promise<Buffer> {
  const hello = await clientHello(servername);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => s.write(hello));
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('close', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error('no answer')));
  });
}

const CONFIG_ALERT = Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x50]);
const CERT_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]);

describe('refused TLS handshakes end with an internal_error alert', () => {
  let http: Started;
  let layer4: Started;
  let layer4Port: number;

  beforeAll(async () => {
    const tlsApp = { certificates: { load_pem: [pem] } };
    http = await start({
      apps: {
        tls: tlsApp,
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              tls_connection_policies: [{ match: { sni: ['covered.localhost', 'uncovered.localhost'] } }],
              routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }],
            },
          },
        },
      },
    });
    layer4Port = await freePort();
    layer4 = await start({
      apps: {
        tls: tlsApp,
        layer4: {
          servers: {
            l4: {
              listen: [`127.0.0.1:${layer4Port}`],
              routes: [
                {
                  handle: [
                    {
                      handler: 'tls',
                      connection_policies: [{ match: { sni: ['covered.localhost', 'uncovered.localhost'] } }],
                    },
                    { handler: 'echo' },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await http?.close();
    await layer4?.close();
  });

  it('HTTP server: no policy for the name -> the alert in a TLS 1.0 record', async () => {
    expect(await answerTo(http.port(), 'other.localhost')).toEqual(CONFIG_ALERT);
  });

  it('HTTP server: a policy but no certificate -> the alert in a TLS 1.2 record', async () => {
    expect(await answerTo(http.port(), 'uncovered.localhost')).toEqual(CERT_ALERT);
  });

  it('layer4 tls handler: the same two refusals', async () => {
    expect(await answerTo(layer4Port, 'other.localhost')).toEqual(CONFIG_ALERT);
    expect(await answerTo(layer4Port, 'uncovered.localhost')).toEqual(CERT_ALERT);
  });

  it('a covered name still completes its handshake', async () => {
    const ok = await new Promise<string>((resolve, reject) => {
      const c = tls.connect(
        { host: '127.0.0.1', port: http.port(), servername: 'covered.localhost', rejectUnauthorized: false },
        () => {
          resolve(c.getProtocol() ?? '');
          c.destroy();
        },
      );
      c.on('error', reject);
    });
    expect(ok).toMatch(/^TLSv1\.[23]$/);
  });
});
