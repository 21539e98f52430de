import { TaktError } from '../../errors';
import { FakeClock } from '../../time';
import { RateLimiter } from './rate-limiter';

const T0 = Date.UTC(2026, 0, 1);

/** Starts `count` acquirers at once and records, per caller index, when it was granted (relative to T0). */
function acquirers(limiter: RateLimiter, clock: FakeClock, count: number, signal?: AbortSignal) {
  const granted: { index: number; at: number }[] = [];
  const settled = Array.from({ length: count }, (_, index) =>
    limiter.acquire(signal).then(
      () => {
        granted.push({ index, at: clock.now() - T0 });
      },
      (error: unknown) => error,
    ),
  );
  return { granted, settled };
}

/** The largest number of grants inside any window [t, t + periodMs) that starts at a grant. */
function busiestWindow(times: readonly number[], periodMs: number): number {
  return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + periodMs).length));
}

describe('RateLimiter (sliding-window log)', () => {
  test('5 per 1000 ms, 20 concurrent callers: never more than 5 in any 1000 ms window, all granted in order', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 5, periodMs: 1_000, clock });
    const { granted, settled } = acquirers(limiter, clock, 20);
    await clock.runAll();
    await Promise.all(settled);

    expect(granted.map((g) => g.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(granted.map((g) => g.at)).toEqual([
      ...[0, 0, 0, 0, 0],
      ...[1_000, 1_000, 1_000, 1_000, 1_000],
      ...[2_000, 2_000, 2_000, 2_000, 2_000],
      ...[3_000, 3_000, 3_000, 3_000, 3_000],
    ]);
    expect(
      busiestWindow(
        granted.map((g) => g.at),
        1_000,
      ),
    ).toBe(5);
    expect(limiter.waiting).toBe(0);
  });

  test('a slot frees exactly periodMs after the grant that used it, not at a fixed window edge', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 2, periodMs: 1_000, clock });
    const times: number[] = [];
    const take = async (): Promise<void> => {
      await limiter.acquire();
      times.push(clock.now() - T0);
    };
    await take(); // 0
    await clock.advance(600);
    await take(); // 600
    const third = take();
    const fourth = take();
    await clock.runAll();
    await Promise.all([third, fourth]);
    expect(times).toEqual([0, 600, 1_000, 1_600]);
    expect(busiestWindow(times, 1_000)).toBe(2);
  });

  test('a caller is granted at once, without a timer, while the window has room', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 3, periodMs: 1_000, clock });
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    expect(clock.sleeps).toEqual([]);
  });

  test('a steady stream stays within the limit in every window (T16 shape: 50/s, 600 requests, 3 workers)', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 50, periodMs: 1_000, clock });
    const times: number[] = [];
    const worker = async (): Promise<void> => {
      for (let i = 0; i < 200; i += 1) {
        await limiter.acquire();
        times.push(clock.now() - T0);
        await clock.sleep(7); // the request itself
      }
    };
    const workers = Promise.all([worker(), worker(), worker()]);
    await clock.runAll();
    await workers;
    expect(times).toHaveLength(600);
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(50);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(11_000);
    expect(Math.max(...times)).toBeLessThan(12_000 * 1.2);
  });
});

describe('RateLimiter.pauseUntil', () => {
  test('a Retry-After seen by one caller holds every caller, waiting ones and newcomers', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 1, periodMs: 100, clock });
    await limiter.acquire(); // slot used at 0; the next one is free at 100
    const waiting = acquirers(limiter, clock, 2);
    limiter.pauseUntil(T0 + 3_000); // the 429 answering the first request said Retry-After: 3
    expect(limiter.pausedUntil).toBe(T0 + 3_000);
    const newcomers = acquirers(limiter, clock, 1);

    await clock.advance(2_999);
    expect(waiting.granted).toEqual([]);
    expect(newcomers.granted).toEqual([]);
    await clock.runAll();
    expect(waiting.granted).toEqual([
      { index: 0, at: 3_000 },
      { index: 1, at: 3_100 },
    ]);
    expect(newcomers.granted).toEqual([{ index: 0, at: 3_200 }]);
    expect(limiter.pausedUntil).toBeUndefined();
  });

  test('a pause holds callers even when the window has room, and accepts a Date', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 100, periodMs: 1_000, clock });
    limiter.pauseUntil(new Date(T0 + 5_000));
    const { granted, settled } = acquirers(limiter, clock, 3);
    await clock.runAll();
    await Promise.all(settled);
    expect(granted.map((g) => g.at)).toEqual([5_000, 5_000, 5_000]);
  });

  test('a pause only extends: an earlier time than the current pause changes nothing', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 10, periodMs: 1_000, clock });
    limiter.pauseUntil(T0 + 5_000);
    limiter.pauseUntil(T0 + 1_000);
    expect(limiter.pausedUntil).toBe(T0 + 5_000);
    const { granted } = acquirers(limiter, clock, 1);
    limiter.pauseUntil(T0 + 8_000); // a second 429 while callers wait
    await clock.runAll();
    expect(granted).toEqual([{ index: 0, at: 8_000 }]);
  });
});

describe('RateLimiter cancellation and configuration', () => {
  test('an aborted waiter leaves the queue with ABORTED; the others keep their order and timing', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 1, periodMs: 1_000, clock });
    await limiter.acquire();
    const controller = new AbortController();
    const first = acquirers(limiter, clock, 1);
    const cancelled = acquirers(limiter, clock, 1, controller.signal);
    const last = acquirers(limiter, clock, 1);
    expect(limiter.waiting).toBe(3);

    controller.abort(new Error('node closed'));
    const [error] = await Promise.all(cancelled.settled);
    expect(TaktError.is(error) && error.code).toBe('ABORTED');
    expect(limiter.waiting).toBe(2);

    await clock.runAll();
    expect(first.granted).toEqual([{ index: 0, at: 1_000 }]);
    expect(last.granted).toEqual([{ index: 0, at: 2_000 }]);
    expect(cancelled.granted).toEqual([]);
  });

  test('when the last waiter aborts, no timer is left behind', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 1, periodMs: 1_000, clock });
    limiter.pauseUntil(T0 + 120_000);
    const controller = new AbortController();
    const { settled } = acquirers(limiter, clock, 1, controller.signal);
    await clock.advance(0);
    expect(clock.pending).toBe(1);
    controller.abort();
    await Promise.all(settled);
    await clock.advance(0);
    expect(clock.pending).toBe(0);
  });

  test('an already aborted signal is rejected without taking a slot', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 1, periodMs: 1_000, clock });
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
    await limiter.acquire();
    expect(clock.now()).toBe(T0);
  });

  test('reconfigure applies to callers already waiting', async () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 1, periodMs: 10_000, clock });
    await limiter.acquire();
    const { granted } = acquirers(limiter, clock, 2);
    await clock.advance(100);
    limiter.reconfigure({ limit: 3, periodMs: 10_000 });
    await clock.advance(0);
    expect(granted).toEqual([
      { index: 0, at: 100 },
      { index: 1, at: 100 },
    ]);
    expect(limiter.options).toEqual({ limit: 3, periodMs: 10_000 });
  });

  test.each([
    [{ limit: 0, periodMs: 1_000 }, 'limit'],
    [{ limit: 2.5, periodMs: 1_000 }, 'limit'],
    [{ limit: 5, periodMs: 0 }, 'periodMs'],
    [{ limit: 5, periodMs: Number.NaN }, 'periodMs'],
  ])('rejects %j with CONFIG_INVALID naming %s', (options, field) => {
    expect(() => new RateLimiter(options)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: expect.objectContaining({ field }) }),
    );
    const limiter = new RateLimiter({ limit: 1, periodMs: 1_000 });
    expect(() => limiter.reconfigure(options)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(limiter.options).toEqual({ limit: 1, periodMs: 1_000 });
  });
});
