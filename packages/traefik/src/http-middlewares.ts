/**
 * @module http-middlewares: Traefik's HTTP middlewares (pkg/middlewares) as Caddy HTTP handlers, run in the router's
 * order before its service. Each definition is read once; `chain` is resolved by name with loop detection. What has
 * no faithful Caddy equivalent is refused by its key.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type {
  AuthenticationHandler,
  EncodeHandler,
  HeadersHandler,
  HttpHandler,
  Route,
  StaticResponseHandler,
} from '@proxy/contract';
import { canonicalHeader, literal, quoteMeta, type HttpMatcherSet } from './http-rule.js';
import { namedEntries, type Field } from './reader.js';

type Definition = { kind: 'handlers'; handlers: HttpHandler[] } | { kind: 'chain'; refs: Field[] };

/** Middlewares Traefik has that this adapter does not translate. */
const REFUSED = [
  'buffering',
  'circuitBreaker',
  'contentType',
  'digestAuth',
  'errors',
  'forwardAuth',
  'grpcWeb',
  'inFlightReq',
  'passTLSClientCert',
  'plugin',
  'rateLimit',
  'retry',
];
const SUPPORTED = [
  'addPrefix',
  'basicAuth',
  'chain',
  'compress',
  'headers',
  'ipAllowList',
  'ipWhiteList',
  'redirectRegex',
  'redirectScheme',
  'replacePath',
  'replacePathRegex',
  'stripPrefix',
  'stripPrefixRegex',
];

const TEXT_PLAIN = { 'Content-Type': ['text/plain; charset=utf-8'] };

/** Go's http.StatusText for the statuses these middlewares answer with. */
const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
};

/** Placeholder-safe names for regexp captures (`{http.regexp.NAME.N}`). */
function captureName(m: Field, suffix: string): string {
  return `traefik_${m.name.replace(/[^A-Za-z0-9_]/g, '_')}_${suffix}`;
}

function subroute(routes: Route[]): HttpHandler {
  return { handler: 'subroute', routes };
}

/**
 * A redirect answered as Traefik's redirect middlewares do (v3): 302 (301 permanent) for GET, 307 (308) for other
 * methods, the status text as the body.
 */
function redirectRoutes(location: string, permanent: boolean, unless: HttpMatcherSet[]): Route[] {
  const respond = (status: number): StaticResponseHandler => ({
    handler: 'static_response',
    status_code: status,
    headers: { Location: [location], ...TEXT_PLAIN },
    body: STATUS_TEXT[status]!,
  });
  const get = { method: ['GET'] };
  return [
    {
      match: [unless.length ? { ...get, not: unless } : get],
      handle: [respond(permanent ? 301 : 302)],
    },
    { match: [{ not: [get, ...unless] }], handle: [respond(permanent ? 308 : 307)] },
  ];
}

/** `redirectScheme`: to scheme://host[:port]/same/uri, unless the request already is at that URL. */
function redirectScheme(f: Field): HttpHandler[] {
  const k = f.object(['scheme', 'port', 'permanent'], 'redirectScheme');
  const scheme = k['scheme']?.string();
  if (!scheme) throw (k['scheme'] ?? f).error('redirectScheme needs a scheme');
  const portValue = k['port']?.value;
  const port = portValue === undefined || portValue === null ? '' : String(portValue);
  if (port && !/^\d{1,5}$/.test(port)) throw k['port']!.error(`invalid port ${JSON.stringify(portValue)}`);
  const implicit = !port || (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443');
  const portPart = implicit ? '' : `:${port}`;
  const location = `${literal(scheme)}://{http.request.host}${portPart}{http.request.uri}`;
  // Traefik redirects only when the URL changes: the scheme, or the port the Host header carries.
  const hostPattern = implicit ? '^(\\[[^\\]]*\\]|[^:]*)$' : `^(\\[[^\\]]*\\]|[^:]*):${port}$`;
  const unless: HttpMatcherSet[] =
    scheme === 'http' || scheme === 'https'
      ? [{ protocol: scheme, header_regexp: { Host: { pattern: hostPattern } } }]
      : [];
  return [subroute(redirectRoutes(location, k['permanent']?.bool() ?? false, unless))];
}

/** The number of capture groups of a Go regexp (escapes and character classes skipped). */
export function countGroups(re: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '(') {
      if (re[i + 1] !== '?') n++;
      else if (re.startsWith('(?P<', i) || (re.startsWith('(?<', i) && re[i + 3] !== '=' && re[i + 3] !== '!')) n++;
    }
  }
  return n;
}

/**
 * A Go replacement template (`$1`, `${1}`, `$name`, `${name}`, `$$`) as Caddy placeholders of the captures of
 * `name`, whose groups are shifted by `shift`.
 */
export function goTemplateToPlaceholders(template: string, name: string, shift: number): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '$') {
      out += literal(c);
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let ref: string | undefined;
    let end = i + 1;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close === -1 ? '' : template.slice(i + 2, close);
      if (/^[A-Za-z0-9_]+$/.test(inner)) {
        ref = inner;
        end = close + 1;
      }
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (m) {
        ref = m[0];
        end = i + 1 + m[0].length;
      }
    }
    if (ref === undefined) {
      // Go: a malformed reference is a literal "$".
      out += '$';
      i++;
      continue;
    }
    out += /^\d+$/.test(ref) ? `{http.regexp.${name}.${Number(ref) + shift}}` : `{http.regexp.${name}.${ref}}`;
    i = end;
  }
  return out;
}

/**
 * `redirectRegex`: the request URL (scheme://host/uri) is matched; where the regexp matches, the replacement
 * expands. The URL is matched as prefix + regexp + suffix so that the text around the (first) match is kept.
 */
function redirectRegex(m: Field, f: Field): HttpHandler[] {
  const k = f.object(['regex', 'replacement', 'permanent'], 'redirectRegex');
  const regex = k['regex']?.string();
  if (!regex) throw (k['regex'] ?? f).error('redirectRegex needs a regex');
  const replacement = k['replacement']?.string() ?? '';
  const name = captureName(m, 'url');
  const groups = countGroups(regex);
  const location = `{http.regexp.${name}.1}${goTemplateToPlaceholders(replacement, name, 1)}{http.regexp.${name}.${groups + 2}}`;
  const url: HttpMatcherSet = {
    vars_regexp: {
      '{http.request.scheme}://{http.request.hostport}{http.request.uri}': {
        name,
        pattern: `^(.*?)(?:${regex})(.*)$`,
      },
    },
  };
  const routes = redirectRoutes(location, k['permanent']?.bool() ?? false, []);
  for (const r of routes) r.match = r.match!.map((s) => ({ ...url, ...s }));
  return [subroute(routes)];
}

/** Header ops that add `X-Forwarded-Prefix` as Traefik's strip middlewares do. */
function forwardedPrefix(value: string): HeadersHandler {
  return { handler: 'headers', request: { add: { 'X-Forwarded-Prefix': [value] } } };
}

function stripPrefix(f: Field): HttpHandler[] {
  const k = f.object(['prefixes', 'forceSlash'], 'stripPrefix');
  if (k['forceSlash']?.present) throw k['forceSlash'].error('forceSlash was removed in Traefik v3');
  const prefixes = (k['prefixes']?.items() ?? []).map((p) => p.string() ?? '').filter((p) => p !== '');
  if (prefixes.length === 0) throw (k['prefixes'] ?? f).error('stripPrefix needs prefixes');
  // Only the first prefix that matches is stripped (a route group), case-sensitively as Traefik.
  return [
    subroute(
      prefixes.map((p) => ({
        group: 'strip_prefix',
        match: [{ path_regexp: { pattern: `^${quoteMeta(p)}` } }],
        handle: [forwardedPrefix(literal(p)), { handler: 'rewrite', strip_path_prefix: literal(p) }],
      })),
    ),
  ];
}

function stripPrefixRegex(m: Field, f: Field): HttpHandler[] {
  const k = f.object(['regex'], 'stripPrefixRegex');
  const regexes = (k['regex']?.items() ?? []).map((p) => p.string() ?? '').filter((p) => p !== '');
  if (regexes.length === 0) throw (k['regex'] ?? f).error('stripPrefixRegex needs regex');
  return [
    subroute(
      regexes.map((re, i) => {
        const name = captureName(m, String(i));
        const matched = `{http.regexp.${name}.0}`;
        return {
          group: 'strip_prefix',
          // Traefik strips the leftmost match only when it starts the path.
          match: [{ path_regexp: { name, pattern: `^(?:${re})` } }],
          handle: [forwardedPrefix(matched), { handler: 'rewrite', strip_path_prefix: matched }],
        };
      }),
    ),
  ];
}

function addPrefix(f: Field): HttpHandler[] {
  const k = f.object(['prefix'], 'addPrefix');
  const prefix = k['prefix']?.string();
  if (!prefix) throw (k['prefix'] ?? f).error('addPrefix needs a prefix');
  const p = prefix.startsWith('/') ? prefix : `/${prefix}`;
  // Without a "?", Caddy's rewrite keeps the query.
  return [{ handler: 'rewrite', uri: `${literal(escapeUriPath(p))}{http.request.uri.path}` }];
}

/** A path for a Caddy `uri`: what would start the query or fragment is escaped. */
function escapeUriPath(p: string): string {
  return p.replace(/\?/g, '%3F').replace(/#/g, '%23');
}

const replacedPath: HeadersHandler = {
  handler: 'headers',
  request: { add: { 'X-Replaced-Path': ['{http.request.uri.path}'] } },
};

function replacePath(f: Field): HttpHandler[] {
  const k = f.object(['path'], 'replacePath');
  const path = k['path']?.string();
  if (path === undefined) throw f.error('replacePath needs a path');
  return [structuredClone(replacedPath), { handler: 'rewrite', uri: literal(escapeUriPath(path)) }];
}

function replacePathRegex(f: Field): HttpHandler[] {
  const k = f.object(['regex', 'replacement'], 'replacePathRegex');
  const regex = k['regex']?.string();
  if (!regex) throw (k['regex'] ?? f).error('replacePathRegex needs a regex');
  const replacement = k['replacement']?.string() ?? '';
  return [
    subroute([
      {
        match: [{ path_regexp: { pattern: regex } }],
        handle: [
          structuredClone(replacedPath),
          { handler: 'rewrite', path_regexp: [{ find: regex, replace: literal(replacement) }] },
        ],
      },
    ]),
  ];
}

/** Traefik's `headers` keys this adapter refuses: CORS and the checks Caddy's headers handler cannot make. */
const REFUSED_HEADERS = [
  'accessControlAllowCredentials',
  'accessControlAllowHeaders',
  'accessControlAllowMethods',
  'accessControlAllowOriginList',
  'accessControlAllowOriginListRegex',
  'accessControlExposeHeaders',
  'accessControlMaxAge',
  'addVaryHeader',
  'allowedHosts',
  'hostsProxyHeaders',
  'sslRedirect',
  'sslTemporaryRedirect',
  'sslHost',
  'sslProxyHeaders',
  'sslForceHost',
  'publicKey',
  'featurePolicy',
];
const SECURITY_HEADERS: Record<string, string> = {
  contentSecurityPolicy: 'Content-Security-Policy',
  contentSecurityPolicyReportOnly: 'Content-Security-Policy-Report-Only',
  referrerPolicy: 'Referrer-Policy',
  permissionsPolicy: 'Permissions-Policy',
  customBrowserXSSValue: 'X-XSS-Protection',
  customFrameOptionsValue: 'X-Frame-Options',
};

function headers(f: Field): HttpHandler[] {
  const k = f.object(
    [
      'customRequestHeaders',
      'customResponseHeaders',
      'stsSeconds',
      'stsIncludeSubdomains',
      'stsPreload',
      'forceSTSHeader',
      'frameDeny',
      'contentTypeNosniff',
      'browserXssFilter',
      'isDevelopment',
      ...Object.keys(SECURITY_HEADERS),
      ...REFUSED_HEADERS,
    ],
    'headers',
  );
  for (const key of REFUSED_HEADERS) if (k[key]?.present) throw k[key].error(`${key} is not supported by this adapter`);
  const out: HttpHandler[] = [];
  const request = ops(k['customRequestHeaders']);
  const response = ops(k['customResponseHeaders']);
  // Traefik's secure headers (unrolled/secure): set on every response, custom response headers win.
  const secure: Record<string, string[]> = {};
  if (k['frameDeny']?.bool()) secure['X-Frame-Options'] = ['DENY'];
  if (k['contentTypeNosniff']?.bool()) secure['X-Content-Type-Options'] = ['nosniff'];
  if (k['browserXssFilter']?.bool()) secure['X-XSS-Protection'] = ['1; mode=block'];
  for (const [key, header] of Object.entries(SECURITY_HEADERS)) {
    const v = k[key]?.string();
    if (v) secure[header] = [literal(v)];
  }
  const development = k['isDevelopment']?.bool() ?? false;
  const sts = k['stsSeconds']?.int() ?? 0;
  if (sts < 0) throw k['stsSeconds']!.error('stsSeconds cannot be negative');
  let stsValue: string | undefined;
  if (sts > 0 && !development) {
    stsValue = `max-age=${sts}`;
    if (k['stsIncludeSubdomains']?.bool()) stsValue += '; includeSubDomains';
    if (k['stsPreload']?.bool()) stsValue += '; preload';
  } else {
    for (const key of ['stsIncludeSubdomains', 'stsPreload'] as const) k[key]?.bool();
  }
  const force = k['forceSTSHeader']?.bool() ?? false;
  if (stsValue && force) secure['Strict-Transport-Security'] = [stsValue];
  const set = { ...secure, ...response.set };
  const del = (response.delete ?? []).filter((d) => !(d in set));
  if (Object.keys(request.set ?? {}).length || request.delete?.length) out.push({ handler: 'headers', request });
  if (Object.keys(set).length || del.length) {
    out.push({
      handler: 'headers',
      response: {
        ...(Object.keys(set).length ? { set } : {}),
        ...(del.length ? { delete: del } : {}),
        deferred: true,
      },
    });
  }
  if (stsValue && !force) {
    // Only over HTTPS, as Traefik (unless forceSTSHeader).
    out.push(
      subroute([
        {
          match: [{ protocol: 'https' }],
          handle: [
            {
              handler: 'headers',
              response: { set: { 'Strict-Transport-Security': [stsValue] }, deferred: true },
            },
          ],
        },
      ]),
    );
  }
  // Nothing set (say `headers: {}`): a no-op, as in Traefik.
  return out;
}

/** `customRequestHeaders` / `customResponseHeaders`: an empty value deletes the field. */
function ops(f: Field | undefined): { set?: Record<string, string[]>; delete?: string[] } {
  const set: Record<string, string[]> = {};
  const del: string[] = [];
  for (const e of f?.entries() ?? []) {
    const v = e.value === null ? '' : e.string();
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(e.name)) throw e.error(`${JSON.stringify(e.name)} is not a header name`);
    if (v === '' || v === undefined) del.push(canonicalHeader(e.name));
    else set[canonicalHeader(e.name)] = [literal(v)];
  }
  return { ...(Object.keys(set).length ? { set } : {}), ...(del.length ? { delete: del } : {}) };
}

/** `basicAuth`: htpasswd users (bcrypt only: the runtime checks bcrypt). */
function basicAuth(f: Field): HttpHandler[] {
  const k = f.object(['users', 'usersFile', 'realm', 'removeHeader', 'headerField'], 'basicAuth');
  const lines: { text: string; at: Field }[] = (k['users']?.items() ?? []).map((u) => ({
    text: u.string() ?? '',
    at: u,
  }));
  const file = k['usersFile']?.string();
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw k['usersFile']!.error(`cannot read ${JSON.stringify(file)}: ${(e as Error).message}`);
    }
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t && !t.startsWith('#')) lines.push({ text: t, at: k['usersFile']! });
    }
  }
  if (lines.length === 0) throw f.error('basicAuth needs users or usersFile');
  const accounts = new Map<string, string>();
  for (const { text, at } of lines) {
    const i = text.indexOf(':');
    if (i <= 0) throw at.error('a user is "name:hash" (htpasswd)');
    const user = text.slice(0, i);
    const hash = text.slice(i + 1);
    if (!/^\$2[abxy]?\$\d\d\$/.test(hash)) {
      const kind = hash.startsWith('{SHA}')
        ? 'SHA-1 ({SHA})'
        : hash.startsWith('$apr1$')
          ? 'MD5 (apr1)'
          : hash.startsWith('$1$') || hash.startsWith('$5$') || hash.startsWith('$6$')
            ? 'crypt'
            : 'this';
      throw at.error(
        `user "${user}": ${kind} hashes are not supported by the runtime: use bcrypt (htpasswd -nbB, or proxy hash-password)`,
      );
    }
    // Traefik: a user given twice keeps the last hash (users before usersFile entries).
    accounts.set(user, hash);
  }
  const auth: AuthenticationHandler = {
    handler: 'authentication',
    providers: {
      http_basic: {
        accounts: [...accounts].map(([username, password]) => ({ username, password })),
        hash: { algorithm: 'bcrypt' },
        realm: k['realm']?.string() || 'traefik',
      },
    },
  };
  const after: HeadersHandler = { handler: 'headers', request: {} };
  const field = k['headerField']?.string();
  if (field) after.request!.set = { [canonicalHeader(field)]: ['{http.auth.user.id}'] };
  if (k['removeHeader']?.bool()) after.request!.delete = ['Authorization'];
  // Traefik answers a failed login with "401 Unauthorized" as text (go-http-auth).
  const handler: HttpHandler = {
    handler: 'subroute',
    routes: [{ handle: [auth, ...(Object.keys(after.request!).length ? [after] : [])] }],
    errors: {
      routes: [
        {
          match: [{ vars: { '{http.error.status_code}': ['401'] } }],
          handle: [
            {
              handler: 'static_response',
              status_code: 401,
              headers: { 'Content-Type': ['text/plain'] },
              body: '401 Unauthorized\n',
            },
          ],
        },
      ],
    },
  };
  return [handler];
}

/** `ipAllowList`: other sources get 403 "Forbidden" (or rejectStatusCode). */
function ipAllowList(f: Field): HttpHandler[] {
  const k = f.object(['sourceRange', 'ipStrategy', 'rejectStatusCode'], 'ipAllowList');
  const ranges = (k['sourceRange']?.items() ?? []).map((r) => {
    const v = r.string() ?? '';
    const [ip, bits, extra] = v.split('/');
    const family = isIP(ip ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !okBits || extra !== undefined)
      throw r.error(`${JSON.stringify(v)} is not an IP address or CIDR range`);
    return v;
  });
  if (ranges.length === 0) throw (k['sourceRange'] ?? f).error('ipAllowList needs a sourceRange');
  if (k['ipStrategy']) {
    const s = k['ipStrategy'].object(['depth', 'excludedIPs', 'ipv6Subnet'], 'ipStrategy');
    if ((s['depth']?.int() ?? 0) > 0)
      throw s['depth']!.error('ipStrategy.depth (X-Forwarded-For) is not supported by this adapter');
    if ((s['excludedIPs']?.items() ?? []).length > 0)
      throw s['excludedIPs']!.error('ipStrategy.excludedIPs is not supported by this adapter');
    if (s['ipv6Subnet']?.present) throw s['ipv6Subnet'].error('ipStrategy.ipv6Subnet is not supported by this adapter');
  }
  const status = k['rejectStatusCode']?.int() ?? 403;
  if (status < 100 || status > 999) throw k['rejectStatusCode']!.error('not an HTTP status code');
  return [
    subroute([
      {
        match: [{ not: [{ remote_ip: { ranges } }] }],
        handle: [
          {
            handler: 'static_response',
            status_code: status,
            headers: { ...TEXT_PLAIN },
            body: STATUS_TEXT[status] ?? '',
          },
        ],
      },
    ]),
  ];
}

/** `compress`: Caddy's encode handler (gzip and zstd; the runtime has no brotli). */
function compress(f: Field): HttpHandler[] {
  const k = f.object(
    ['encodings', 'excludedContentTypes', 'includedContentTypes', 'minResponseBodyBytes', 'defaultEncoding'],
    'compress',
  );
  if ((k['excludedContentTypes']?.items() ?? []).length > 0)
    throw k['excludedContentTypes']!.error(
      'excludedContentTypes is not supported by this adapter (use includedContentTypes)',
    );
  if (k['defaultEncoding']?.present)
    throw k['defaultEncoding'].error('defaultEncoding is not supported by this adapter');
  let encodings = ['zstd', 'gzip'];
  if (k['encodings']) {
    encodings = k['encodings'].items().map((e) => {
      const v = e.string() ?? '';
      if (v === 'br') throw e.error('br (brotli) is not supported by the runtime (gzip and zstd are)');
      if (v !== 'gzip' && v !== 'zstd') throw e.error(`unknown encoding ${JSON.stringify(v)} (gzip, zstd)`);
      return v;
    });
    if (encodings.length === 0) throw k['encodings'].error('no encoding');
  }
  const min = k['minResponseBodyBytes']?.int() ?? 1024;
  if (min < 0) throw k['minResponseBodyBytes']!.error('minResponseBodyBytes cannot be negative');
  const included = (k['includedContentTypes']?.items() ?? []).map((t) => `${t.string() ?? ''}*`);
  const h: EncodeHandler = {
    handler: 'encode',
    encodings: Object.fromEntries(encodings.map((e) => [e, {}])),
    prefer: encodings,
    minimum_length: min,
    // Traefik compresses any content type (not only Caddy's default text types).
    match: { headers: { 'Content-Type': included.length ? included : ['*'] } },
  };
  return [h];
}

function readDefinition(m: Field): Definition {
  const k = m.object([...SUPPORTED, ...REFUSED], 'an HTTP middleware');
  const kinds = Object.keys(k);
  if (kinds.length !== 1) throw m.error('a middleware has exactly one type');
  const kind = kinds[0]!;
  const f = k[kind]!;
  if (REFUSED.includes(kind)) throw f.error(`the ${kind} middleware is not supported by this adapter`);
  switch (kind) {
    case 'chain': {
      const c = f.object(['middlewares'], 'chain');
      const refs = c['middlewares']?.items() ?? [];
      if (refs.length === 0) throw (c['middlewares'] ?? f).error('a chain needs middlewares');
      return { kind: 'chain', refs };
    }
    case 'redirectScheme':
      return { kind: 'handlers', handlers: redirectScheme(f) };
    case 'redirectRegex':
      return { kind: 'handlers', handlers: redirectRegex(m, f) };
    case 'stripPrefix':
      return { kind: 'handlers', handlers: stripPrefix(f) };
    case 'stripPrefixRegex':
      return { kind: 'handlers', handlers: stripPrefixRegex(m, f) };
    case 'addPrefix':
      return { kind: 'handlers', handlers: addPrefix(f) };
    case 'replacePath':
      return { kind: 'handlers', handlers: replacePath(f) };
    case 'replacePathRegex':
      return { kind: 'handlers', handlers: replacePathRegex(f) };
    case 'headers':
      return { kind: 'handlers', handlers: headers(f) };
    case 'basicAuth':
      return { kind: 'handlers', handlers: basicAuth(f) };
    case 'compress':
      return { kind: 'handlers', handlers: compress(f) };
    default:
      return { kind: 'handlers', handlers: ipAllowList(f) };
  }
}

/** A middleware name as routers and chains write it (`name` or `name@file`). */
export function middlewareName(f: Field): string {
  const name = (f.string() ?? '').replace(/@file$/, '');
  if (name.includes('@')) throw f.error('only middlewares of the file provider (@file) can be referred to');
  return name;
}

/** Reads the middlewares; `resolve` gives a middleware's handlers (chains expanded), undefined when it has an error. */
export function readHttpMiddlewares(
  tables: (Field | undefined)[],
  attempt: <T>(f: () => T) => T | undefined,
): { has: (name: string) => boolean; resolve: (name: string) => HttpHandler[] | undefined } {
  const defs = new Map<string, Definition | undefined>();
  for (const m of attempt(() => namedEntries(tables, 'the HTTP middleware')) ?? [])
    defs.set(
      m.name,
      attempt(() => readDefinition(m)),
    );
  const resolved = new Map<string, HttpHandler[] | undefined>();
  const expand = (name: string, path: string[]): HttpHandler[] | undefined => {
    const def = defs.get(name);
    if (!def) return undefined;
    if (def.kind === 'handlers') return def.handlers;
    const out: HttpHandler[] = [];
    for (const ref of def.refs) {
      const child = middlewareName(ref);
      if (path.includes(child)) throw ref.error(`the middleware chain loops: ${[...path, child].join(' -> ')}`);
      if (!defs.has(child)) throw ref.error(`the HTTP middleware "${child}" does not exist`);
      const inner = expand(child, [...path, child]);
      if (!inner) return undefined;
      out.push(...inner);
    }
    return out;
  };
  return {
    has: (name) => defs.has(name),
    resolve: (name) => {
      if (!resolved.has(name))
        resolved.set(
          name,
          attempt(() => expand(name, [name])),
        );
      return resolved.get(name);
    },
  };
}
