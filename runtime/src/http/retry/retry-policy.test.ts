import { TaktError } from '../../errors';
import { DEFAULT_RETRY_POLICY, backoffDelay, retryPolicy, validateRetryPolicy, type RetryPolicy } from './retry-policy';

function configError(run: () => unknown): TaktError {
  try {
    run();
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a CONFIG_INVALID error');
}

describe('retry policy defaults', () => {
  test('are the documented values', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      maxElapsedMs: 120_000,
      jitter: 'full',
      multiplier: 2,
    });
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });

  test('retryPolicy applies overrides over the defaults', () => {
    expect(retryPolicy({ maxAttempts: 3, jitter: 'none' })).toEqual({
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: 3,
      jitter: 'none',
    });
  });
});

describe('validateRetryPolicy', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['maxAttempts', { maxAttempts: 0 }, 'maxAttempts must be at least 1 (got 0)'],
    ['maxAttempts', { maxAttempts: 2.5 }, 'maxAttempts must be a whole number (got 2.5)'],
    ['maxAttempts', { maxAttempts: '5' }, "maxAttempts must be a finite number (got '5')"],
    ['maxAttempts', { maxAttempts: Infinity }, 'maxAttempts must be a finite number (got Infinity)'],
    ['baseDelayMs', { baseDelayMs: -1 }, 'baseDelayMs must be at least 0 (got -1)'],
    ['baseDelayMs', { baseDelayMs: Number.NaN }, 'baseDelayMs must be a finite number (got NaN)'],
    ['maxDelayMs', { maxDelayMs: 100 }, 'maxDelayMs must be at least baseDelayMs (500) (got 100)'],
    ['maxElapsedMs', { maxElapsedMs: 0 }, 'maxElapsedMs must be greater than 0 (got 0)'],
    ['maxElapsedMs', { maxElapsedMs: undefined }, 'maxElapsedMs must be a finite number (got undefined)'],
    ['multiplier', { multiplier: 0.5 }, 'multiplier must be at least 1 (got 0.5)'],
    ['jitter', { jitter: 'random' }, "jitter must be one of 'full', 'equal', 'none' (got 'random')"],
    ['maxAttempt', { maxAttempt: 3 }, 'maxAttempt is not a retry policy field (got 3)'],
  ])('names the bad field: %s', (field, change, message) => {
    const error = configError(() => validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...change }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`Retry policy: ${message}`);
    expect(error.details.field).toBe(field);
  });

  test.each([null, 'fast', [1, 2]])('rejects a non-object: %j', (input) => {
    const error = configError(() => validateRetryPolicy(input));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details.field).toBe('retryPolicy');
  });

  test('retryPolicy validates its overrides', () => {
    expect(configError(() => retryPolicy({ maxAttempts: -2 })).details.field).toBe('maxAttempts');
  });

  test('returns a frozen copy', () => {
    const input: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
    const checked = validateRetryPolicy(input);
    expect(checked).toEqual(input);
    expect(checked).not.toBe(input);
    expect(Object.isFrozen(checked)).toBe(true);
  });
});

describe('backoffDelay', () => {
  const policy = retryPolicy({ baseDelayMs: 500, multiplier: 2, maxDelayMs: 30_000, maxAttempts: 10 });
  // min(cap, base · 2^(attempt − 1)) for attempts 1…8
  const ceilings: readonly [number, number][] = [
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [4, 4_000],
    [5, 8_000],
    [6, 16_000],
    [7, 30_000],
    [8, 30_000],
  ];
  const almostOne = (): number => 1 - Number.EPSILON;

  test.each(ceilings)('none: attempt %i waits exactly %i ms', (attempt, ceiling) => {
    expect(backoffDelay({ ...policy, jitter: 'none' }, attempt)).toBe(ceiling);
  });

  test.each(ceilings)('full: attempt %i waits within [0, %i]', (attempt, ceiling) => {
    const full: RetryPolicy = { ...policy, jitter: 'full' };
    expect(backoffDelay(full, attempt, () => 0)).toBe(0);
    expect(backoffDelay(full, attempt, () => 0.5)).toBe(ceiling / 2);
    expect(backoffDelay(full, attempt, almostOne)).toBe(ceiling - 1);
    for (let i = 0; i < 1_000; i += 1) {
      const delay = backoffDelay(full, attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(ceiling);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  test.each(ceilings)('equal: attempt %i waits within [%i / 2, %i]', (attempt, ceiling) => {
    const equal: RetryPolicy = { ...policy, jitter: 'equal' };
    expect(backoffDelay(equal, attempt, () => 0)).toBe(ceiling / 2);
    expect(backoffDelay(equal, attempt, () => 0.5)).toBe((ceiling * 3) / 4);
    expect(backoffDelay(equal, attempt, almostOne)).toBe(ceiling - 1);
    for (let i = 0; i < 1_000; i += 1) {
      const delay = backoffDelay(equal, attempt);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  test('a multiplier of 1 gives a constant backoff', () => {
    const constant: RetryPolicy = { ...policy, multiplier: 1, jitter: 'none' };
    expect([1, 2, 3, 9].map((attempt) => backoffDelay(constant, attempt))).toEqual([500, 500, 500, 500]);
  });

  test('a huge attempt number is capped, not Infinity or NaN', () => {
    expect(backoffDelay({ ...policy, jitter: 'none' }, 5_000)).toBe(30_000);
    expect(backoffDelay({ ...policy, jitter: 'none', baseDelayMs: 0 }, 5_000)).toBe(0);
  });

  test('rounds down to whole milliseconds', () => {
    const odd: RetryPolicy = { ...policy, baseDelayMs: 333, multiplier: 1.5, jitter: 'none' };
    expect(backoffDelay(odd, 2)).toBe(499); // 333 · 1.5 = 499.5
  });

  test.each([0, -1, 1.5])('rejects attempt %p', (attempt) => {
    expect(() => backoffDelay(policy, attempt)).toThrow(/attempt must be an integer/);
  });
});
