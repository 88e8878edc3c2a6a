/** @module lint/rules/basic-auth-over-http: `basic_auth` on a site served over plain HTTP sends passwords in clear. */
import { allLines, blockLines, globalOption, siteBlocks } from '../lines.js';
import type { Finding, LintRule } from '../types.js';
import { isPlainHTTP, siteAddress } from './site-address.js';

const BASIC_AUTH = new Set(['basic_auth', 'basicauth']);

export const basicAuthOverHTTP: LintRule = {
  code: 'basic-auth-over-http',
  defaultSeverity: 'warning',
  doc: 'basic_auth on an http:// site: passwords cross the network unencrypted.',
  check(ast) {
    const out: Finding[] = [];
    const httpPort = globalOption(ast.blocks, 'http_port')?.words[1]?.text ?? '80';
    for (const block of siteBlocks(ast.blocks)) {
      // Loopback and local names do not cross a network worth worrying about.
      const plain = block.keys.filter((k) => {
        const a = siteAddress(k.text);
        return (
          isPlainHTTP(a, httpPort) &&
          !(a.host === 'localhost' || a.host === '127.0.0.1' || a.host === '::1' || a.host.endsWith('.localhost'))
        );
      });
      if (plain.length === 0) continue;
      for (const line of allLines(blockLines(block))) {
        const t = line.words[0];
        if (t && t.quote === '' && BASIC_AUTH.has(t.text)) {
          out.push({
            range: t.range,
            message: `${t.text} on ${plain[0]!.text}: credentials are sent unencrypted over HTTP`,
          });
        }
      }
    }
    return out;
  },
};
