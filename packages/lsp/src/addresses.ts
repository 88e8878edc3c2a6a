/**
 * @module addresses: what a site address means for listening: its scheme, host and port, with Caddy's defaults
 * (`http://` -> 80, otherwise 443 unless a port is given).
 */

export interface SiteAddress {
  scheme: string;
  host: string;
  port: string;
}

/** Splits a site address the way Caddy's `ParseAddress` does, filling in the default port. */
export function siteAddress(text: string, httpPort = '80', httpsPort = '443'): SiteAddress {
  let rest = text;
  let scheme = '';
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    scheme = rest.slice(0, sep);
    rest = rest.slice(sep + 3);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) rest = rest.slice(0, slash);
  let host = rest;
  let port = '';
  const bracket = rest.lastIndexOf(']');
  const colon = rest.lastIndexOf(':');
  if (colon > bracket) {
    host = rest.slice(0, colon);
    port = rest.slice(colon + 1);
  }
  if (port === '') port = scheme === 'http' ? httpPort : httpsPort;
  return { scheme, host, port };
}
