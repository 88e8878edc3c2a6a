/**
 * @module http-listen-placeholders.test: as Caddy's http app, `{env.*}` (and the other global placeholders) in a
 * server's listen addresses are replaced when the config loads; an unknown or empty one is an error naming the
 * address's path.
 */
import { loadConfig } from '@proxy/runtime';
import { expect, it } from 'vitest';
import { freePort, get } from './helpers.js';

const config = (listen: string) => ({
  admin: { disabled: true },
  apps: {
    http: {
      servers: {
        srv0: {
          listen: [listen],
          automatic_https: { disable: true },
          routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }],
        },
      },
    },
  },
});

it('replaces {env.NAME} in a listen address with the instance environment', async () => {
  const port = await freePort();
  const inst = await loadConfig(config('127.0.0.1:{env.TEST_LISTEN_PORT}'), {
    env: { TEST_LISTEN_PORT: String(port) },
    logDestination: { write: () => {} },
  });
  try {
    expect(inst.addresses('srv0')[0]!.port).toBe(port);
    expect((await get(port, '/')).body).toBe('ok');
  } finally {
    await inst.stop();
  }
});

it('refuses an empty or unknown placeholder, naming the address', async () => {
  const opts = { env: { EMPTY: '' }, logDestination: { write: () => {} } };
  await expect(loadConfig(config('127.0.0.1:{env.EMPTY}'), opts)).rejects.toThrow(
    'apps.http.servers.srv0.listen[0]: placeholder {env.EMPTY} in "127.0.0.1:{env.EMPTY}" is empty',
  );
  // An unset variable is empty, as in Caddy ("evaluated placeholder {env.X} is empty").
  await expect(loadConfig(config('127.0.0.1:{env.TEST_UNSET_VARIABLE}'), opts)).rejects.toThrow(
    'placeholder {env.TEST_UNSET_VARIABLE} in "127.0.0.1:{env.TEST_UNSET_VARIABLE}" is empty',
  );
  await expect(loadConfig(config('127.0.0.1:{nope.x}'), opts)).rejects.toThrow(
    'apps.http.servers.srv0.listen[0]: placeholder {nope.x} in "127.0.0.1:{nope.x}" is unknown',
  );
});
