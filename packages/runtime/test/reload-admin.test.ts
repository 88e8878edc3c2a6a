import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get, startWithPorts, type Started } from './helpers.js';

const cfg = (port: number, body: string, admin?: Record<string, unknown>) => ({
  ...(admin ? { admin } : {}),
  apps: {
    http: {
      servers: {
        srv0: {
          listen: [`127.0.0.1:${port}`],
          routes: [
            {
              match: [{ path: ['/slow'] }],
              handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${slowPort}` }] }],
            },
            { handle: [{ handler: 'static_response', body }] },
          ],
        },
      },
    },
  },
});

let slowPort = 0;

describe('atomic reload', () => {
  let s: Started;
  let port: number;
  let slow: http.Server;
  beforeAll(async () => {
    slow = http.createServer((_req, res) => {
      setTimeout(() => res.end('slow done'), 300);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    slowPort = (slow.address() as import('node:net').AddressInfo).port;
    ({
      s,
      ports: [port],
    } = await startWithPorts(
      async () => [await freePort()] as [number],
      (p) => cfg(p, 'v1'),
    ));
  });
  afterAll(async () => {
    await s.close();
    slow.close();
  });

  it('switches routes under steady traffic without losing a request; in-flight requests finish', async () => {
    const inflight = get(port, '/slow');
    let stop = false;
    const results: string[] = [];
    const errors: unknown[] = [];
    const load = (async () => {
      for (let i = 0; i < 2000 && !stop; i++) {
        try {
          results.push((await get(port, '/')).body);
        } catch (e) {
          errors.push(e);
        }
      }
    })();
    const loads = [
      load,
      (async () => {
        for (let i = 0; i < 2000 && !stop; i++) {
          try {
            results.push((await get(port, '/')).body);
          } catch (e) {
            errors.push(e);
          }
        }
      })(),
    ];
    // Reloads once traffic is flowing, and stops once the new config has answered (bounded waits, no timing).
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
    };
    await until(() => results.includes('v1'));
    await s.inst.reload(cfg(port, 'v2'));
    const seen = results.length;
    await until(() => results.slice(seen).includes('v2'));
    stop = true;
    await Promise.all(loads);
    expect(errors).toEqual([]);
    expect(results).toContain('v1');
    expect(results[results.length - 1]).toBe('v2');
    expect((await inflight).body).toBe('slow done');
    expect((await get(port, '/')).body).toBe('v2');
  });

  it('keep-alive connections move to the new config on reload without errors', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const ka = () =>
      new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
            let b = '';
            res.on('data', (d: Buffer) => {
              b += d.toString();
            });
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      });
    const seen: string[] = [];
    const errors: unknown[] = [];
    let stop = false;
    const loops = [0, 1, 2, 3].map(async () => {
      for (let i = 0; i < 3000 && !stop; i++) {
        try {
          seen.push(await ka());
        } catch (e) {
          errors.push(e);
        }
      }
    });
    await new Promise((r) => setTimeout(r, 30));
    for (let v = 3; v <= 6; v++) {
      await s.inst.reload(cfg(port, `v${v}`));
      await new Promise((r) => setTimeout(r, 30));
    }
    stop = true;
    await Promise.all(loops);
    agent.destroy();
    expect(errors).toEqual([]);
    expect(seen[seen.length - 1]).toBe('v6');
    await s.inst.reload(cfg(port, 'v2'));
  });

  it('a broken config is rejected and the old one keeps serving', async () => {
    const bad = {
      apps: {
        http: { servers: { srv0: { listen: [`127.0.0.1:${port}`], routes: [{ handle: [{ handler: 'nope' }] }] } } },
      },
    };
    await expect(s.inst.reload(bad)).rejects.toThrow(
      'apps.http.servers.srv0.routes[0].handle[0].handler: unknown module "nope"',
    );
    expect((await get(port, '/')).body).toBe('v2');
    // a config that validates but cannot bind (port taken by something else) also leaves the old one serving
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as import('node:net').AddressInfo).port;
    const clash = {
      apps: {
        http: {
          servers: {
            srv0: { listen: [`127.0.0.1:${port}`], routes: [] },
            srv1: { listen: [`127.0.0.1:${taken}`], routes: [] },
          },
        },
      },
    };
    await expect(s.inst.reload(clash)).rejects.toThrow(/apps\.http\.servers\.srv1\.listen\[0\]: cannot listen/);
    blocker.close();
    expect((await get(port, '/')).body).toBe('v2');
  });
});

describe('admin API', () => {
  let s: Started;
  let port: number;
  let adminPort: number;
  beforeAll(async () => {
    ({
      s,
      ports: [port, adminPort],
    } = await startWithPorts(
      async () => [await freePort(), await freePort()] as [number, number],
      (p, a) => cfg(p, 'one', { listen: `127.0.0.1:${a}` }),
    ));
  });
  afterAll(() => s.close());

  const admin = (method: string, p: string, body?: unknown) =>
    get(adminPort, p, {
      method,
      host: `127.0.0.1:${adminPort}`,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
    });

  it('GET /config/ returns the active config', async () => {
    const r = await admin('GET', '/config/');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).apps.http.servers.srv0.routes[1].handle[0].body).toBe('one');
  });

  it('POST /load swaps the config; a bad one gets 400 and changes nothing', async () => {
    const ok = await admin('POST', '/load', cfg(port, 'two', { listen: `127.0.0.1:${adminPort}` }));
    expect(ok.status).toBe(200);
    expect((await get(port, '/')).body).toBe('two');
    const bad = await admin('POST', '/load', { apps: { http: { servers: { srv0: { listen: 'oops' } } } } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toContain('apps.http.servers.srv0.listen: expected an array');
    expect((await get(port, '/')).body).toBe('two');
  });

  it('reads and edits config paths: GET/POST/PATCH/PUT/DELETE /config/...', async () => {
    const base = '/config/apps/http/servers/srv0/routes';
    expect(JSON.parse((await admin('GET', `${base}/1/handle/0/body`)).body)).toBe('two');
    expect((await admin('PATCH', `${base}/1/handle/0/body`, 'three')).status).toBe(200);
    expect((await get(port, '/')).body).toBe('three');
    expect(
      (
        await admin('PUT', `${base}/0`, {
          match: [{ path: ['/new'] }],
          handle: [{ handler: 'static_response', body: 'inserted' }],
        })
      ).status,
    ).toBe(200);
    expect((await get(port, '/new')).body).toBe('inserted');
    expect((await admin('DELETE', `${base}/0`)).status).toBe(200);
    expect((await get(port, '/new')).body).toBe('three');
    expect((await admin('GET', '/config/apps/nope')).status).toBe(404);
    const bad = await admin('PATCH', `${base}/1/handle/0/handler`, 'bogus');
    expect(bad.status).toBe(400);
    expect((await get(port, '/')).body).toBe('three');
  });

  it('rejects cross-origin requests and foreign Host headers (DNS rebinding)', async () => {
    const r = await get(adminPort, '/config/', {
      host: `127.0.0.1:${adminPort}`,
      headers: { Origin: 'http://evil.example' },
    });
    expect(r.status).toBe(403);
    expect((await get(adminPort, '/config/', { host: 'evil.example' })).status).toBe(403);
    expect((await get(adminPort, '/config/', { host: `localhost:${adminPort}` })).status).toBe(200);
  });

  it('POST /load adapts text/<name> bodies with the adapters it was given', async () => {
    const { loadConfig } = await import('@proxy/runtime');
    const [p2, a2] = [await freePort(), await freePort()];
    const inst = await loadConfig(cfg(p2, 'start', { listen: `127.0.0.1:${a2}` }), {
      logDestination: { write: () => {} },
      adapters: { plain: (text) => cfg(p2, text.trim(), { listen: `127.0.0.1:${a2}` }) },
    });
    try {
      const r = await get(a2, '/load', {
        method: 'POST',
        host: `127.0.0.1:${a2}`,
        body: 'adapted\n',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(r.status).toBe(200);
      expect((await get(p2, '/')).body).toBe('adapted');
      const no = await get(a2, '/load', {
        method: 'POST',
        host: `127.0.0.1:${a2}`,
        body: 'x',
        headers: { 'Content-Type': 'text/caddyfile' },
      });
      expect(no.status).toBe(400);
      expect(JSON.parse(no.body).error).toContain('no config adapter for text/caddyfile');
    } finally {
      await inst.stop();
    }
  });

  it('POST /stop stops the instance', async () => {
    const r = await admin('POST', '/stop');
    expect(r.status).toBe(200);
    await s.inst.stopped;
    await expect(get(port, '/')).rejects.toThrow();
  });
});
