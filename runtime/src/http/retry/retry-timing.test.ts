import { TaktError } from '../../errors';
import { FakeClock } from '../../time';
import { retry, type RetryOptions } from './retry';
import { parseRetryAfter } from './retry-after';
import { retryPolicy, type JitterMode, type RetryPolicy } from './retry-policy';

/**
 * The timing contract of `retry` on a FakeClock, so every wait is asserted exactly: Retry-After (test T13),
 * the elapsed budget, and the spread of jittered retries across many clients (test T14).
 */

const RESPONSE_TIME_MS = 1_000;

/**
 * A mock endpoint: each call takes RESPONSE_TIME_MS, then answers with the next planned failure (built at
 * the time the response arrives, as a transport would) or succeeds. Records when each attempt started.
 */
function endpoint(clock: FakeClock, plan: readonly ((now: number) => TaktError)[]) {
  const starts: number[] = [];
  const failedAt: number[] = [];
  const op = async (attempt: number): Promise<string> => {
    starts.push(clock.now());
    await clock.sleep(RESPONSE_TIME_MS);
    const next = plan[attempt - 1];
    if (!next) return 'ok';
    failedAt.push(clock.now());
    throw next(clock.now());
  };
  return { op, starts, failedAt };
}

/** A 429 whose Retry-After header went through the real parser, as the transport will do it. */
function tooManyRequests(header: string): (now: number) => TaktError {
  return (now) => {
    const retryAt = parseRetryAfter(header, now);
    return new TaktError('HTTP_RATE_LIMITED', 'Too many requests', {
      details: { status: 429, requestMayHaveReachedServer: false },
      ...(retryAt === undefined ? {} : { retryAt: new Date(retryAt) }),
    });
  };
}

const unavailable = (): TaktError =>
  new TaktError('HTTP_UNAVAILABLE', 'Service unavailable', { details: { status: 503 } });

async function run<T>(clock: FakeClock, op: (attempt: number) => Promise<T>, options: Partial<RetryOptions>) {
  const settled = retry(op, { policy: retryPolicy(), clock, idempotent: true, ...options }).then(
    (value) => ({ value }) as const,
    (error: unknown) => ({ error }) as const,
  );
  await clock.runAll();
  return settled;
}

function errorOf(outcome: { value: unknown } | { error: unknown }): TaktError {
  if ('error' in outcome && TaktError.is(outcome.error)) return outcome.error;
  throw new Error('expected the loop to fail with a TaktError');
}

describe('Retry-After (T13)', () => {
  test.each<[string, (now: number) => string]>([
    ['delay-seconds', () => '3'],
    ['HTTP-date', (now) => new Date(now + 3_000).toUTCString()],
  ])('Retry-After as %s: the next attempt starts exactly 3 s after the 429', async (_form, header) => {
    const clock = new FakeClock();
    const { op, starts, failedAt } = endpoint(clock, [(now) => tooManyRequests(header(now))(now)]);
    // Full jitter with a real random source: the backoff (≤ 500 ms) never shortens the server's 3 s.
    const outcome = await run(clock, op, { idempotent: false });
    expect(outcome).toEqual({ value: 'ok' });
    expect(starts).toHaveLength(2);
    expect(starts[1]! - failedAt[0]!).toBe(3_000);
  });

  test('a backoff longer than the Retry-After wins: wait = max(backoff, retryAt − now)', async () => {
    const clock = new FakeClock();
    const { op, starts, failedAt } = endpoint(clock, [tooManyRequests('3')]);
    const policy = retryPolicy({ baseDelayMs: 5_000, jitter: 'none' });
    expect(await run(clock, op, { policy })).toEqual({ value: 'ok' });
    expect(starts[1]! - failedAt[0]!).toBe(5_000);
  });

  test('Retry-After: 120 with a 30 s cap defers until t + 120 s and does not retry at 30 s', async () => {
    const clock = new FakeClock();
    const { op, starts, failedAt } = endpoint(clock, [tooManyRequests('120'), tooManyRequests('120')]);
    const policy = retryPolicy({ maxDelayMs: 30_000 });
    const outcome = await run(clock, op, { policy });
    await clock.advance(200_000);

    const error = errorOf(outcome);
    expect(error.code).toBe('RETRY_DEFERRED');
    expect(error.retryable).toBe(true);
    expect(error.retryAt?.getTime()).toBe(failedAt[0]! + 120_000);
    expect(error.message).toContain(`Retry at ${new Date(failedAt[0]! + 120_000).toISOString()} (in 120 s)`);
    expect(error.details).toEqual({ attempts: 1 });
    expect(TaktError.is(error.cause) && error.cause.code).toBe('HTTP_RATE_LIMITED');
    expect(starts).toHaveLength(1);
    expect(clock.sleeps).toEqual([RESPONSE_TIME_MS]); // the response time only; the loop itself never slept
  });

  test('a Retry-After equal to the cap is waited for in full', async () => {
    const clock = new FakeClock();
    const { op, starts, failedAt } = endpoint(clock, [tooManyRequests('30')]);
    expect(await run(clock, op, { policy: retryPolicy({ maxDelayMs: 30_000 }) })).toEqual({ value: 'ok' });
    expect(starts[1]! - failedAt[0]!).toBe(30_000);
  });

  test.each([['soon'], ['-3'], ['Thu, 01 Jan 2026 00:00:03 PST']])(
    'an invalid Retry-After (%j) falls back to the backoff',
    async (header) => {
      const clock = new FakeClock();
      const { op, starts, failedAt } = endpoint(clock, [tooManyRequests(header)]);
      const policy = retryPolicy({ baseDelayMs: 700, jitter: 'none' });
      expect(await run(clock, op, { policy })).toEqual({ value: 'ok' });
      expect(starts[1]! - failedAt[0]!).toBe(700);
    },
  );

  test('a Retry-After date in the past means the backoff alone', async () => {
    const clock = new FakeClock();
    const { op, starts, failedAt } = endpoint(clock, [tooManyRequests('Thu, 01 Jan 2025 00:00:00 GMT')]);
    const policy = retryPolicy({ baseDelayMs: 700, jitter: 'none' });
    expect(await run(clock, op, { policy })).toEqual({ value: 'ok' });
    expect(starts[1]! - failedAt[0]!).toBe(700);
  });
});

describe('elapsed budget', () => {
  test('stops when the next wait would end past maxElapsedMs, counting the attempts themselves', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const { op, starts } = endpoint(
      clock,
      Array.from({ length: 10 }, () => unavailable),
    );
    const policy = retryPolicy({ maxAttempts: 10, baseDelayMs: 1_000, jitter: 'none', maxElapsedMs: 5_000 });
    const error = errorOf(await run(clock, op, { policy }));
    // 0–1 s attempt 1, wait 1 s; 2–3 s attempt 2, wait 2 s (ends at 5 s, inside); 5–6 s attempt 3, a 4 s wait
    // would end at 10 s: stop.
    expect(starts.map((t) => t - start)).toEqual([0, 2_000, 5_000]);
    expect(clock.now() - start).toBe(6_000);
    expect(error.code).toBe('HTTP_UNAVAILABLE');
    expect(error.details).toEqual({ status: 503, attempts: 3 });
  });

  test('a Retry-After beyond the budget (but within the cap) defers instead of waiting', async () => {
    const clock = new FakeClock();
    const { op, starts, failedAt } = endpoint(clock, [tooManyRequests('20')]);
    const policy = retryPolicy({ maxElapsedMs: 10_000, maxDelayMs: 30_000 });
    const error = errorOf(await run(clock, op, { policy }));
    expect(error.code).toBe('RETRY_DEFERRED');
    expect(error.retryAt?.getTime()).toBe(failedAt[0]! + 20_000);
    expect(starts).toHaveLength(1);
  });

  test('a Retry-After inside the budget is honoured even when it is longer than the backoff', async () => {
    const clock = new FakeClock();
    const { op, starts } = endpoint(clock, [tooManyRequests('8')]);
    const policy = retryPolicy({ maxElapsedMs: 10_000, baseDelayMs: 100, jitter: 'none' });
    expect(await run(clock, op, { policy })).toEqual({ value: 'ok' });
    expect(starts[1]! - starts[0]!).toBe(RESPONSE_TIME_MS + 8_000);
  });
});

function coefficientOfVariation(values: readonly number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}

/**
 * 100 clients that fail together three times (one outage) on one clock, with the real Math.random. Returns
 * the delays each chose, per retry (attempt bucket), and when each retry started.
 */
async function outage(jitter: JitterMode): Promise<{ delays: number[][]; retryStarts: number[][] }> {
  const clock = new FakeClock();
  const policy: RetryPolicy = retryPolicy({ jitter, maxAttempts: 4 });
  const delays: number[][] = [[], [], []];
  const retryStarts: number[][] = [[], [], []];
  const clients = Array.from({ length: 100 }, () =>
    retry(
      (attempt) => {
        if (attempt > 1) retryStarts[attempt - 2]!.push(clock.now());
        return attempt <= 3 ? Promise.reject(unavailable()) : Promise.resolve(attempt);
      },
      { policy, clock, idempotent: true, onRetry: ({ attempt, delayMs }) => delays[attempt - 1]!.push(delayMs) },
    ),
  );
  const done = Promise.all(clients);
  await clock.runAll();
  expect(await done).toEqual(Array.from({ length: 100 }, () => 4));
  return { delays, retryStarts };
}

describe('jitter spreads clients that fail together (T14)', () => {
  test('full jitter: every retry bucket has a coefficient of variation above 0.3', async () => {
    const { delays, retryStarts } = await outage('full');
    delays.forEach((bucket, index) => {
      const ceiling = 500 * 2 ** index;
      expect(bucket).toHaveLength(100);
      expect(new Set(bucket).size).toBeGreaterThan(1);
      expect(coefficientOfVariation(bucket)).toBeGreaterThan(0.3);
      expect(Math.min(...bucket)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...bucket)).toBeLessThanOrEqual(ceiling);
    });
    // The first retries start when their delays end (everyone failed at the same instant).
    expect(coefficientOfVariation(retryStarts[0]!.map((t) => t - Date.UTC(2026, 0, 1)))).toBeGreaterThan(0.3);
  });

  test('equal jitter keeps half the backoff and still spreads (theoretical CV ≈ 0.19)', async () => {
    const { delays } = await outage('equal');
    delays.forEach((bucket, index) => {
      const ceiling = 500 * 2 ** index;
      expect(new Set(bucket).size).toBeGreaterThan(1);
      expect(coefficientOfVariation(bucket)).toBeGreaterThan(0.1);
      expect(Math.min(...bucket)).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...bucket)).toBeLessThanOrEqual(ceiling);
    });
  });

  test('without jitter all clients retry in lockstep: the spread check above would catch it', async () => {
    const { delays } = await outage('none');
    expect(delays.map((bucket) => new Set(bucket).size)).toEqual([1, 1, 1]);
    expect(delays.map(coefficientOfVariation)).toEqual([0, 0, 0]);
  });
});
