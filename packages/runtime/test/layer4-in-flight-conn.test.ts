/** @module layer4-in-flight-conn: `layer4.handlers.in_flight_conn` (proxy's own; Traefik's TCP inFlightConn). */
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App, type Layer4AppHandle } from '@proxy/runtime';
import { connect, readBytes, taggedEcho, testLogger } from './layer4-support.js';

let echo: { port: number; close(): Promise<void> };
let app: Layer4AppHandle & { port: number };

beforeAll(async () => {
  echo = await taggedEcho('E');
  const h = await startLayer4App(
    {
      servers: {
        s: {
          listen: ['127.0.0.1:0'],
          routes: [
            {
              handle: [
                { handler: 'in_flight_conn', amount: 3 },
                { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] },
              ],
            },
          ],
        },
      },
    },
    { logger: testLogger },
  );
  app = Object.assign(h, { port: h.addresses['s']![0]!.port });
});
afterAll(async () => {
  await app?.close();
  await echo?.close();
});

/** Resolves 'closed' when the socket closes, 'open' if it still is after `ms`. */
function closes(s: net.Socket, ms: number): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve('closed');
    const t = setTimeout(() => resolve('open'), ms);
    s.on('data', () => undefined);
    s.once('close', () => {
      clearTimeout(t);
      resolve('closed');
    });
  });
}

/** A connection through the proxy that got to the echo server (it answered). */
async function served(): Promise<net.Socket> {
  const s = await connect(app.port);
  s.on('error', () => undefined);
  s.write('x');
  expect((await readBytes(s, 3)).toString()).toBe('E:x');
  return s;
}

describe('in_flight_conn', () => {
  it('closes the connection over `amount` from one IP, and lets one in again once one closes', async () => {
    const open = [await served(), await served(), await served()];
    const extra = await connect(app.port);
    extra.on('error', () => undefined);
    extra.write('y');
    expect(await closes(extra, 5000)).toBe('closed');
    // The three below the limit are still served.
    open[0]!.write('z');
    expect((await readBytes(open[0]!, 1)).toString()).toBe('z');
    open[1]!.destroy();
    // Closing is seen by the proxy asynchronously: a bounded retry until a fourth one gets through.
    let again: net.Socket | undefined;
    for (let i = 0; i < 50 && !again; i++) {
      again = await served().catch(() => undefined);
      if (!again) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again).toBeDefined();
    for (const s of [...open, again!]) s.destroy();
  });

  it('refuses a bad amount at config load', async () => {
    await expect(
      startLayer4App(
        {
          servers: { s: { listen: ['127.0.0.1:0'], routes: [{ handle: [{ handler: 'in_flight_conn', amount: 0 }] }] } },
        },
        { logger: testLogger },
      ),
    ).rejects.toThrow(/amount: must be a positive integer/);
  });
});
