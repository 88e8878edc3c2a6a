/**
 * @module http/h1/response-head: the response head as Go writes it. node's ServerResponse always says
 * "HTTP/1.1" and adds "Connection: keep-alive" to every kept-alive response; Go answers an HTTP/1.0
 * request with "HTTP/1.0" and names keep-alive only to HTTP/1.0 clients (which need it).
 */
import type http from 'node:http';

type HeadWriter = http.ServerResponse & {
  _header: string | null;
  _storeHeader(firstLine: string, headers: unknown): void;
};

/** Adjusts the head node composes for this response, once composed (before it is sent). */
export function goResponseHead(res: http.ServerResponse, http10: boolean): void {
  const w = res as HeadWriter;
  const store = w._storeHeader;
  if (typeof store !== 'function') return;
  w._storeHeader = function goStoreHeader(this: HeadWriter, firstLine: string, headers: unknown): void {
    store.call(this, http10 && firstLine.startsWith('HTTP/1.1 ') ? `HTTP/1.0 ${firstLine.slice(9)}` : firstLine, headers);
    if (!http10 && typeof this._header === 'string' && !this.hasHeader('connection')) this._header = this._header.replace('\r\nConnection: keep-alive\r\n', '\r\n');
  };
}
