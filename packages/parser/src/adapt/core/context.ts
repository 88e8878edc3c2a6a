/** @module context: what one adaptation shares across stages: options, state, directive order, warnings. */
import type { Diagnostic } from '../../diagnostics.js';
import type { Token } from '../../caddyfile/token.js';
import { defaultDirectiveOrder } from '../directives/order.js';
import { tokenOf } from './errors.js';

/** Shared state of one `adapt` call. */
export class AdaptContext {
  /** Global options by name (Caddy's `options` map). */
  readonly options = new Map<string, unknown>();
  /** Caddy's `State`: shared by all directive parsers of the site blocks. */
  readonly state = new Map<string, unknown>();
  /** The directive order, a per-adaptation copy (the `order` option edits it). */
  readonly order: string[] = [...defaultDirectiveOrder];
  readonly warnings: Diagnostic[] = [];
  /** What the stages threw, in order, each with the token to place it at when the error carries none. */
  readonly errors: { error: Error; at?: Token }[] = [];

  /** Whether the blocks' keys said the file's layout is wrong (its errors are all there is then). */
  structureFailed = false;
  /** Where the assembly stage's errors and warnings start in `errors` and `warnings`, once it started. */
  assemblyFrom?: { errors: number; warnings: number };

  /** Errors found after the one a unit throws (nested directives skipped), reported right after it. */
  private readonly deferred: Error[] = [];

  /**
   * Runs one unit of the input (a global option, a site, a directive segment): an error it throws is recorded
   * and the caller goes on with the next unit, so one run reports every problem it can reach.
   */
  attempt<T>(run: () => T, at?: Token): T | undefined {
    const mark = this.deferred.length;
    try {
      const value = run();
      // A unit that recovered from a nested failure itself has nothing to report.
      this.deferred.length = mark;
      return value;
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // The thrown one is Caddy's (the first it meets); the nested ones skipped meanwhile follow in source order.
      const rest = this.deferred
        .splice(mark)
        .sort((x, y) => (tokenOf(x)?.range.offset ?? 0) - (tokenOf(y)?.range.offset ?? 0));
      this.errors.push({ error: e, at }, ...rest.map((error) => ({ error })));
      return undefined;
    }
  }

  /** Records errors to report after the one being thrown (see `attempt`). */
  defer(errors: Error[]): void {
    this.deferred.push(...errors);
  }

  /** Records a warning at a token (or the start of the file). */
  warn(message: string, token?: Token): void {
    const r = token?.range;
    this.warnings.push({
      severity: 'warning',
      code: 'adapt-warning',
      message,
      file: r?.file ?? 'Caddyfile',
      line: r?.line ?? 1,
      column: r?.column ?? 1,
      endLine: r?.endLine ?? 1,
      endColumn: r?.endColumn ?? 1,
    });
  }
}
