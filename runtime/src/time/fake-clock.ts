import { abortError, type Clock } from './clock';

interface Sleeper {
  readonly wakeAt: number;
  readonly resolve: () => void;
}

/**
 * A clock that only moves when told to. `sleep` registers a sleeper; `advance` moves time forward and wakes,
 * in order, every sleeper whose time has come, letting promise continuations run between wake-ups so that a
 * retry loop can schedule its next sleep inside the same `advance`.
 */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  /** Every requested sleep, in ms, in call order: what retry tests assert on. */
  readonly sleeps: number[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Number of sleeps waiting to be woken. */
  get pending(): number {
    return this.sleepers.length;
  }

  /** Moves time forward by `ms`, waking sleepers in time order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.sleepers.filter((s) => s.wakeAt <= target).sort((a, b) => a.wakeAt - b.wakeAt)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.wakeAt);
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.resolve();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Runs until no sleeper is left (or `limitMs` of fake time passed), returning the time that passed. */
  async runAll(limitMs = 24 * 3600_000): Promise<number> {
    const start = this.current;
    for (;;) {
      await flushMicrotasks();
      const next = [...this.sleepers].sort((a, b) => a.wakeAt - b.wakeAt)[0];
      if (!next || next.wakeAt - start > limitMs) break;
      await this.advance(next.wakeAt - this.current);
    }
    return this.current - start;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
