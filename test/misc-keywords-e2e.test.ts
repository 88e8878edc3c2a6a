/**
 * @module misc-keywords-e2e: Caddyfiles using the keywords of current Caddy added with the keyword reference
 * (`timeouts`, `events` with exec, `set_cookie`/`multi_regexp` log filters, `tls` with a tagged certificate), adapted
 * and then served by the runtime: the adapted JSON is valid runtime config and does what the Caddyfile says.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapt } from '@proxy/parser';
import { loadConfig, validateConfig } from '@proxy/runtime';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'misc-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function adapted(caddyfile: string): Record<string, unknown> {
  const r = adapt(caddyfile, { filename: 'Caddyfile' });
  expect(r.errors.map((e) => e.message)).toEqual([]);
  return r.config as Record<string, unknown>;
}

describe('keywords of current Caddy, adapted and served', () => {
  it('timeouts and events from a Caddyfile: valid, served, the started event runs exec', async () => {
    const port = await freePort();
    const out = path.join(dir, 'events.txt');
    const cfg = adapted(`{
	admin off
	events {
		on started exec /bin/sh -c "printf '%s\\n' \\"$1\\" >> ${out}" sh {event.name} {
			foreground
			timeout 5s
		}
	}
}
http://127.0.0.1:${port} {
	timeouts {
		read_timeout 5s 100
		write_timeout 5s
		max_write_chunk 1KiB
	}
	respond "ok"
}
`);
    expect(await validateConfig(cfg, { env: { ...process.env, PROXY_DATA_DIR: dir } })).toEqual([]);
    const inst = await loadConfig(cfg, {
      env: { ...process.env, PROXY_DATA_DIR: dir },
      logDestination: { write: () => {} },
    });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
            let b = '';
            res.on('data', (c: Buffer) => {
              b += c.toString();
            });
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      });
      expect(body).toBe('ok');
      expect(readFileSync(out, 'utf8')).toBe('started\n');
    } finally {
      await inst.stop();
    }
  });

  it('log filters, certificate selection by tag and trust pools adapt to JSON the runtime accepts or refuses by name', async () => {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem'].concat([
        '-out',
        'c.pem',
        '-subj',
        '/CN=a.test',
        '-addext',
        'subjectAltName=DNS:a.test',
        '-days',
        '2',
      ]),
      { cwd: dir, stdio: 'ignore' },
    );
    const cfg = adapted(`a.test {
	tls ${dir}/c.pem ${dir}/k.pem
	log {
		format filter {
			resp_headers>Set-Cookie set_cookie {
				replace sess X
			}
			request>host multi_regexp {
				regexp a b
			}
		}
	}
	respond ok
}
`);
    const policies = JSON.stringify(cfg);
    expect(policies).toContain('"certificate_selection":{"any_tag":["cert0"]}');
    expect(await validateConfig(cfg, { env: { ...process.env, PROXY_DATA_DIR: dir } })).toEqual([]);
    const pool = adapted(`b.test {
	tls {
		client_auth {
			trust_pool http https://ca.test/root.pem
		}
	}
}
`);
    const errors = await validateConfig(pool, { env: { ...process.env, PROXY_DATA_DIR: dir } });
    expect(errors.map((e) => e.message)).toEqual(['CA pool provider "http" is not supported yet']);
  });
});
