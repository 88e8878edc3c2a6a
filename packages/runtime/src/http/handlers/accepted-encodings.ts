/** @module http/handlers/accepted-encodings: Caddy's encode.AcceptedEncodings: Accept-Encoding by q-value, then server preference. */
import type { HttpRequest } from '../request.js';

/**
 * The encodings the client accepts, best first: by descending q-value (q=0 means "not acceptable"), ties broken
 * by `preferred` (earlier is better). WebSocket handshakes accept only identity.
 */
export function acceptedEncodings(r: HttpRequest, preferred: readonly string[]): string[] {
  const header = r.headers.get('accept-encoding');
  if (!header) return [];
  const ws = !!r.headers.get('sec-websocket-key');
  const prefs: Array<{ enc: string; q: number; order: number }> = [];
  for (const accepted of header.split(',')) {
    const parts = accepted.split(';');
    const enc = parts[0]!.trim().toLowerCase();
    let q = 1;
    if (parts.length > 1) {
      const qs = parts[1]!.trim().toLowerCase();
      if (qs.startsWith('q=')) {
        const v = qs.slice(2);
        const f = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(v) ? Number(v) : NaN;
        if (f >= 0 && f <= 1) q = f;
      }
    }
    if (q < 0.00001) continue;
    if (ws && enc !== 'identity') continue;
    const i = preferred.indexOf(enc);
    prefs.push({ enc, q, order: i < 0 ? -1 : preferred.length - i });
  }
  prefs.sort((a, b) => (Math.abs(a.q - b.q) < 0.00001 ? b.order - a.order : b.q - a.q));
  return prefs.map((p) => p.enc);
}
