/** @module layer4/tls/pem: PEM certificate files to base64 DER, as Caddy inlines them (`convertPEMFilesToDER`). */
import { readFileSync } from 'node:fs';

/** The base64 DER of every certificate in a PEM file, or an error message. */
export function pemFileToDER(file: string): string[] | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return `open ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String(e)}`;
  }
  const out: string[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!.replace(/\s+/g, ''));
  if (out.length === 0) return `no certificates found in ${file}`;
  return out;
}
