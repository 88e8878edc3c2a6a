/**
 * @module http/h1/deadline: a connection deadline the way Go's net.Conn keeps one: moving it is setting a
 * field, not a timer. One node timer per deadline runs lazily behind it: when it fires before the deadline
 * (which moved on since) it is armed again for the rest, and it is replaced only when the deadline moves
 * earlier than it fires. A kept-alive connection thus sets no timer per request.
 */
/** The longest delay node's setTimeout takes (TIMEOUT_MAX). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Deadline {
  /** When the deadline passes (performance.now() ms: a clock step moves no deadline), 0 for none. */
  private at = 0;
  private timer: NodeJS.Timeout | undefined;
  /** When the running timer fires (performance.now() ms). */
  private timerAt = 0;
  private readonly fire = (): void => {
    this.timer = undefined;
    if (this.at === 0) return;
    const left = this.at - performance.now();
    if (left > 0) this.schedule(left);
    else {
      this.at = 0;
      this.onExpire();
    }
  };

  /** `onExpire` runs once the deadline passes without having been moved or cleared. */
  constructor(private readonly onExpire: () => void) {}

  /** Sets the deadline `ms` from now; 0 (or less) clears it. */
  set(ms: number): void {
    if (ms <= 0) {
      this.at = 0;
      return;
    }
    const at = performance.now() + ms;
    this.at = at;
    if (this.timer === undefined) this.schedule(ms);
    else if (at < this.timerAt) {
      clearTimeout(this.timer);
      this.schedule(ms);
    }
  }

  /** Clears the deadline (its timer, if any, finds nothing to do when it fires). */
  clear(): void {
    this.at = 0;
  }

  /** Clears the deadline and stops its timer (the connection is gone). */
  stop(): void {
    this.at = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    // node fires a longer timer at once (with a warning): a far deadline is reached in steps instead.
    const step = Math.min(ms, MAX_TIMER_MS);
    this.timerAt = performance.now() + step;
    this.timer = setTimeout(this.fire, step);
    this.timer.unref();
  }
}
