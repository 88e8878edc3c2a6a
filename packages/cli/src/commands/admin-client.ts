/** @module commands/admin-client: talks to a running instance's admin endpoint. */
import http from 'node:http';

/** The admin address: explicit, else the config's admin.listen, else $CADDY_ADMIN, else localhost:2019. */
export function adminAddress(explicit: string | undefined, config: unknown): string {
  if (explicit) return explicit;
  const listen = (config as { admin?: { listen?: unknown } } | undefined)?.admin?.listen;
  return typeof listen === 'string' ? listen : process.env['CADDY_ADMIN'] || 'localhost:2019';
}

/** POSTs to the admin endpoint; rejects with the endpoint's error message on a non-2xx answer. */
export function adminPost(address: string, path: string, body?: unknown): Promise<void> {
  const [host, port] = splitAddress(address);
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host,
        port,
        path,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          if ((res.statusCode ?? 500) < 300) {
            resolve();
            return;
          }
          let msg = text.trim();
          try {
            msg = (JSON.parse(text) as { error?: string }).error ?? msg;
          } catch {
            /* plain text */
          }
          reject(new Error(msg || `admin endpoint answered ${res.statusCode}`));
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`admin endpoint ${address} timed out`)));
    req.on('error', (e) => reject(new Error(`cannot reach the admin endpoint at ${address}: ${e.message}`)));
    req.end(payload);
  });
}

/** GETs a JSON answer from the admin endpoint; rejects with the endpoint's error message on a non-2xx answer. */
export function adminGet(address: string, path: string): Promise<unknown> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve, reject) => {
    // The admin endpoint checks the Host header against its allowed origins: name the address as given.
    const req = http.request(
      { host, port, path, method: 'GET', headers: { Host: address.replace(/^tcp\//, '') } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
          if ((res.statusCode ?? 500) < 300) resolve(body);
          else
            reject(
              new Error(
                (body as { error?: string } | null)?.error ??
                  (text.trim() || `admin endpoint answered ${res.statusCode}`),
              ),
            );
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`admin endpoint ${address} timed out`)));
    req.on('error', (e) => reject(new Error(`cannot reach the admin endpoint at ${address}: ${e.message}`)));
    req.end();
  });
}

function splitAddress(a: string): [string, number] {
  const s = a.replace(/^tcp\//, '');
  const i = s.lastIndexOf(':');
  const host = s.slice(0, i).replace(/^\[|\]$/g, '') || 'localhost';
  return [host === 'localhost' ? '127.0.0.1' : host, Number(s.slice(i + 1))];
}
