import { TaktError } from '../../errors';
import { abortError, systemClock, type Clock } from '../../time';

export interface RateLimitOptions {
  /** Requests allowed in any window of `periodMs`. Integer ≥ 1. */
  readonly limit: number;
  /** Window length, ms, > 0. */
  readonly periodMs: number;
}

export interface RateLimiterOptions extends RateLimitOptions {
  /** Defaults to the system clock; tests pass a FakeClock. Fixed for the limiter's life. */
  readonly clock?: Clock;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: TaktError) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * A client-side rate limit for one connection, shared by everything that calls it (see `sharedRateLimiter`).
 *
 * Algorithm: a sliding-window log. The limiter remembers when it granted each of the last `limit` requests
 * and grants the next one only once the oldest of them is `periodMs` old, so no window of `periodMs`, wherever
 * it starts, holds more than `limit` grants. That is the guarantee the servers check (Dataverse's service
 * protection limits use a sliding window) and the one test T16 asserts. A token bucket or GCRA is cheaper but
 * lets a burst of `limit` follow a steady stream, up to 2·limit − 1 requests in one window, which a strict
 * server answers with 429. The log costs `limit` numbers, small for HTTP rate limits.
 *
 * Waiters are served strictly first in, first out, so a caller is never overtaken by a later one. The limiter
 * is in-process: callers in other processes (n8n queue-mode workers) need a limit kept in the shared store.
 */
export class RateLimiter {
  private limit: number;
  private periodMs: number;
  private readonly clock: Clock;
  /** Grant times, oldest first; entries older than `periodMs` are dropped as time passes. */
  private readonly grants: number[] = [];
  private readonly queue: Waiter[] = [];
  private pausedUntilMs = 0;
  private pumping = false;
  /** Aborts the pump's current sleep so it looks again (the queue emptied, the limit changed). */
  private wake: AbortController | undefined;

  constructor(options: RateLimiterOptions) {
    const { limit, periodMs } = validateRateLimit(options);
    this.limit = limit;
    this.periodMs = periodMs;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Resolves when the caller may send one request, in call order. Rejects with ABORTED, and gives up its place
   * in the queue, when `signal` fires first.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.queue.length === 0 && this.waitMs(this.clock.now()) <= 0) {
      this.grants.push(this.clock.now());
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => this.cancel(waiter),
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /**
   * Holds every caller of this limiter until `time` (ms since the epoch, or a Date): what a Retry-After seen
   * by one caller means for all of them, since servers such as Dataverse extend the penalty for a client that
   * keeps sending. A pause only ever extends; an earlier time than the current pause changes nothing.
   */
  pauseUntil(time: number | Date): void {
    const ms = typeof time === 'number' ? time : time.getTime();
    if (Number.isFinite(ms) && ms > this.pausedUntilMs) this.pausedUntilMs = ms;
  }

  /** The end of the current pause (ms since the epoch), or undefined when the limiter is not paused. */
  get pausedUntil(): number | undefined {
    return this.pausedUntilMs > this.clock.now() ? this.pausedUntilMs : undefined;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  get options(): RateLimitOptions {
    return { limit: this.limit, periodMs: this.periodMs };
  }

  /** Applies a new limit and period from now on; waiting callers keep their places; grant history is kept. */
  reconfigure(options: RateLimitOptions): void {
    const { limit, periodMs } = validateRateLimit(options);
    this.limit = limit;
    this.periodMs = periodMs;
    this.wake?.abort();
  }

  /** How long the next grant must wait at `now`, ms; ≤ 0 means now. */
  private waitMs(now: number): number {
    while (this.grants.length > 0 && (this.grants[0] ?? now) + this.periodMs <= now) this.grants.shift();
    let until = Math.max(now, this.pausedUntilMs);
    if (this.grants.length >= this.limit) {
      const oldestInWindow = this.grants[this.grants.length - this.limit] ?? now;
      // Bounded by one period: if the wall clock stepped back, a grant "in the future" must not block for longer.
      until = Math.max(until, Math.min(oldestInWindow + this.periodMs, now + this.periodMs));
    }
    return until - now;
  }

  /** One loop at a time grants the queue's head whenever it may go and sleeps on the clock in between. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const head = this.queue[0];
        if (!head) return;
        const now = this.clock.now();
        const wait = this.waitMs(now);
        if (wait <= 0) {
          this.queue.shift();
          head.signal?.removeEventListener('abort', head.onAbort);
          this.grants.push(now);
          head.resolve();
          continue;
        }
        const wake = new AbortController();
        this.wake = wake;
        try {
          await this.clock.sleep(wait, wake.signal);
        } catch {
          // Woken early on purpose (the only way this sleep rejects): look at the queue and the limit again.
        } finally {
          this.wake = undefined;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private cancel(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    waiter.reject(abortError(waiter.signal));
    // Nobody left to serve: stop the pump's timer rather than keep the process awake for a pause nobody awaits.
    if (this.queue.length === 0) this.wake?.abort();
  }
}

function validateRateLimit(options: RateLimitOptions): RateLimitOptions {
  const { limit, periodMs } = options;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TaktError('CONFIG_INVALID', `Rate limit: limit must be a whole number ≥ 1 (got ${String(limit)})`, {
      details: { field: 'limit', value: limit },
    });
  }
  if (!Number.isFinite(periodMs) || periodMs <= 0) {
    throw new TaktError('CONFIG_INVALID', `Rate limit: periodMs must be a number > 0 (got ${String(periodMs)})`, {
      details: { field: 'periodMs', value: periodMs },
    });
  }
  return { limit, periodMs };
}
