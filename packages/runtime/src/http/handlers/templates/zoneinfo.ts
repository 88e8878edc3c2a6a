/** @module http/handlers/templates/zoneinfo: time zone abbreviations from the tzdata files Go reads. */
import { readFileSync } from 'node:fs';

const zoneAbbrevs = new Map<string, Array<[number, string]>>();

/** The (offset, abbreviation) pairs of a tzdata zone file, as Go reads them; empty when there is none. */
function tzifTypes(zone: string): Array<[number, string]> {
  const cached = zoneAbbrevs.get(zone);
  if (cached) return cached;
  let types: Array<[number, string]> = [];
  try {
    if (!/^[A-Za-z0-9_+\-/]+$/.test(zone) || zone.includes('..')) throw new Error('bad zone name');
    const b = readFileSync(`${process.env.ZONEINFO ?? '/usr/share/zoneinfo'}/${zone}`);
    if (b.toString('latin1', 0, 4) !== 'TZif') throw new Error('not TZif');
    // The first (32-bit) block is enough for the abbreviations.
    const [time, type, chars] = [32, 36, 40].map((o) => b.readUInt32BE(o)) as [number, number, number];
    const typeAt = 44 + time * 4 + time;
    const charAt = typeAt + type * 6;
    types = Array.from({ length: type }, (_, i) => {
      const off = b.readInt32BE(typeAt + i * 6);
      const idx = b[typeAt + i * 6 + 5]!;
      const end = b.indexOf(0, charAt + idx);
      return [off, b.toString('latin1', charAt + idx, end < 0 ? charAt + chars : end)] as [number, string];
    });
  } catch {
    types = [];
  }
  if (zoneAbbrevs.size < 64) zoneAbbrevs.set(zone, types);
  return types;
}

/**
 * The abbreviation Go prints for a zone at an offset: Intl's short name where it has one ("EST"), else the
 * zone file's name for that offset ("JST", "+09"), as Go reads the same tzdata.
 */
export function zoneAbbreviation(zone: string, offset: number, intlName: string): string {
  if (!/^GMT[+-]/.test(intlName) && intlName !== 'GMT') return intlName;
  const types = tzifTypes(zone);
  for (let i = types.length - 1; i >= 0; i--) if (types[i]![0] === offset) return types[i]![1];
  return intlName;
}
