/**
 * @module http/sniff: Go's http.DetectContentType (the WHATWG MIME sniffing subset Go implements), which
 * net/http applies to the first body bytes of a response that has no Content-Type field.
 */

const SNIFF_LEN = 512;

const isWS = (b: number): boolean => b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20;

type Sig = (data: Buffer, firstNonWS: number) => string;

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

function exact(sig: string, ct: string): Sig {
  const p = bytes(sig);
  return (d) => (d.length >= p.length && d.subarray(0, p.length).equals(p) ? ct : '');
}

function masked(mask: string, pat: string, ct: string, skipWS = false): Sig {
  const m = bytes(mask);
  const p = bytes(pat);
  return (d, ws) => {
    const data = skipWS ? d.subarray(ws) : d;
    if (data.length < p.length) return '';
    for (let i = 0; i < p.length; i++) if ((data[i]! & m[i]!) !== p[i]) return '';
    return ct;
  };
}

function html(tag: string): Sig {
  const h = bytes(tag);
  return (d, ws) => {
    const data = d.subarray(ws);
    if (data.length < h.length + 1) return '';
    for (let i = 0; i < h.length; i++) {
      let db = data[i]!;
      if (h[i]! >= 0x41 && h[i]! <= 0x5a) db &= 0xdf;
      if (db !== h[i]) return '';
    }
    const tt = data[h.length];
    return tt === 0x20 || tt === 0x3e ? 'text/html; charset=utf-8' : '';
  };
}

const mp4: Sig = (d) => {
  if (d.length < 12) return '';
  const boxSize = d.readUInt32BE(0);
  if (d.length < boxSize || boxSize % 4 !== 0) return '';
  if (d.toString('latin1', 4, 8) !== 'ftyp') return '';
  for (let st = 8; st < boxSize; st += 4) {
    if (st === 12) continue; // the minor version number
    if (d.toString('latin1', st, st + 3) === 'mp4') return 'video/mp4';
  }
  return '';
};

const text: Sig = (d, ws) => {
  for (let i = ws; i < d.length; i++) {
    const b = d[i]!;
    if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return '';
  }
  return 'text/plain; charset=utf-8';
};

const FF4 = '\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF';

/** In Go's order: the first match wins, text is the last resort. */
const SIGNATURES: Sig[] = [
  ...[
    '<!DOCTYPE HTML',
    '<HTML',
    '<HEAD',
    '<SCRIPT',
    '<IFRAME',
    '<H1',
    '<DIV',
    '<FONT',
    '<TABLE',
    '<A',
    '<STYLE',
    '<TITLE',
    '<B',
    '<BODY',
    '<BR',
    '<P',
    '<!--',
  ].map(html),
  masked('\xFF\xFF\xFF\xFF\xFF', '<?xml', 'text/xml; charset=utf-8', true),
  exact('%PDF-', 'application/pdf'),
  exact('%!PS-Adobe-', 'application/postscript'),
  masked('\xFF\xFF\x00\x00', '\xFE\xFF\x00\x00', 'text/plain; charset=utf-16be'),
  masked('\xFF\xFF\x00\x00', '\xFF\xFE\x00\x00', 'text/plain; charset=utf-16le'),
  masked('\xFF\xFF\xFF\x00', '\xEF\xBB\xBF\x00', 'text/plain; charset=utf-8'),
  exact('\x00\x00\x01\x00', 'image/x-icon'),
  exact('\x00\x00\x02\x00', 'image/x-icon'),
  exact('BM', 'image/bmp'),
  exact('GIF87a', 'image/gif'),
  exact('GIF89a', 'image/gif'),
  masked('\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF', 'RIFF\x00\x00\x00\x00WEBPVP', 'image/webp'),
  exact('\x89PNG\x0D\x0A\x1A\x0A', 'image/png'),
  exact('\xFF\xD8\xFF', 'image/jpeg'),
  masked(FF4, 'FORM\x00\x00\x00\x00AIFF', 'audio/aiff'),
  masked('\xFF\xFF\xFF', 'ID3', 'audio/mpeg'),
  masked('\xFF\xFF\xFF\xFF\xFF', 'OggS\x00', 'application/ogg'),
  masked('\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF', 'MThd\x00\x00\x00\x06', 'audio/midi'),
  masked(FF4, 'RIFF\x00\x00\x00\x00AVI ', 'video/avi'),
  masked(FF4, 'RIFF\x00\x00\x00\x00WAVE', 'audio/wave'),
  mp4,
  exact('\x1A\x45\xDF\xA3', 'video/webm'),
  masked(`${'\x00'.repeat(34)}\xFF\xFF`, `${'\x00'.repeat(34)}LP`, 'application/vnd.ms-fontobject'),
  exact('\x00\x01\x00\x00', 'font/ttf'),
  exact('OTTO', 'font/otf'),
  exact('ttcf', 'font/collection'),
  exact('wOFF', 'font/woff'),
  exact('wOF2', 'font/woff2'),
  exact('\x1F\x8B\x08', 'application/x-gzip'),
  exact('PK\x03\x04', 'application/zip'),
  exact('Rar!\x1A\x07\x00', 'application/x-rar-compressed'),
  exact('Rar!\x1A\x07\x01\x00', 'application/x-rar-compressed'),
  exact('\x00\x61\x73\x6D', 'application/wasm'),
  text,
];

/** Go's http.DetectContentType: always a valid MIME type, "application/octet-stream" when nothing fits. */
export function detectContentType(body: Buffer): string {
  const data = body.length > SNIFF_LEN ? body.subarray(0, SNIFF_LEN) : body;
  let ws = 0;
  while (ws < data.length && isWS(data[ws]!)) ws++;
  for (const sig of SIGNATURES) {
    const ct = sig(data, ws);
    if (ct) return ct;
  }
  return 'application/octet-stream';
}
