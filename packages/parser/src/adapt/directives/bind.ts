/** @module directives/bind: `bind <addresses...> [{ protocols ... }]`: the interfaces a site listens on. */
import type { Helper } from '../helper.js';
import type { ConfigValue } from '../registry.js';
import type { BindValue } from '../core/helper-impl.js';
import type { ModuleOfKind } from '../module.js';

/** Parses `bind` into a `bind` config value. */
export function parseBind(h: Helper): ConfigValue[] {
  h.next();
  const addresses = h.remainingArgs();
  let protocols: string[] | undefined;
  for (const n = h.nesting(); h.nextBlock(n); ) {
    switch (h.val()) {
      case 'protocols':
        protocols = h.remainingArgs();
        if (protocols.length === 0) throw h.err('protocols requires one or more arguments');
        break;
      default:
        throw h.err(`unknown subdirective: ${h.val()}`);
    }
  }
  const value: BindValue = { addresses, protocols };
  return [{ class: 'bind', value }];
}

export const BindDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'bind',
  syntax: 'bind <addresses...> { protocols <h1|h2|h2c|h3...> }',
  doc: "Sets the addresses the site's listeners bind to.",
  subdirectives: [
    { name: 'protocols', syntax: 'protocols <h1|h2|h2c|h3...>', doc: 'The protocols of these listeners.' },
  ],
  parse: parseBind,
};
