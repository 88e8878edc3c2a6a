/**
 * @module seed-caddyfile: the seed example (examples/postgres-over-tls.Caddyfile) made runnable in a test: test
 * ports, the internal CA, the upstream PostgreSQL on loopback, and a STARTTLS route beside the direct-TLS one
 * (libpq 15 speaks only STARTTLS). Shared by the end-to-end test through the bundle and the single executable's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const seed = readFileSync(path.join(here, '../examples/postgres-over-tls.Caddyfile'), 'utf8');

/** The seed, with test ports, the internal CA, and a STARTTLS route beside the direct-TLS one. */
export function seedCaddyfile(pgPort: number, httpsPort: number, httpPort: number): string {
  const text = seed
    .replace(
      '{\n    servers {',
      `{\n    admin off\n    local_certs\n    https_port ${httpsPort}\n    http_port ${httpPort}\n    servers {`,
    )
    .replace('proxy localhost:5432', `proxy 127.0.0.1:${pgPort}`)
    .replace(
      /(\n {12}\}\n {12}tls\n)/,
      `\n                @starttls postgres {\n                    tls enabled\n                }\n                route @starttls {\n                    postgres_tls\n                    tls\n                    proxy 127.0.0.1:${pgPort}\n                }$1`,
    );
  expect(text).toContain('postgres_tls');
  expect(text).toContain(`https_port ${httpsPort}`);
  return text;
}
