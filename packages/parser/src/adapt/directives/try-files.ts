/** @module try-files: the `try_files` directive: rewrite to the first file that exists (routes with `file` matchers, one group). */
import type { Helper } from '../helper.js';
import type { RewriteHandler } from '@proxy/contract';
import { moduleObject, type JsonObject } from '../json.js';
import type { ConfigValue } from '../registry.js';
import type { ModuleOfKind } from '../module.js';

const POLICIES = new Set([
  'first_exist',
  'first_exist_fallback',
  'largest_size',
  'smallest_size',
  'most_recently_modified',
]);

function parseTryFiles(h: Helper): ConfigValue[] {
  if (!h.next()) throw h.argErr();
  const tryFiles = h.remainingArgs();
  if (tryFiles.length === 0) throw h.argErr();
  let policy = '';
  while (h.nextBlock(0)) {
    if (h.val() !== 'policy') continue;
    if (policy !== '') throw h.err('try policy already configured');
    if (!h.nextArg()) throw h.argErr();
    policy = h.val();
    if (!POLICIES.has(policy)) throw h.err(`unrecognized try policy: ${policy}`);
  }
  const makeRoute = (files: string[], query: string): ConfigValue[] => {
    const file: JsonObject = { try_files: files };
    if (policy) file.try_policy = policy;
    return h.newRoute(
      { file },
      moduleObject<RewriteHandler>('handler', 'rewrite', { uri: `{http.matchers.file.relative}${query}` }),
    );
  };
  const result: ConfigValue[] = [];
  let pending: string[] = [];
  for (const item of tryFiles) {
    const idx = item.indexOf('?');
    if (idx >= 0) {
      if (pending.length > 0) {
        result.push(...makeRoute(pending, ''));
        pending = [];
      }
      result.push(...makeRoute([item.slice(0, idx)], item.slice(idx)));
      continue;
    }
    pending.push(item);
  }
  if (pending.length > 0) result.push(...makeRoute(pending, ''));
  h.groupRoutes(result);
  return result;
}

export const TryFilesDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'try_files',
  syntax:
    'try_files <files...> { policy first_exist|first_exist_fallback|smallest_size|largest_size|most_recently_modified }',
  doc: 'Rewrites the request to the first of these files that exists.',
  subdirectives: [
    {
      name: 'policy',
      syntax: 'policy first_exist|first_exist_fallback|smallest_size|largest_size|most_recently_modified',
      doc: 'How to choose among existing files.',
    },
  ],
  parse: parseTryFiles,
};
