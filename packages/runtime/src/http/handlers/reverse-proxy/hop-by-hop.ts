/** @module http/handlers/reverse-proxy/hop-by-hop: header fields that apply to one connection only. */
import type { Header } from '../../header.js';

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** Removes hop-by-hop fields, including those the Connection field names. */
export function stripHopByHop(h: Header): void {
  for (const c of h.values('connection')) for (const f of c.split(',')) if (f.trim()) h.delete(f.trim());
  for (const f of HOP_BY_HOP) h.delete(f);
}
