/** @module layer4/handlers/vars: `layer4.handlers.vars` — sets connection variables (`{l4.vars.<name>}`). */
import type { Connection } from '../connection.js';
import { compileTemplate, type Template } from '../placeholders.js';
import type { HandlerFactory, Next } from '../types.js';

export const createVarsHandler: HandlerFactory = (json) => {
  const entries: Array<{ key: Template; value: Template | unknown }> = Object.entries(json)
    .filter(([k]) => k !== 'handler')
    .map(([k, v]) => ({ key: compileTemplate(k), value: typeof v === 'string' ? compileTemplate(v) : v }));
  return {
    async handle(cx: Connection, next: Next) {
      for (const { key, value } of entries) {
        const v = isTemplate(value) ? value.render(cx) : value;
        cx.vars.set(`l4.vars.${key.render(cx)}`, v);
      }
      return next(cx);
    },
  };
};

function isTemplate(v: unknown): v is Template {
  return typeof v === 'object' && v !== null && 'render' in v && 'source' in v;
}
