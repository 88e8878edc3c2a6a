/** @module diff/scenarios: every scenario of the differential suite, by family. */
import type { Scenario } from '../types.js';
import { basics } from './basics.js';
import { deliberate } from './deliberate.js';
import { errors } from './errors.js';
import { expression } from './expression.js';
import { extra } from './extra.js';
import { files } from './files.js';
import { headers } from './headers.js';
import { matchers } from './matchers.js';
import { metrics } from './metrics.js';
import { misc } from './misc.js';
import { php } from './php.js';
import { placeholders } from './placeholders.js';
import { proxy } from './proxy.js';
import { routing } from './routing.js';
import { templates } from './templates.js';
import { tls } from './tls.js';

export const scenarios: Scenario[] = [
  ...basics,
  ...routing,
  ...headers,
  ...errors,
  ...files,
  ...templates,
  ...proxy,
  ...php,
  ...matchers,
  ...expression,
  ...placeholders,
  ...tls,
  ...misc,
  ...metrics,
  ...extra,
  ...deliberate,
];

const names = new Set<string>();
for (const s of scenarios) {
  if (names.has(s.name)) throw new Error(`duplicate scenario name ${s.name}`);
  names.add(s.name);
}
