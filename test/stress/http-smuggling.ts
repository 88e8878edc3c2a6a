/**
 * @module stress/http-smuggling: request framings RFC 9112 says a server must reject (or that let two parsers
 * disagree on where a request ends). Each must get 400 and a close. Bodies go to a route that reads them
 * (reverse_proxy), so that a bad chunked body is seen before a response goes out.
 */

export interface SmugglingCase {
  name: string;
  bytes: string;
}

const post = (headers: string, body: string): string =>
  `POST /proxy/echo HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n${body}`;

export const SMUGGLING: SmugglingCase[] = [
  {
    name: 'Content-Length with Transfer-Encoding',
    bytes: post(
      'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n',
      '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n',
    ),
  },
  {
    name: 'Transfer-Encoding with Content-Length',
    bytes: post('Transfer-Encoding: chunked\r\nContent-Length: 5\r\n', '0\r\n\r\n'),
  },
  { name: 'two different Content-Lengths', bytes: post('Content-Length: 5\r\nContent-Length: 6\r\n', 'hello!') },
  { name: 'a Content-Length list', bytes: post('Content-Length: 5, 6\r\n', 'hello!') },
  { name: 'obs-fold', bytes: 'GET /proxy/echo HTTP/1.1\r\nHost: localhost\r\nX-Folded: a\r\n b\r\n\r\n' },
  { name: 'bare LF line ends', bytes: 'GET /proxy/echo HTTP/1.1\nHost: localhost\n\n' },
  { name: 'bare LF inside the header', bytes: 'GET /proxy/echo HTTP/1.1\r\nHost: localhost\nX-A: b\r\n\r\n' },
  { name: 'chunk size not hex', bytes: post('Transfer-Encoding: chunked\r\n', 'zz\r\nabc\r\n0\r\n\r\n') },
  { name: 'negative chunk size', bytes: post('Transfer-Encoding: chunked\r\n', '-1\r\nabc\r\n0\r\n\r\n') },
  {
    name: 'chunk size overflowing 64 bits',
    bytes: post('Transfer-Encoding: chunked\r\n', 'fffffffffffffffff1\r\nabc\r\n0\r\n\r\n'),
  },
  { name: 'chunk size with 0x', bytes: post('Transfer-Encoding: chunked\r\n', '0x3\r\nabc\r\n0\r\n\r\n') },
  {
    name: 'chunk data longer than its size',
    bytes: post('Transfer-Encoding: chunked\r\n', '3\r\nabcdef\r\n0\r\n\r\n'),
  },
  {
    name: 'Transfer-Encoding: chunked, identity',
    bytes: post('Transfer-Encoding: chunked, identity\r\n', '0\r\n\r\n'),
  },
  {
    name: 'Transfer-Encoding twice',
    bytes: post('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'),
  },
  { name: 'whitespace before the colon', bytes: post('Transfer-Encoding : chunked\r\n', '0\r\n\r\n') },
  { name: 'Content-Length with a sign', bytes: post('Content-Length: +5\r\n', 'hello') },
  { name: 'no Host in HTTP/1.1', bytes: 'GET /proxy/echo HTTP/1.1\r\nX-A: b\r\n\r\n' },
  { name: 'two Host fields', bytes: 'GET /proxy/echo HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n' },
];
