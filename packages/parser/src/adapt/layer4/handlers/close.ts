/** @module layer4/handlers/close: the `close` handler, which closes the connection. */
import { handler } from '../registry.js';
import { bareModule } from '../syntax.js';

/** `close`: no arguments, no block; JSON `{"handler": "close"}`. */
export const HandleClose = handler(
  'close',
  {
    syntax: 'close',
    doc: 'Closes the connection.',
  },
  (d) => {
    bareModule(d, 'handler');
    return {};
  },
);
