import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Started } from './helpers.js';

describe('leaf key types (automation policy key_type)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ host: ['p384.localhost', 'rsa.localhost', 'ed.localhost', 'm.localhost'] }],
                  handle: [{ handler: 'static_response', body: 'ok' }],
                },
                { match: [{ tls: {} }], handle: [{ handler: 'static_response', body: 'tls' }] },
              ],
            },
          },
        },
        tls: {
          automation: {
            policies: [
              { subjects: ['p384.localhost'], key_type: 'p384', issuers: [{ module: 'internal' }] },
              { subjects: ['rsa.localhost'], key_type: 'rsa2048', issuers: [{ module: 'internal' }] },
              { subjects: ['ed.localhost'], key_type: 'ed25519', issuers: [{ module: 'internal' }] },
              { issuers: [{ module: 'internal' }] },
            ],
          },
        },
      },
    });
  });
  afterAll(() => s.close());

  const keyOf = (servername: string) =>
    new Promise<string>((resolve, reject) => {
      s.inst.rootCertificate().then((ca) => {
        const c = tls.connect({ host: '127.0.0.1', port: s.port(), servername, ca }, () => {
          const k = c.getPeerX509Certificate()!.publicKey;
          resolve(
            `${k.asymmetricKeyType}${k.asymmetricKeyDetails?.namedCurve ? `/${k.asymmetricKeyDetails.namedCurve}` : ''}${k.asymmetricKeyDetails?.modulusLength ? `/${k.asymmetricKeyDetails.modulusLength}` : ''}`,
          );
          c.end();
        });
        c.on('error', reject);
      }, reject);
    });

  it('issues P-384, RSA and Ed25519 leaves where policies ask for them', async () => {
    expect(await keyOf('p384.localhost')).toBe('ec/secp384r1');
    expect(await keyOf('rsa.localhost')).toBe('rsa/2048');
    expect(await keyOf('ed.localhost')).toBe('ed25519');
    expect(await keyOf('m.localhost')).toBe('ec/prime256v1');
  });
});
