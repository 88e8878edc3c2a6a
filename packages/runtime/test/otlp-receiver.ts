/**
 * A tiny OTLP/HTTP trace receiver for tests: collects POST /v1/traces bodies and decodes them (protobuf, with a
 * minimal wire-format walker for the fields the tests read, or JSON) into plain spans.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number>;
  resource: Record<string, string | number>;
}

export interface Receiver {
  url: string;
  spans: ReceivedSpan[];
  contentTypes: string[];
  close(): Promise<void>;
}

type Fields = Map<number, Array<Buffer | bigint>>;

/** Decodes one protobuf message into its fields: varints and fixed numbers as bigint, the rest as bytes. */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; i < buf.length; shift += 7n) {
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    return v;
  };
  while (i < buf.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    let v: Buffer | bigint;
    switch (tag & 7) {
      case 0:
        v = varint();
        break;
      case 1:
        v = buf.readBigUInt64LE(i);
        i += 8;
        break;
      case 2: {
        const n = Number(varint());
        v = buf.subarray(i, i + n);
        i += n;
        break;
      }
      case 5:
        v = BigInt(buf.readUInt32LE(i));
        i += 4;
        break;
      default:
        throw new Error(`unexpected wire type ${tag & 7}`);
    }
    const list = out.get(field) ?? [];
    list.push(v);
    out.set(field, list);
  }
  return out;
}

const bytes = (f: Fields, n: number): Buffer[] => (f.get(n) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v));
const one = (f: Fields, n: number): Buffer => bytes(f, n)[0] ?? Buffer.alloc(0);

function keyValues(list: Buffer[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const kv of list) {
    const f = fields(kv);
    const any = fields(one(f, 2));
    const str = bytes(any, 1)[0];
    const int = any.get(3)?.[0];
    out[one(f, 1).toString()] = str !== undefined ? str.toString() : typeof int === 'bigint' ? Number(int) : '';
  }
  return out;
}

function decodeProto(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of bytes(fields(body), 1)) {
    const rsf = fields(rs);
    const resource = keyValues(bytes(fields(one(rsf, 1)), 1));
    for (const ss of bytes(rsf, 2)) {
      for (const sp of bytes(fields(ss), 2)) {
        const f = fields(sp);
        spans.push({
          traceId: one(f, 1).toString('hex'),
          spanId: one(f, 2).toString('hex'),
          parentSpanId: one(f, 4).toString('hex'),
          name: one(f, 5).toString(),
          kind: Number(f.get(6)?.[0] ?? 0),
          attributes: keyValues(bytes(f, 9)),
          resource,
        });
      }
    }
  }
  return spans;
}

interface JsonKv {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}

function jsonKvs(list: JsonKv[] | undefined): Record<string, string | number> {
  return Object.fromEntries(
    (list ?? []).map((kv) => [kv.key, kv.value.stringValue ?? Number(kv.value.intValue ?? Number.NaN)]),
  );
}

function decodeJson(body: Buffer): ReceivedSpan[] {
  const doc = JSON.parse(body.toString()) as {
    resourceSpans: Array<{
      resource?: { attributes?: JsonKv[] };
      scopeSpans: Array<{
        spans: Array<{
          traceId: string;
          spanId: string;
          parentSpanId?: string;
          name: string;
          kind: number;
          attributes?: JsonKv[];
        }>;
      }>;
    }>;
  };
  return doc.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        name: s.name,
        kind: s.kind,
        attributes: jsonKvs(s.attributes),
        resource: jsonKvs(rs.resource?.attributes),
      })),
    ),
  );
}

/** Starts a receiver on a loopback port. */
export async function startReceiver(): Promise<Receiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const type = req.headers['content-type'] ?? '';
      contentTypes.push(type);
      const body = Buffer.concat(chunks);
      try {
        if (req.url !== '/v1/traces') throw new Error(`unexpected path ${req.url}`);
        spans.push(...(type.includes('json') ? decodeJson(body) : decodeProto(body)));
        res.writeHead(200, { 'content-type': type }).end(type.includes('json') ? '{}' : '');
      } catch (e) {
        res.writeHead(400).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
