/** @module http/handlers/log-append: `http.handlers.log_append`: adds a field to the access log entry. */
import type { RuntimeModule } from '../../modules.js';
import { compileTemplate } from '../../util/template.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';
import { logAppendSchema } from '@proxy/contract';

export const logAppend: RuntimeModule<Handler> = {
  id: 'http.handlers.log_append',
  kind: 'handler',
  doc: 'Adds a field to the access log entry.',
  schema: logAppendSchema,
  create(json, ctx) {
    const c = json as { key?: string; value?: string; early?: boolean };
    const value = compileTemplate(c.value ?? '', ctx.env);
    const key = c.key ?? '';
    return {
      async serve(r, w, next) {
        if (c.early) {
          r.logFields.set(key, value.render(requestResolver(r, w), true));
          return next(r, w);
        }
        try {
          await next(r, w);
        } finally {
          r.logFields.set(key, value.render(requestResolver(r, w), true));
        }
      },
    };
  },
};
