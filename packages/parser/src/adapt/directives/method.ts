/** @module method: the `method` handler directive (rewrites the request method). */
import type { RewriteHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import { oneArg } from './common.js';
import type { ModuleOfKind } from '../module.js';

export const MethodDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'method',
  syntax: 'method [<matcher>] <METHOD>',
  doc: 'Changes the request method.',
  parse: (h) => {
    h.next();
    return moduleObject<RewriteHandler>('handler', 'rewrite', { method: oneArg(h) });
  },
};
