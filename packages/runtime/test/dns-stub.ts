/** A tiny authoritative DNS server on loopback UDP answering TXT questions from a map (for dns-01 tests). */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface DnsStub {
  address: string;
  txt: Map<string, string>;
  close(): Promise<void>;
}

function readName(msg: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = start;
  while (msg[i]! > 0) {
    labels.push(msg.subarray(i + 1, i + 1 + msg[i]!).toString());
    i += 1 + msg[i]!;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 };
}

export async function startDnsStub(): Promise<DnsStub> {
  const txt = new Map<string, string>();
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const { name, end } = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const question = msg.subarray(12, end + 4);
    const value = qtype === 16 ? txt.get(name) : undefined;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(value === undefined ? 0x8403 : 0x8400, 2); // response, authoritative, NXDOMAIN or OK
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(value === undefined ? 0 : 1, 6);
    const parts = [header, question];
    if (value !== undefined) {
      const data = Buffer.concat([Buffer.from([value.length]), Buffer.from(value)]);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the name of the question
      rr.writeUInt16BE(16, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(0, 6);
      rr.writeUInt16BE(data.length, 10);
      parts.push(rr, data);
    }
    sock.send(Buffer.concat(parts), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(sock.address() as AddressInfo).port}`,
    txt,
    close: () => new Promise((resolve) => sock.close(() => resolve())),
  };
}
