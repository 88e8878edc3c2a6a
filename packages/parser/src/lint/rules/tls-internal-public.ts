/**
 * @module lint/rules/tls-internal-public: `tls internal` on a public domain name: visitors' browsers do not trust
 * the local CA, where the default (ACME) would get a publicly trusted certificate.
 */
import { allLines, blockLines, globalOption, siteBlocks, type Line } from '../lines.js';
import type { Finding, LintRule } from '../types.js';
import { isPlainHTTP, isPrivateHost, siteAddress } from './site-address.js';

/** `tls internal`, or `tls { issuer internal }`. */
function isInternal(line: Line): boolean {
  if (line.words[1]?.text === 'internal') return true;
  return [...allLines(line.blocks.flat())].some(
    (l) => l.words[0]?.text === 'issuer' && l.words[1]?.text === 'internal',
  );
}

export const tlsInternalPublic: LintRule = {
  code: 'tls-internal-public',
  defaultSeverity: 'warning',
  doc: 'tls internal (or the global local_certs) on a public domain name: browsers will not trust the certificate.',
  check(ast) {
    const out: Finding[] = [];
    const localCerts = globalOption(ast.blocks, 'local_certs')?.words[0];
    for (const block of siteBlocks(ast.blocks)) {
      const publicKeys = block.keys.filter((k) => {
        const a = siteAddress(k.text);
        return !isPlainHTTP(a) && !isPrivateHost(a.host.replace(/^\*\./, ''));
      });
      if (publicKeys.length === 0) continue;
      if (localCerts) {
        // Every site gets the local CA's certificate: report each public name once, at its address.
        for (const k of publicKeys)
          out.push({
            range: k.range,
            message: `local_certs gives the public name ${k.text} a certificate browsers will not trust`,
          });
        continue;
      }
      for (const line of blockLines(block)) {
        const t = line.words[0];
        if (t?.text !== 'tls' || !isInternal(line)) continue;
        out.push({
          range: t.range,
          message: `tls internal on the public name ${publicKeys[0]!.text}: browsers will not trust its certificate (the default ACME issuer would get a trusted one)`,
        });
      }
    }
    return out;
  },
};
