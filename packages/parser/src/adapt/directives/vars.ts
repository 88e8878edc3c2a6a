/** @module vars: the `vars` handler directive (`vars [name value]` and/or a block of `name value` lines). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, type JsonObject } from '../json.js';
import type { ModuleOfKind } from '../module.js';

function nextVar(d: Dispenser, vars: JsonObject, headerLine: boolean): void {
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
    const vars: JsonObject = {};
    h.next();
    nextVar(h, vars, true);
    while (h.nextBlock(0)) nextVar(h, vars, false);
    return moduleObject('handler', 'vars', vars);
  },
};
