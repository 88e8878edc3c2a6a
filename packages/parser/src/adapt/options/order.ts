/** @module options/order: `order <directive> first|last|before X|after X`. The result is the whole new order. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { isDirective } from '../registry.js';
import { defaultDirectiveOrder } from '../directives/order.js';
import type { ModuleOfKind } from '../module.js';

/** Parses `order`; `existing` is the order after earlier `order` options. */
export function parseOptOrder(d: Dispenser, existing: unknown): unknown {
  d.next();
  if (!d.next()) throw d.argErr();
  const name = d.val();
  if (!isDirective(name)) throw d.err(`${name} is not a registered directive`);
  if (!d.next()) throw d.argErr();
  const pos = d.val();
  const order = ((existing as string[] | undefined) ?? [...defaultDirectiveOrder]).filter((x) => x !== name);
  switch (pos) {
    case 'first':
    case 'last':
      if (d.nextArg()) throw d.argErr();
      return pos === 'first' ? [name, ...order] : [...order, name];
    case 'before':
    case 'after':
      break;
    default:
      throw d.err(`unknown positional '${pos}'`);
  }
  if (!d.nextArg()) throw d.argErr();
  const other = d.val();
  if (d.nextArg()) throw d.argErr();
  let i = order.indexOf(other);
  if (i < 0) throw d.err(`directive '${other}' not found`);
  if (pos === 'after') i++;
  order.splice(i, 0, name);
  return order;
}

export const OrderOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'order',
  syntax: 'order <directive> first|last|before <other>|after <other>',
  doc: 'Changes where a directive runs in the HTTP handler chain.',
  parse: parseOptOrder,
};
