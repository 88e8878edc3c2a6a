/**
 * @module diff/known-defects: differences someone is fixing, or that the lead still has to assign. Each entry is
 * reported as an expected failure; an entry whose scenario (or request) no longer differs FAILS the suite, so
 * entries are deleted as fixes merge and the list stays honest.
 *
 * Numbers 1-17 are the defects being fixed on other branches; 18 is the request_body crash (listed unnumbered
 * in the brief). Entries whose defect starts with "N" were found by this suite and are not assigned yet.
 */
import type { KnownDefect } from './types.js';

const k = (defect: number | string, scenario: string, request: string | undefined, note: string): KnownDefect =>
  request === undefined ? { defect, scenario, note } : { defect, scenario, request, note };

export const knownDefects: KnownDefect[] = [
  // 1: handle_errors respond/file_server keep the error's status
  // 2: upstream placeholders
  // 3: php_fastcgi
  // 4: big header / long URL
  // 5: bad / duplicate Host
  // 6: browse
  // 7: directory redirect
  // 8: unset vars
  // 9: trusted_proxies
  // 10: precompressed q-values
  // 11: tls.version naming
  // 12: repeated header join and {host} case
  // 13: rewrite with empty query
  // 14: header + proxied same header
  // 15: absolute-form, unknown and lower-case methods
  // 16: handle_path + dot segments
  // 17: pipelining after Connection: close
  // 18: request_body max_size crash
  k('N25', 'rp-request-body-limit', 'over limit', 'no Connection: close after the 413 (the rest of the body is not read)'),
  k(18, 'rp-request-body-limit', 'chunked over limit', 'chunked POST over max_size kills the process'),
  k(18, 'rp-request-body-limit', 'after', 'process is gone after the chunked POST'),
  k('N25', 'request-body-max-size-respond', 'large', 'proxy answers 413 from Content-Length although nothing reads the body; caddy 200'),
  k(18, 'request-body-max-size-respond', 'still alive', 'process is gone after the chunked POST'),

  // ---- found by this suite, not assigned yet ----
];
