/** @module layer4/handlers/tee: the `tee` handler, which runs a branch of handlers on a copy of the stream. */
import { struct } from '../../json.js';
import { parseHandlers } from '../nested.js';
import { handler, type Layer4HandlerFields } from '../registry.js';
import { consumeName, noArgs } from '../syntax.js';

/** `tee { <handler> [<args...>] ... }` -> `{"branch": [handlers]}`; then calls the next handler. */
export const HandleTee = handler(
  'tee',
  {
    syntax: 'tee { <handler> [<args...>] ... }',
    doc: 'Runs a branch of handlers on a copy of the stream, then the next handler.',
  },
  (d) => {
    consumeName(d);
    noArgs(d);
    return struct<Layer4HandlerFields<'tee'>>({ branch: parseHandlers(d) });
  },
);
