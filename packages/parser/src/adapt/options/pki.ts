/** @module options/pki: `pki { ca [id] { name; root_cn; intermediate_cn; ...; root {..}; intermediate {..} } }`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { PkiKeyPair } from '@proxy/contract';
import { struct } from '../json.js';
import type { CAValue } from '../tls/pki-app.js';
import { durationArg } from './simple.js';
import type { ModuleOfKind } from '../module.js';

function keyPair(d: Dispenser, which: string): PkiKeyPair {
  const kp: Record<string, string> = {};
  for (const n = d.nesting(); d.nextBlock(n); ) {
    const field = ({ cert: 'certificate', key: 'private_key', format: 'format' } as Record<string, string>)[d.val()];
    if (!field) throw d.err(`unrecognized pki ca ${which} option '${d.val()}'`);
    if (!d.nextArg()) throw d.argErr();
    kp[field] = d.val();
  }
  return struct<PkiKeyPair>({ certificate: kp['certificate'], private_key: kp['private_key'], format: kp['format'] });
}

/** Parses `pki` into a list of CAs (the last occurrence of an id wins). */
export function parseOptPKI(d: Dispenser, existing: unknown): CAValue[] {
  d.next();
  const cas = new Map<string, CAValue>(((existing as CAValue[] | undefined) ?? []).map((c) => [c.id, c]));
  for (const n = d.nesting(); d.nextBlock(n); ) {
    if (d.val() !== 'ca') throw d.err(`unrecognized pki option '${d.val()}'`);
    const ca: CAValue = { id: '' };
    if (d.nextArg()) {
      ca.id = d.val();
      if (d.nextArg()) throw d.argErr();
    }
    if (ca.id === '') ca.id = 'local';
    for (const m = d.nesting(); d.nextBlock(m); ) {
      const sub = d.val();
      const one = (): string => {
        if (!d.nextArg()) throw d.argErr();
        return d.val();
      };
      switch (sub) {
        case 'name':
          ca.name = one();
          break;
        case 'root_cn':
          ca.root_common_name = one();
          break;
        case 'intermediate_cn':
          ca.intermediate_common_name = one();
          break;
        case 'intermediate_lifetime':
          ca.intermediate_lifetime = durationArg(d, one());
          break;
        case 'maintenance_interval':
          ca.maintenance_interval = durationArg(d, one());
          break;
        case 'renewal_window_ratio': {
          const v = Number(one());
          if (Number.isNaN(v)) throw d.err(`invalid renewal_window_ratio '${d.val()}'`);
          ca.renewal_window_ratio = v;
          break;
        }
        case 'root':
          ca.root = keyPair(d, 'root');
          break;
        case 'intermediate':
          ca.intermediate = keyPair(d, 'intermediate');
          break;
        default:
          throw d.err(`unrecognized pki ca option '${sub}'`);
      }
    }
    cas.set(ca.id, ca);
  }
  return [...cas.values()];
}

export const PkiOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'pki',
  syntax: 'pki { ca [<id>] { name; root_cn; intermediate_cn; intermediate_lifetime; root { }; intermediate { } } }',
  doc: 'Configures the local certificate authorities of the pki app.',
  subdirectives: [
    { name: 'ca', syntax: 'ca [<id>] { ... }', doc: 'A CA (id local by default).' },
    { name: 'name', syntax: 'name <name>', doc: "The CA's name." },
    { name: 'root_cn', syntax: 'root_cn <cn>', doc: "The root certificate's common name." },
    { name: 'intermediate_cn', syntax: 'intermediate_cn <cn>', doc: "The intermediate certificate's common name." },
    {
      name: 'intermediate_lifetime',
      syntax: 'intermediate_lifetime <duration>',
      doc: "The intermediate certificate's lifetime.",
    },
    {
      name: 'root',
      syntax: 'root { cert <path>; key <path>; format pem_file }',
      doc: 'Loads the root certificate and key from files.',
    },
    {
      name: 'intermediate',
      syntax: 'intermediate { cert <path>; key <path>; format pem_file }',
      doc: 'Loads the intermediate certificate and key from files.',
    },
  ],
  parse: parseOptPKI,
};
