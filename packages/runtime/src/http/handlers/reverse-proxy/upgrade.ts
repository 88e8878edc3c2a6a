/** @module http/handlers/reverse-proxy/upgrade: relays connections that switched protocols (WebSocket). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { HandlerError } from '../../errors.js';
import { Header } from '../../header.js';
import type { HttpRequest } from '../../request.js';
import type { ResponseWriter } from '../../response.js';

/** An upstream connection that switched protocols. */
export interface Upgraded {
  upgraded: true;
  res: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

/** Relays a switched (101) connection both ways until either side closes. */
export async function switchProtocols(up: Upgraded, r: HttpRequest, w: ResponseWriter): Promise<void> {
  const client = r.upgrade;
  if (!client) {
    up.socket.destroy();
    throw new HandlerError(502, 'upstream switched protocols on a request that did not ask to');
  }
  const h = Header.fromNode(up.res.headers);
  for (const [k, v] of h.entries()) w.header.set(k, v);
  w.writeHead(101);
  if (up.head.length) client.socket.write(up.head);
  if (client.head.length) up.socket.write(client.head);
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        client.socket.destroy();
        up.socket.destroy();
        resolve();
      }
    };
    client.socket.on('error', finish);
    up.socket.on('error', finish);
    client.socket.on('close', finish);
    up.socket.on('close', finish);
    client.socket.pipe(up.socket);
    up.socket.pipe(client.socket);
    client.socket.resume();
  });
}
