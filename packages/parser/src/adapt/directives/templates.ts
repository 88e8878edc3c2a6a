/** @module templates: the `templates` handler directive (mime types, delimiters, file root). */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';

/** Registers `templates`. */
export function register(): void {
  registerHandlerDirective('templates', (h) => {
    h.next();
    const out: JsonObject = {};
    while (h.nextBlock(0)) {
      switch (h.val()) {
        case 'mime': {
          const m = h.remainingArgs();
          if (m.length === 0) throw h.argErr();
          out.mime_types = m;
          break;
        }
        case 'between': {
          const b = h.remainingArgs();
          if (b.length !== 2) throw h.argErr();
          out.delimiters = b;
          break;
        }
        case 'root': {
          const r = h.args(1);
          if (!r) throw h.argErr();
          out.file_root = r[0];
          break;
        }
        case 'extensions': {
          if (h.nextArg()) throw h.argErr();
          for (const nesting = h.nesting(); h.nextBlock(nesting); ) {
            const id = `http.handlers.templates.functions.${h.val()}`;
            throw h.err(`getting module named '${id}': module not registered: ${id}`);
          }
          break;
        }
      }
    }
    if (out.file_root === '') delete out.file_root;
    return moduleObject('handler', 'templates', out);
  });
}
