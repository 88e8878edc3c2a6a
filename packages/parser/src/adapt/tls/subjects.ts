/** @module tls/subjects: certmagic's subject rules: which names can get certificates, and which are internal. */
import { isIP } from '../core/net.js';

/** certmagic's `SubjectQualifiesForCert`. */
export function subjectQualifiesForCert(s: string): boolean {
  return (
    s.trim() !== '' &&
    !s.startsWith('.') &&
    !s.endsWith('.') &&
    (!s.includes('*') || s.startsWith('*.') || s === '*') &&
    !/[()[\]{}<> \t\n"\\!@#$%^&|;'+=]/.test(s)
  );
}

function isInternalIP(s: string): boolean {
  if (!isIP(s)) return false;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      a === 0
    );
  }
  const l = s.toLowerCase();
  return l === '::1' || l === '::' || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('fe80');
}

/** certmagic's `SubjectIsInternal`: localhost, .localhost/.local/.internal/.home.arpa names, internal IPs. */
export function subjectIsInternal(s: string): boolean {
  let h = s;
  const colon = h.lastIndexOf(':');
  if (colon > 0 && !h.includes(']') && h.indexOf(':') === colon) h = h.slice(0, colon);
  h = h.replace(/\.$/, '').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h.endsWith('.local') ||
    h.endsWith('.internal') ||
    h.endsWith('.home.arpa') ||
    isInternalIP(h)
  );
}

/** certmagic's `SubjectQualifiesForPublicCert`. */
export function subjectQualifiesForPublicCert(s: string): boolean {
  return (
    subjectQualifiesForCert(s) &&
    !subjectIsInternal(s) &&
    (!s.includes('*') || (count(s, '*') === 1 && count(s, '.') > 1 && s.length > 2 && s.startsWith('*.')))
  );
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Caddy's variant: on-demand policies may use names like `*.*.tld` with public issuers. */
export function subjectQualifiesForPublicCertAP(onDemand: boolean, s: string): boolean {
  return (
    subjectQualifiesForPublicCert(s) ||
    (onDemand && subjectQualifiesForCert(s) && !subjectIsInternal(s) && s.includes('*.'))
  );
}

/** Tailscale names get certificates from the Tailscale manager, not an issuer. */
export function isTailscaleDomain(s: string): boolean {
  return s.toLowerCase().endsWith('.ts.net');
}
