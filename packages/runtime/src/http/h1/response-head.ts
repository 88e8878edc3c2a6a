/**
 * @module http/h1/response-head: the response head as Go writes it. node's ServerResponse always says
 * "HTTP/1.1" and names what it does with the connection; Go answers an HTTP/1.0 request with "HTTP/1.0",
 * says "keep-alive" only to HTTP/1.0 clients (which need it) and "close" only to HTTP/1.1 ones.
 */
import type http from 'node:http';

type HeadWriter = http.ServerResponse & {
  _header: string | null;
  _storeHeader(firstLine: string, headers: unknown): void;
};

/**
 * Adjusts the head node composes for this response, once composed (before it is sent); `beforeHead` may
 * still change whether the connection is kept.
 */
export function goResponseHead(res: http.ServerResponse, http10: boolean, beforeHead: () => void): void {
  const w = res as HeadWriter;
  const store = w._storeHeader;
  if (typeof store !== 'function') return;
  w._storeHeader = function goStoreHeader(this: HeadWriter, firstLine: string, headers: unknown): void {
    beforeHead();
    store.call(
      this,
      http10 && firstLine.startsWith('HTTP/1.1 ') ? `HTTP/1.0 ${firstLine.slice(9)}` : firstLine,
      headers,
    );
    if (typeof this._header !== 'string' || this.hasHeader('connection')) return;
    this._header = this._header.replace(
      http10 ? '\r\nConnection: close\r\n' : '\r\nConnection: keep-alive\r\n',
      '\r\n',
    );
  };
}
