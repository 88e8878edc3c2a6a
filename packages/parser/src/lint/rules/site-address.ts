/** @module lint/rules/site-address: the scheme, host and port of a site address, for rules about them. */

/** A site address's parts (Caddy's `ParseAddress`, without the checks). */
export interface SiteAddress {
  scheme: string;
  host: string;
  port: string;
}

/** Splits `scheme://host:port/path`. */
export function siteAddress(key: string): SiteAddress {
  let rest = key;
  let scheme = '';
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    scheme = rest.slice(0, sep).toLowerCase();
    rest = rest.slice(sep + 3);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) rest = rest.slice(0, slash);
  let host = rest;
  let port = '';
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    host = rest.slice(1, end < 0 ? undefined : end);
    if (end >= 0 && rest[end + 1] === ':') port = rest.slice(end + 2);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.slice(0, colon);
      port = rest.slice(colon + 1);
    }
  }
  return { scheme, host: host.toLowerCase(), port };
}

/** Names that never reach the public internet: loopback, IPs, single labels and reserved or local-use TLDs. */
export function isPrivateHost(host: string): boolean {
  if (host === '' || host.includes('{') || host === 'localhost') return true;
  if (/^[\d.]+$/.test(host) || host.includes(':')) return true;
  if (!host.includes('.')) return true;
  const tld = host.slice(host.lastIndexOf('.') + 1);
  return [
    'localhost',
    'local',
    'internal',
    'test',
    'example',
    'invalid',
    'lan',
    'home',
    'arpa',
    'corp',
    'intranet',
  ].includes(tld);
}

/** Whether requests to the address arrive over plain HTTP. */
export function isPlainHTTP(a: SiteAddress, httpPort = '80'): boolean {
  return a.scheme === 'http' || (a.scheme === '' && a.port === httpPort);
}

/** The path part of a site address (`example.com/api` -> `/api`), or ''. */
export function sitePath(key: string): string {
  const sep = key.indexOf('://');
  const slash = key.indexOf('/', sep < 0 ? 0 : sep + 3);
  return slash < 0 ? '' : key.slice(slash);
}
