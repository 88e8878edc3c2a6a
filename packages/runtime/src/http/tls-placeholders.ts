/**
 * @module http/tls-placeholders: `{http.request.tls.*}`, with Caddy's values: Go's protocol and cipher
 * suite names, and the client certificate's fields as Go's x509 types print them.
 */
import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { cipherSuiteName, protocolName } from '../tls/names.js';

/**
 * The value of `http.request.tls.<field>` (the field lower-cased, as Caddy does), or undefined when
 * unknown: on a cleartext request, for a client.* field without a client certificate, for other fields.
 */
export function tlsPlaceholder(tls: TLSSocket | undefined, field: string): string | undefined {
  if (!tls) return undefined;
  field = field.toLowerCase();
  if (field.startsWith('client.')) return clientField(tls, field.slice(7));
  switch (field) {
    case 'version':
      return protocolName(tls.getProtocol());
    case 'cipher_suite':
      return cipherSuiteName(tls.getCipher()?.standardName);
    case 'resumed':
      return String(tls.isSessionReused());
    case 'proto':
      return tls.alpnProtocol || '';
    // Go's NegotiatedProtocolIsMutual is always true.
    case 'proto_mutual':
      return 'true';
    case 'server_name':
      return (tls as { servername?: string | false }).servername || '';
    default:
      return undefined;
  }
}

function clientField(tls: TLSSocket, field: string): string | undefined {
  const peer = tls.getPeerCertificate();
  if (!peer?.raw?.length) return undefined;
  const raw = peer.raw;
  if (field.startsWith('san.')) return sanField(new X509Certificate(raw), field.slice(4));
  switch (field) {
    case 'fingerprint':
      return createHash('sha256').update(raw).digest('hex');
    case 'public_key':
    case 'public_key_sha256': {
      const key = marshalPublicKey(new X509Certificate(raw).publicKey);
      if (!key) return '';
      return field === 'public_key' ? key.toString('hex') : createHash('sha256').update(key).digest('hex');
    }
    case 'issuer':
      return distinguishedName(peer.issuer);
    case 'subject':
      return distinguishedName(peer.subject);
    // A *big.Int: decimal.
    case 'serial':
      return BigInt(`0x${peer.serialNumber || '0'}`).toString(10);
    case 'certificate_pem':
      return `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
    case 'certificate_der_base64':
      return raw.toString('base64');
    default:
      return undefined;
  }
}

/** Subject alternative names: "dns_names", "emails", "ips", "uris", whole ("[a b]", Go's %+v) or ".N". */
function sanField(cert: X509Certificate, field: string): string | undefined {
  const m = /^(dns_names|emails|ips|uris)(?:\.(.*))?$/.exec(field);
  if (!m) return undefined;
  const kind = { dns_names: 'DNS', emails: 'email', ips: 'IP Address', uris: 'URI' }[m[1] as 'dns_names'];
  const values = sans(cert.subjectAltName ?? '')
    .filter(([k]) => k === kind)
    .map(([, v]) => (kind === 'IP Address' ? canonicalIp(v) : v));
  if (m[2] === undefined) return `[${values.join(' ')}]`;
  if (!/^\+?\d+$/.test(m[2])) return undefined;
  return values[Number(m[2])] ?? '';
}

/** Node's subjectAltName string ("DNS:a, IP Address:1.2.3.4", values with ", " quoted) as pairs. */
function sans(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const re = /([^:,\s][^:]*):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const v = m[2]!;
    out.push([m[1]!, v.startsWith('"') ? (JSON.parse(v) as string) : v]);
  }
  return out;
}

/** An IP address as Go's net.IP prints it (OpenSSL spells IPv6 out in full). */
function canonicalIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

/**
 * Caddy's marshalPublicKey: the uncompressed point for ECDSA, the raw Ed25519 key. For RSA it hands
 * asn1.Marshal a *rsa.PublicKey, a pointer asn1 cannot encode, so RSA keys give "" in Caddy.
 */
function marshalPublicKey(key: KeyObject): Buffer | undefined {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const jwk = key.export({ format: 'jwk' });
      const size = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }[jwk.crv ?? ''] ?? 0;
      const pad = (b64: string | undefined): Buffer => {
        const b = Buffer.from(b64 ?? '', 'base64url');
        return Buffer.concat([Buffer.alloc(Math.max(0, size - b.length)), b]);
      };
      return Buffer.concat([Buffer.from([4]), pad(jwk.x), pad(jwk.y)]);
    }
    case 'ed25519':
      return Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
    default:
      return undefined;
  }
}

/**
 * Go's pkix.Name.String(): RFC 2253 order (the reverse of C, ST, L, STREET, POSTALCODE, O, OU, CN,
 * SERIALNUMBER), several values of one attribute joined with "+", other attributes last by OID.
 */
function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  const order: Array<[string, string]> = [
    ['serialNumber', 'SERIALNUMBER'],
    ['CN', 'CN'],
    ['OU', 'OU'],
    ['O', 'O'],
    ['postalCode', 'POSTALCODE'],
    ['street', 'STREET'],
    ['L', 'L'],
    ['ST', 'ST'],
    ['C', 'C'],
  ];
  const rec = name as unknown as Record<string, string | string[] | undefined>;
  const rdns: string[] = [];
  for (const [node, go] of order) {
    const v = rec[node];
    if (v === undefined) continue;
    rdns.push((Array.isArray(v) ? v : [v]).map((x) => `${go}=${escapeDnValue(x)}`).join('+'));
  }
  const email = rec['emailAddress'];
  for (const e of email === undefined ? [] : Array.isArray(email) ? email : [email]) {
    // Go prints attributes it has no name for as "#" and the value re-encoded by asn1.Marshal: a
    // PrintableString when the characters allow it, else a UTF8String.
    const b = Buffer.from(e);
    const tag = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(e) ? '13' : '0c';
    rdns.push(`1.2.840.113549.1.9.1=#${tag}${derLength(b.length)}${b.toString('hex')}`);
  }
  return rdns.join(',');
}

function derLength(n: number): string {
  if (n < 0x80) return n.toString(16).padStart(2, '0');
  const hex = n.toString(16).padStart(n < 0x100 ? 2 : 4, '0');
  return (0x80 + hex.length / 2).toString(16) + hex;
}

function escapeDnValue(v: string): string {
  let out = '';
  for (let k = 0; k < v.length; k++) {
    const c = v[k]!;
    const esc = ',+"\\<>;'.includes(c) || (c === ' ' && (k === 0 || k === v.length - 1)) || (c === '#' && k === 0);
    out += esc ? `\\${c}` : c;
  }
  return out;
}
