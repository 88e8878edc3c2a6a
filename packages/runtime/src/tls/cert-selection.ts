/**
 * @module tls/cert-selection: a connection policy's `certificate_selection` (Caddy's CustomCertSelectionPolicy):
 * of the certificates for the server name (or, when none has it, of all certificates, as CertMagic does with a
 * custom selection), keep those with one of the serial numbers, one of the subject organizations, the public key
 * algorithm, any of `any_tag` and all of `all_tags`; the first one left is served, and with none the handshake
 * fails ("no certificates matched custom selection policy").
 */
import { X509Certificate } from 'node:crypto';
import type { CertSelection } from '@proxy/contract';
import { ConfigError, joinPath } from '../util/errors.js';
import type { CachedCert } from './cert-cache.js';

/** Caddy's publicKeyAlgorithms (current Caddy also knows ed25519), to node's key type names. */
const ALGORITHMS: Record<string, string[]> = {
  rsa: ['rsa', 'rsa-pss'],
  dsa: ['dsa'],
  ecdsa: ['ec'],
  ed25519: ['ed25519'],
};
/** Go's x509.PublicKeyAlgorithm numbers, which a JSON number names. */
const BY_NUMBER: Record<number, string> = { 1: 'rsa', 2: 'dsa', 3: 'ecdsa', 4: 'ed25519' };

/** What selection looks at in a certificate, read once per certificate. */
interface Facts {
  serial: bigint;
  organizations: string[];
  keyType: string;
}
const facts = new WeakMap<CachedCert, Facts>();

function factsOf(c: CachedCert): Facts {
  let f = facts.get(c);
  if (!f) {
    const x = new X509Certificate(c.certPem);
    f = {
      serial: BigInt(`0x${x.serialNumber}`),
      // node prints the subject as one `KEY=value` line per attribute.
      organizations: x.subject
        .split('\n')
        .filter((l) => l.startsWith('O='))
        .map((l) => l.slice(2)),
      keyType: x.publicKey.asymmetricKeyType ?? '',
    };
    facts.set(c, f);
  }
  return f;
}

/** Picks a certificate among candidates; undefined when none is viable. */
export type CertSelector = (choices: readonly CachedCert[]) => CachedCert | undefined;

export function compileCertSelection(sel: CertSelection, path: string): CertSelector {
  const serials = (sel.serial_number ?? []).map((s, i) => {
    if (!/^[+-]?\d+$/.test(String(s)))
      throw ConfigError.at(joinPath(joinPath(path, 'serial_number'), i), `not a valid big integer: "${s}"`);
    return BigInt(s);
  });
  let keyTypes: string[] | undefined;
  if (sel.public_key_algorithm !== undefined && sel.public_key_algorithm !== 0) {
    const v = sel.public_key_algorithm;
    const name = typeof v === 'number' ? BY_NUMBER[v] : v.toLowerCase();
    keyTypes = name === undefined ? undefined : ALGORITHMS[name];
    if (!keyTypes)
      throw ConfigError.at(
        joinPath(path, 'public_key_algorithm'),
        `unrecognized public key algorithm: ${String(v)} (expected one of rsa, dsa, ecdsa, ed25519)`,
      );
  }
  const orgs = sel.subject_organization ?? [];
  const any = sel.any_tag ?? [];
  const all = sel.all_tags ?? [];
  const viable = (c: CachedCert): boolean => {
    const f = factsOf(c);
    if (serials.length && !serials.includes(f.serial)) return false;
    if (orgs.length && !orgs.some((o) => f.organizations.includes(o))) return false;
    if (keyTypes && !keyTypes.includes(f.keyType)) return false;
    if (any.length && !any.some((t) => c.tags.includes(t))) return false;
    if (all.length && !all.every((t) => c.tags.includes(t))) return false;
    return true;
  };
  return (choices) => choices.find(viable);
}
