/** A connection deadline moves without a timer per move, and still expires exactly once when it passes. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline } from '../src/http/h1/deadline.js';

describe('Deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires once when the deadline passes', () => {
    const fired = vi.fn();
    const d = new Deadline(fired);
    d.set(100);
    vi.advanceTimersByTime(99);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('follows a deadline moved later, and one moved earlier than its timer', () => {
    const fired = vi.fn();
    const d = new Deadline(fired);
    d.set(100);
    vi.advanceTimersByTime(50);
    d.set(100);
    // The first timer fires at 100 and finds the deadline at 150.
    vi.advanceTimersByTime(90);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20);
    expect(fired).toHaveBeenCalledTimes(1);
    d.set(10_000);
    vi.advanceTimersByTime(10);
    d.set(20);
    vi.advanceTimersByTime(19);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2);
    expect(fired).toHaveBeenCalledTimes(2);
  });

  it('does not expire once cleared or stopped, and can be set again', () => {
    const fired = vi.fn();
    const d = new Deadline(fired);
    d.set(100);
    d.clear();
    vi.advanceTimersByTime(500);
    d.set(0);
    vi.advanceTimersByTime(500);
    expect(fired).not.toHaveBeenCalled();
    d.set(100);
    d.stop();
    vi.advanceTimersByTime(500);
    expect(fired).not.toHaveBeenCalled();
    d.set(100);
    vi.advanceTimersByTime(101);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('waits for a deadline beyond the longest node timer without a timer that fires at once', async () => {
    vi.useRealTimers();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const fired = vi.fn();
    const d = new Deadline(fired);
    try {
      // node would fire a longer timer after 1 ms (and again and again, as the deadline is still ahead).
      d.set(2 ** 31 + 5000);
      await new Promise<void>((r) => setImmediate(r));
      await new Promise<void>((r) => setImmediate(r));
      const calls = spy.mock.calls.filter(([, ms]) => typeof ms === 'number' && ms > 1000);
      expect(calls).toHaveLength(1);
      expect(calls[0]![1]).toBe(2 ** 31 - 1);
      expect(fired).not.toHaveBeenCalled();
    } finally {
      d.stop();
      spy.mockRestore();
    }
  });
});
