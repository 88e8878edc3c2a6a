/** @module templates: the `templates` handler directive (mime types, delimiters, file root). */
import type { TemplatesHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import type { ModuleOfKind } from '../module.js';

export const TemplatesDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'templates',
  syntax: 'templates [<matcher>] { mime <types...>; between <open> <close>; root <path> }',
  doc: 'Executes responses as Go templates.',
  subdirectives: [
    { name: 'mime', syntax: 'mime <types...>', doc: 'The MIME types to execute.' },
    { name: 'between', syntax: 'between <open> <close>', doc: 'The template delimiters.' },
    { name: 'root', syntax: 'root <path>', doc: 'The root for file includes.' },
  ],
  parse: (h) => {
    h.next();
    const out: StructFields<TemplatesHandler> = {};
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
    return moduleObject<TemplatesHandler>('handler', 'templates', out);
  },
};
