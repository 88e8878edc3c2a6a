/** @module vars: the `vars` handler directive (`vars [name value]` and/or a block of `name value` lines). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { VarsHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import type { ModuleOfKind } from '../module.js';

function nextVar(d: Dispenser, vars: StructFields<VarsHandler>, headerLine: boolean): void {
  if (headerLine && !d.nextArg()) return;
  const name = d.val();
  if (!d.nextArg()) throw d.argErr();
  vars[name] = d.scalarVal();
  if (d.nextArg()) throw d.argErr();
}

export const VarsDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'vars',
  syntax: 'vars [<matcher>] [<name> <value>] { <name> <value>... }',
  doc: 'Sets request variables.',
  parse: (h) => {
    const vars: StructFields<VarsHandler> = {};
    h.next();
    nextVar(h, vars, true);
    while (h.nextBlock(0)) nextVar(h, vars, false);
    return moduleObject<VarsHandler>('handler', 'vars', vars);
  },
};
