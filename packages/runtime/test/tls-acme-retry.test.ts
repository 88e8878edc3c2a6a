/**
 * @module tls-acme-retry.test: a failed ACME order is tried again after a growing delay (2 s, then 5 s, ...),
 * not only at the next renewal tick (10 minutes by default): here the CA cannot be reached, and the second
 * attempt comes about 2 s after the first.
 */
import { afterEach, expect, it } from 'vitest';
import { freePort, start, type Started } from './helpers.js';

let s: Started | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

it('retries a failed order with back-off, logging each attempt and the next delay', async () => {
  // A port nothing listens on: every order fails at the directory.
  const closed = await freePort();
  s = await start({
    apps: {
      tls: {
        certificates: { automate: ['retry.example.com'] },
        automation: { policies: [{ issuers: [{ module: 'acme', ca: `https://127.0.0.1:${closed}/dir` }] }] },
      },
    },
  });
  const attempts = (): Array<{ attempt: number; retry_in_ms?: number }> =>
    s!.logs
      .map((l) => JSON.parse(l) as { msg: string; attempt: number; retry_in_ms?: number })
      .filter((e) => e.msg === 'could not get certificate');
  for (let i = 0; i < 100 && attempts().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  expect(attempts().slice(0, 2)).toEqual([
    expect.objectContaining({ attempt: 1, retry_in_ms: 2000 }),
    expect.objectContaining({ attempt: 2, retry_in_ms: 5000 }),
  ]);
});
