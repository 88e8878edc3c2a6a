/** @module basic-auth: `basic_auth` (and the deprecated `basicauth`): HTTP basic authentication with hashed passwords. */
import type { Helper } from '../helper.js';
import type { AuthenticationHandler, HttpBasicProvider } from '@proxy/contract';
import { moduleObject } from '../json.js';
import type { ModuleOfKind } from '../module.js';

const HASHES = new Set(['bcrypt', 'argon2id']);

function parseBasicAuth(h: Helper): AuthenticationHandler {
  h.next();
  if (h.val() === 'basicauth') h.warn("the 'basicauth' directive is deprecated, please use 'basic_auth' instead!");
  const args = h.remainingArgs();
  if (args.length > 2) throw h.argErr();
  const hashName = args[0] ?? 'bcrypt';
  if (!HASHES.has(hashName)) throw h.err(`unrecognized hash algorithm: ${hashName}`);
  const ba: HttpBasicProvider = { hash: { algorithm: hashName } };
  const accounts: NonNullable<HttpBasicProvider['accounts']> = [];
  while (h.nextBlock(0)) {
    const username = h.val();
    const pw = h.args(1);
    if (h.nextArg()) throw h.argErr();
    const password = pw?.[0] ?? '';
    if (username === '' || password === '') throw h.err('username and password cannot be empty or missing');
    accounts.push({ username, password });
  }
  if (accounts.length > 0) ba.accounts = accounts;
  if (args.length === 2) ba.realm = args[1];
  ba.hash_cache = {};
  return moduleObject<AuthenticationHandler>('handler', 'authentication', { providers: { http_basic: ba } });
}

export const BasicAuthDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'basic_auth',
  syntax: 'basic_auth [<matcher>] [bcrypt|argon2id [<realm>]] { <username> <hashed_password>... }',
  doc: 'Requires HTTP basic authentication with hashed passwords.',
  parse: parseBasicAuth,
};

export const BasicauthDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'basicauth',
  syntax: 'basicauth [<matcher>] [bcrypt|argon2id [<realm>]] { <username> <hashed_password>... }',
  doc: 'Deprecated alias of basic_auth.',
  parse: parseBasicAuth,
};
