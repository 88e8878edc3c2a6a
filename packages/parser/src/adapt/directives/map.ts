/** @module map: the `map` handler directive (source placeholder -> destination placeholders, by literal or `~regexp` input). */
import type { Helper } from '../helper.js';
import type { MapHandler } from '@proxy/contract';
import { moduleObject, type JsonValue, type StructFields } from '../json.js';
import { shorthandFor } from '../shorthands.js';
import type { ModuleOfKind } from '../module.js';

function parseMap(h: Helper): MapHandler {
  h.next();
  if (!h.nextArg()) throw h.argErr();
  const source = h.val();
  const destinations = h.remainingArgs();
  if (destinations.length === 0) throw h.err('missing destination argument(s)');
  for (const dest of destinations) {
    const sh = shorthandFor(dest);
    if (sh) throw h.err(`destination ${sh} conflicts with a Caddyfile placeholder shorthand`);
  }
  let defaults: string[] = [];
  const mappings: NonNullable<MapHandler['mappings']> = [];
  while (h.nextBlock(0)) {
    if (h.val() === 'default') {
      if (defaults.length > 0) throw h.err('defaults already defined');
      defaults = h.remainingArgs();
      while (defaults.length < destinations.length) defaults.push('');
      continue;
    }
    const input = h.val();
    const outputs: JsonValue[] = [];
    while (h.nextArg()) {
      const v = h.scalarVal();
      outputs.push(v === '-' ? null : v);
    }
    if (outputs.length > destinations.length) throw h.err('too many outputs');
    while (outputs.length < destinations.length) outputs.push(null);
    mappings.push(input.startsWith('~') ? { input_regexp: input.slice(1), outputs } : { input, outputs });
  }
  const out: StructFields<MapHandler> = { source, destinations };
  if (mappings.length > 0) out.mappings = mappings;
  if (defaults.length > 0) out.defaults = defaults;
  return moduleObject<MapHandler>('handler', 'map', out);
}

export const MapDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'map',
  syntax: 'map [<matcher>] <source> <destinations...> { [~]<input> <outputs...>; default <defaults...> }',
  doc: 'Sets variables (destinations) by mapping a source value through a table.',
  subdirectives: [{ name: 'default', syntax: 'default <outputs...>', doc: 'The outputs when no input matches.' }],
  parse: parseMap,
};
