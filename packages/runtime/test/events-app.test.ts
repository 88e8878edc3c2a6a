/**
 * The events app with the exec handler: `started` and `stopping` from the core, `cert_obtaining`,
 * `cert_obtained` and `tls_get_certificate` from the tls app, `healthy`/`unhealthy` from reverse_proxy health
 * checks; placeholders in the arguments; `*` subscriptions; subscriptions scoped to a module or namespace; an
 * aborting foreground handler stops a certificate being obtained.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, get, start } from './helpers.js';

let dir: string;
let out: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'proxy-events-'));
  out = path.join(dir, 'events.txt');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An exec handler that appends its last argument as a line to the output file (in the foreground). */
function append(line: string, extra: Record<string, unknown> = {}) {
  return {
    handler: 'exec',
    command: '/bin/sh',
    args: ['-c', 'printf "%s\\n" "$1" >> "$0"', out, line],
    foreground: true,
    ...extra,
  };
}

const lines = (): string[] => {
  try {
    return readFileSync(out, 'utf8').trim().split('\n');
  } catch {
    return [];
  }
};

function server(extraTls: Record<string, unknown> = {}) {
  return {
    http: {
      servers: {
        srv0: {
          listen: ['127.0.0.1:0'],
          routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }],
          ...extraTls,
        },
      },
    },
  };
}

describe('events app (exec)', () => {
  it('runs handlers for started and stopping, with event placeholders', async () => {
    const s = await start({
      apps: {
        ...server({ automatic_https: { disable: true } }),
        events: {
          subscriptions: [
            { events: ['started'], handlers: [append('{event.name}|{event.module}|{event.id}')] },
            { events: ['stopping'], handlers: [append('bye {event.name}')] },
            { events: ['nothing_emits_this'], handlers: [append('never')] },
          ],
        },
      },
    });
    try {
      expect((await get(s.port(), '/')).body).toBe('ok');
      const [first] = lines();
      expect(first).toMatch(/^started\|\|[0-9a-f-]{36}$/);
    } finally {
      await s.close();
    }
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toBe('bye stopping');
  });

  it('reports cert_obtaining, cert_obtained and tls_get_certificate from the tls app to tls and * subscribers', async () => {
    const s = await start({
      apps: {
        ...server({ tls_connection_policies: [{}] }),
        tls: {
          certificates: { automate: ['events.localhost'] },
          automation: { policies: [{ issuers: [{ module: 'internal' }] }] },
        },
        events: {
          subscriptions: [
            { events: ['cert_obtained'], handlers: [append('obtained {event.data.identifier} {event.data.issuer}')] },
            { events: ['tls_get_certificate'], modules: ['tls'], handlers: [append('hello {event.module}')] },
            { events: ['tls_get_certificate'], modules: ['http'], handlers: [append('wrong module')] },
            { events: [''], handlers: [append('any {event.name}')] },
          ],
        },
      },
    });
    try {
      expect(lines()).toEqual([
        'any cert_obtaining',
        'obtained events.localhost local',
        'any cert_obtained',
        'any started',
      ]);
      const ca = await s.inst.rootCertificate();
      await new Promise<void>((resolve, reject) => {
        const c = tls.connect({ host: '127.0.0.1', port: s.port(), servername: 'events.localhost', ca }, () => {
          c.end();
          resolve();
        });
        c.on('error', reject);
      });
      expect(lines().slice(4)).toEqual(['hello tls', 'any tls_get_certificate']);
    } finally {
      await s.close();
    }
  });

  it('lets a failing foreground handler with abort stop a certificate being obtained', async () => {
    // This runtime obtains the automated certificates before it starts, so the refusal fails the start.
    await expect(
      start({
        apps: {
          ...server(),
          tls: {
            certificates: { automate: ['refused.localhost'] },
            automation: { policies: [{ issuers: [{ module: 'internal' }] }] },
          },
          events: {
            subscriptions: [
              {
                events: ['cert_obtaining'],
                handlers: [{ handler: 'exec', command: '/bin/false', foreground: true, abort: true }],
              },
              { events: ['cert_obtained'], handlers: [append('obtained {event.data.identifier}')] },
            ],
          },
        },
      }),
    ).rejects.toThrow(/refused\.localhost aborted by an event handler/);
    expect(lines()).toEqual([]);
  });

  it('logs a command that cannot run without ending the process', async () => {
    const s = await start({
      apps: {
        ...server({ automatic_https: { disable: true } }),
        events: {
          subscriptions: [
            { events: ['started'], handlers: [{ handler: 'exec', command: path.join(dir, 'no-such-command') }] },
            { events: ['started'], handlers: [append('still {event.name}')] },
          ],
        },
      },
    });
    try {
      expect(lines()).toEqual(['still started']);
      expect((await get(s.port(), '/')).body).toBe('ok');
    } finally {
      await s.close();
    }
    expect(s.logs.join('')).toContain('exec event handler failed');
  });

  it('reports reverse_proxy hosts that become unhealthy and healthy again', async () => {
    const port = await freePort();
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              routes: [
                {
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${port}` }],
                      health_checks: { active: { uri: '/', interval: '100ms', timeout: '1s' } },
                    },
                  ],
                },
              ],
            },
          },
        },
        events: {
          subscriptions: [
            {
              events: ['healthy', 'unhealthy'],
              modules: ['http.handlers'],
              handlers: [append('{event.name} {event.data.host} {event.module}')],
            },
          ],
        },
      },
    });
    const upstream = http.createServer((_q, r) => r.end('up'));
    try {
      for (let i = 0; i < 100 && lines().length < 1; i++) await new Promise((r) => setTimeout(r, 50));
      expect(lines()).toEqual([`unhealthy 127.0.0.1:${port} http.handlers.reverse_proxy`]);
      await new Promise<void>((r) => upstream.listen(port, '127.0.0.1', r));
      for (let i = 0; i < 100 && lines().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(lines()[1]).toBe(`healthy 127.0.0.1:${port} http.handlers.reverse_proxy`);
    } finally {
      await s.close();
      upstream.close();
    }
  });

  it('refuses an unknown handler module and an exec without a command by name', async () => {
    await expect(start({ apps: { events: { subscriptions: [{ handlers: [{ handler: 'nope' }] }] } } })).rejects.toThrow(
      /events\.handlers\.nope/,
    );
    await expect(start({ apps: { events: { subscriptions: [{ handlers: [{ handler: 'exec' }] }] } } })).rejects.toThrow(
      /command is required/,
    );
  });
});
