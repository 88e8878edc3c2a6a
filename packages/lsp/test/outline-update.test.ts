/**
 * The outline updated after an edit inside one block (outline-update.ts) is the outline of the new text: random
 * edits, braces, quotes and comments included, compared token by token and entry by entry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outline, type Outline } from '../src/outline.js';
import { updatedOutline } from '../src/outline-update.js';
import { applyEdit, editSequences } from './random-edits.js';

const BASE = [
  '{',
  '\tadmin off # no admin',
  '}',
  '(common) {',
  '\theader X-Common 1',
  '}',
  'a.test:8081 {',
  '\t@api path /api/*',
  '\timport common',
  '\treverse_proxy @api localhost:9000 {',
  '\t\tlb_policy first # pick the first',
  '\t}',
  '\trespond "a"',
  '}',
  '# between',
  'b.test:8082, c.test {',
  '\trespond `b` 200',
  '}',
  '',
].join('\n');

/** What an outline says, in plain data. */
function shape(o: Outline): unknown {
  return {
    tokens: o.tokens.map((t) => [t.text, t.quote, t.line, { ...t.range }]),
    comments: o.comments.map((k) => ({ ...k })),
    entries: o.entries.map((e) => [e.tokens.map((t) => t.text), e.depth, e.top, e.block, e.parent?.tokens[0]?.text]),
  };
}

describe('the outline after an edit inside one block', () => {
  it('is the outline of the new text, for random edits', () => {
    const pieces = [...'ab \n\t{}"`#\\@*/:0'.split(''), 'respond', '# note', '\n\tfoo bar'];
    let updated = 0;
    fc.assert(
      fc.property(editSequences(pieces), (edits) => {
        let text = BASE;
        let o = outline(text, 'Caddyfile');
        for (const e of edits) {
          const next = applyEdit(text, e);
          const fresh = outline(next, 'Caddyfile');
          const got = updatedOutline(o, text, next, 'Caddyfile');
          if (got) {
            updated++;
            expect(shape(got)).toEqual(shape(fresh));
          }
          o = got ?? fresh;
          text = next;
        }
      }),
      { numRuns: 400, seed: 4122026 },
    );
    expect(updated).toBeGreaterThan(400);
  });
});
