/** @module layer4/handlers/vars: the `vars` handler, which sets connection variables (`{l4.vars.<name>}`). */
import type { JsonObject } from '../../json.js';
import { handler } from '../registry.js';

/**
 * `vars [<name> <value>] { <name> <value> ... }` -> `{"<name>": <value>}`; unquoted values that read as
 * numbers or booleans become JSON numbers or booleans.
 */
export const HandleVars = handler(
  'vars',
  {
    syntax: 'vars [<key> <value>] { <key> <value> ... }',
    doc: 'Sets layer4 variables.',
  },
  (d) => {
    const vars: JsonObject = {};
    const nextVar = (headerLine: boolean): void => {
      if (headerLine && !d.nextArg()) return;
      const name = d.val();
      if (!d.nextArg()) throw d.argErr();
      vars[name] = d.scalarVal();
      if (d.nextArg()) throw d.argErr();
    };
    d.next();
    nextVar(true);
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) nextVar(false);
    return vars;
  },
);
