/** @module tls/x509: certificate and key generation with @peculiar/x509 over WebCrypto. */
import type * as X509 from '@peculiar/x509';
import { webcrypto, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { x509lib } from './x509-lib.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A key pair with its certificate, as PEM. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** A usable signer: PEM plus the parsed certificate and private key. */
export interface Signer extends PemPair {
  cert: X509.X509Certificate;
  key: CryptoKey;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
  const b64 = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

/** Parses a PKCS#8 EC private key PEM into a signing key. */
export async function importSigner(certPem: string, keyPem: string): Promise<Signer> {
  const x509 = await x509lib();
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const key = (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey;
  return { certPem, keyPem, cert: new x509.X509Certificate(certPem), key };
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

/** Leaf key types (the automation policy's key_type). */
export const KEY_TYPES = ['p256', 'p384', 'rsa2048', 'rsa4096', 'ed25519'] as const;
/** A leaf key type. */
export type KeyType = (typeof KEY_TYPES)[number];

type Alg = { name: string; namedCurve?: string; hash?: string; modulusLength?: number; publicExponent?: Uint8Array };

function algFor(t: KeyType): Alg {
  switch (t) {
    case 'p256':
      return ALG;
    case 'p384':
      return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
    case 'rsa2048':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
      };
    case 'rsa4096':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        modulusLength: 4096,
        publicExponent: new Uint8Array([1, 0, 1]),
      };
    case 'ed25519':
      return { name: 'Ed25519' };
  }
}

async function newLeafKeys(t: KeyType): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algFor(t) as Parameters<typeof webcrypto.subtle.generateKey>[0], true, [
    'sign',
    'verify',
  ])) as unknown as CryptoKeyPair;
}

/** Creates a self-signed root CA. */
export async function createRoot(commonName: string, lifetimeMs: number): Promise<Signer> {
  const x509 = await x509lib();
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + lifetimeMs),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: pemOf(cert), keyPem: await exportKeyPem(keys.privateKey), cert, key: keys.privateKey };
}

/** Creates an intermediate CA signed by `issuer`. */
export async function createIntermediate(commonName: string, issuer: Signer, lifetimeMs: number): Promise<Signer> {
  const x509 = await x509lib();
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${commonName}`,
    issuer: issuer.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(Math.min(now + lifetimeMs, issuer.cert.notAfter.getTime())),
    publicKey: keys.publicKey,
    signingKey: issuer.key,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
    ],
  });
  return { certPem: pemOf(cert), keyPem: await exportKeyPem(keys.privateKey), cert, key: keys.privateKey };
}

/** Issues a server (leaf) certificate for names (DNS names or IP addresses), signed by `issuer`. */
export async function issueLeaf(
  names: string[],
  issuer: Signer,
  lifetimeMs: number,
  keyType: KeyType = 'p256',
): Promise<PemPair> {
  const keys = await newLeafKeys(keyType);
  const cert = await signLeaf(names, keys.publicKey, keyType.startsWith('rsa'), issuer, lifetimeMs);
  return { certPem: pemOf(cert), keyPem: await exportKeyPem(keys.privateKey) };
}

async function signLeaf(
  names: string[],
  publicKey: CryptoKey | X509.PublicKey,
  rsa: boolean,
  issuer: Signer,
  lifetimeMs: number,
  subject = '',
): Promise<X509.X509Certificate> {
  const x509 = await x509lib();
  const now = Date.now();
  const sans = names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }));
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: issuer.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(Math.min(now + lifetimeMs, issuer.cert.notAfter.getTime())),
    publicKey,
    signingKey: issuer.key,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | (rsa ? x509.KeyUsageFlags.keyEncipherment : 0),
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans, true),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
    ],
  });
}

/** A verified PKCS#10 request: its public key and the names it asks for (CN first when it is not a SAN). */
export interface CheckedCsr {
  publicKey: X509.PublicKey;
  rsa: boolean;
  commonName: string | undefined;
  names: string[];
}

/** Parses a DER CSR and checks its self-signature; throws when it is malformed or the signature is bad. */
export async function checkCsr(der: Uint8Array): Promise<CheckedCsr> {
  const x509 = await x509lib();
  const csr = new x509.Pkcs10CertificateRequest(der);
  if (!(await csr.verify())) throw new Error('CSR signature does not verify');
  const names: string[] = [];
  const ext = csr.getExtension('2.5.29.17');
  const san = ext ? new x509.SubjectAlternativeNameExtension(ext.rawData) : undefined;
  for (const n of san?.names.items ?? []) {
    if (n.type === 'dns' || n.type === 'ip') names.push(n.value.toLowerCase());
    else throw new Error(`CSR has an unsupported subject alternative name of type ${n.type}`);
  }
  const commonName = csr.subjectName.getField('CN')[0];
  return {
    publicKey: csr.publicKey,
    rsa: csr.publicKey.algorithm.name.startsWith('RSA'),
    commonName,
    names,
  };
}

/** Signs a leaf for a CSR's key with these names (already checked against what the requester may have). */
export async function issueForCsr(
  csr: CheckedCsr,
  names: string[],
  issuer: Signer,
  lifetimeMs: number,
): Promise<string> {
  const x509 = await x509lib();
  const subject = csr.commonName ? new x509.Name([{ CN: [csr.commonName] }]).toString() : '';
  return pemOf(await signLeaf(names, csr.publicKey, csr.rsa, issuer, lifetimeMs, subject));
}

/** A self-signed P-256 certificate for one name with extra extensions (the ACME tls-alpn-01 challenge certificate). */
export async function createSelfSignedLeaf(
  name: string,
  extensions: X509.Extension[],
  lifetimeMs: number,
): Promise<PemPair> {
  const x509 = await x509lib();
  const keys = await newKeys();
  const now = Date.now();
  const san = isIP(name) ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name };
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: '',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + lifetimeMs),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.SubjectAlternativeNameExtension([san], true), ...extensions],
  });
  return { certPem: pemOf(cert), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Names (DNS SANs, IP SANs, or the CN when there are no SANs) and validity of a PEM certificate. */
export function certificateInfo(pem: string): { names: string[]; notBefore: number; notAfter: number; serial: string } {
  const c = new X509Certificate(pem);
  const names: string[] = [];
  for (const part of (c.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) names.push(part.slice(4).toLowerCase());
    else if (part.startsWith('IP Address:')) names.push(part.slice(11).toLowerCase());
  }
  if (names.length === 0) {
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(c.subject)?.[1];
    if (cn) names.push(cn.toLowerCase());
  }
  return { names, notBefore: Date.parse(c.validFrom), notAfter: Date.parse(c.validTo), serial: c.serialNumber };
}

/** PEM text with LF line endings and a final newline, so chains concatenate cleanly. */
function pemOf(cert: X509.X509Certificate): string {
  return `${cert.toString('pem').replace(/\r\n/g, '\n').trim()}\n`;
}

/** A new P-256 key and a DER CSR for the names (for ACME). */
export async function createCsr(
  names: string[],
  keyType: KeyType = 'p256',
): Promise<{ csrDer: Buffer; keyPem: string }> {
  const x509 = await x509lib();
  const keys = await newLeafKeys(keyType);
  const sans = names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }));
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${names[0]}`,
    keys,
    signingAlgorithm: algFor(keyType) as Parameters<
      typeof x509.Pkcs10CertificateRequestGenerator.create
    >[0]['signingAlgorithm'],
    extensions: [new x509.SubjectAlternativeNameExtension(sans)],
  });
  return { csrDer: Buffer.from(csr.rawData), keyPem: await exportKeyPem(keys.privateKey) };
}
