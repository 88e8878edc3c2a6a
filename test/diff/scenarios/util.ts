/** @module diff/scenarios/util: small builders for scenario Caddyfiles. */

/** A site block bound to loopback (every listener in the suite stays on 127.0.0.1). */
export function site(body: string, addr = 'http://:{{PORT}}'): string {
  const lines = body
    .trim()
    .split('\n')
    .map((l) => `\t${l}`);
  return `${addr} {\n\tbind 127.0.0.1\n${lines.join('\n')}\n}`;
}

/** A site that logs JSON access-log lines to {{LOG}}. */
export function loggedSite(body: string, addr?: string): string {
  return site(`log {\n\toutput file {{LOG}}\n\tformat json\n}\n${body.trim()}`, addr);
}

/** bcrypt (cost 4) of "secret", base64-encoded as caddy 2.6.2's basicauth wants it. */
export const SECRET_HASH_B64 = 'JDJiJDA0JEIvbS4ucVh3UGZHYW1CSDRVWTJBNy5YZ2JxMldVZnhjTmJJTGliRkwuMVlMR3R0eWhqL3FD';
export const basic = (user: string, pass: string): [string, string] => [
  'Authorization',
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
];
