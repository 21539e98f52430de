import { TaktError, type ErrorCode } from '../../errors';
import { FakeClock } from '../../time';
import { mayHaveReachedServer } from './may-have-reached-server';
import { retry, type RetryInfo, type RetryOptions } from './retry';
import { retryPolicy } from './retry-policy';

/** No jitter, so every wait is exact: 500, 1000, 2000, … */
const policy = retryPolicy({ maxAttempts: 4, baseDelayMs: 500, jitter: 'none' });

function failure(code: ErrorCode, details: Record<string, unknown> = {}, retryable?: boolean): TaktError {
  return new TaktError(code, `${code} from the mock`, { details, ...(retryable === undefined ? {} : { retryable }) });
}

/** An operation that throws `failures[attempt − 1]` and then returns 'ok', counting its calls. */
function scripted(failures: readonly unknown[]): { op: (attempt: number) => Promise<string>; calls: number[] } {
  const calls: number[] = [];
  const op = (attempt: number): Promise<string> => {
    calls.push(attempt);
    const planned = failures[attempt - 1];
    return planned === undefined ? Promise.resolve('ok') : Promise.reject(planned as Error);
  };
  return { op, calls };
}

type Outcome<T> = { value: T } | { error: unknown };

/** Runs the loop to completion on the fake clock and captures how it ended, without unhandled rejections. */
async function run<T>(
  clock: FakeClock,
  op: (attempt: number, signal?: AbortSignal) => Promise<T>,
  options: Partial<RetryOptions> = {},
): Promise<Outcome<T>> {
  const settled = retry(op, { policy, clock, idempotent: true, ...options }).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await clock.runAll();
  return settled;
}

function errorOf(outcome: Outcome<unknown>): TaktError {
  if (!('error' in outcome)) throw new Error('expected the loop to fail');
  if (!TaktError.is(outcome.error)) throw new Error(`expected a TaktError, got ${String(outcome.error)}`);
  return outcome.error;
}

describe('retry: which failures are retried', () => {
  test('a success on the first attempt returns at once', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([]);
    expect(await run(clock, op)).toEqual({ value: 'ok' });
    expect(calls).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
  });

  test('retryable failures are retried with the policy backoff until one succeeds', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([failure('HTTP_UNAVAILABLE'), failure('HEADERS_TIMEOUT')]);
    expect(await run(clock, op)).toEqual({ value: 'ok' });
    expect(calls).toEqual([1, 2, 3]);
    expect(clock.sleeps).toEqual([500, 1_000]);
  });

  test.each<ErrorCode>(['HTTP_BAD_REQUEST', 'HTTP_NOT_FOUND', 'HTTP_UNPROCESSABLE', 'AUTH_FAILED', 'HTTP_CONFLICT'])(
    'non-retryable %s is tried exactly once and rethrown unchanged',
    async (code) => {
      const clock = new FakeClock();
      const error = failure(code, { status: 400 });
      const { op, calls } = scripted([error]);
      const outcome = await run(clock, op);
      expect(errorOf(outcome)).toBe(error);
      expect(calls).toEqual([1]);
      expect(clock.sleeps).toEqual([]);
    },
  );

  test('a retryable code marked retryable: false for this occurrence is not retried', async () => {
    const clock = new FakeClock();
    const error = failure('HTTP_UNAVAILABLE', {}, false);
    const { op, calls } = scripted([error]);
    expect(errorOf(await run(clock, op))).toBe(error);
    expect(calls).toEqual([1]);
  });

  test.each<[string, unknown]>([
    ['an Error', new TypeError('x is not a function')],
    ['a string', 'boom'],
  ])('a non-TaktError (%s) is not retried and is rethrown as is', async (_name, thrown) => {
    const clock = new FakeClock();
    const { op, calls } = scripted([thrown]);
    const outcome = await run(clock, op);
    expect(outcome).toEqual({ error: thrown });
    expect('error' in outcome && outcome.error).toBe(thrown);
    expect(calls).toEqual([1]);
  });

  test('an invalid policy is rejected before the first attempt', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([]);
    const outcome = await run(clock, op, { policy: { ...policy, maxAttempts: 0 } });
    expect(errorOf(outcome).code).toBe('CONFIG_INVALID');
    expect(calls).toEqual([]);
  });
});

describe('retry: non-idempotent writes', () => {
  const lostResponse = (): TaktError => failure('CONNECTION_RESET', { requestMayHaveReachedServer: true });
  const refused = (): TaktError => failure('CONNECTION_REFUSED', { requestMayHaveReachedServer: false });

  test('a POST whose response was lost is tried once and rethrown with its own code', async () => {
    const clock = new FakeClock();
    const error = lostResponse();
    const { op, calls } = scripted([error]);
    const outcome = await run(clock, op, { idempotent: false });
    expect(errorOf(outcome)).toBe(error);
    expect(errorOf(outcome).code).toBe('CONNECTION_RESET');
    expect(mayHaveReachedServer(errorOf(outcome))).toBe(true);
    expect(calls).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
  });

  test('the same failure is retried when the operation is idempotent', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([lostResponse()]);
    expect(await run(clock, op, { idempotent: true })).toEqual({ value: 'ok' });
    expect(calls).toEqual([1, 2]);
  });

  test('connection refused on a POST is retried: the server never saw it', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([refused(), refused()]);
    expect(await run(clock, op, { idempotent: false })).toEqual({ value: 'ok' });
    expect(calls).toEqual([1, 2, 3]);
  });

  test('a 429 on a POST is retried', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([failure('HTTP_RATE_LIMITED', { requestMayHaveReachedServer: false })]);
    expect(await run(clock, op, { idempotent: false })).toEqual({ value: 'ok' });
    expect(calls).toEqual([1, 2]);
  });

  test('a failure without the flag counts as "may have reached" unless its code proves otherwise', async () => {
    const clock = new FakeClock();
    const unflagged503 = failure('HTTP_UNAVAILABLE');
    const first = scripted([unflagged503]);
    expect(errorOf(await run(clock, first.op, { idempotent: false }))).toBe(unflagged503);
    expect(first.calls).toEqual([1]);

    const second = scripted([failure('CONNECT_TIMEOUT')]);
    expect(await run(clock, second.op, { idempotent: false })).toEqual({ value: 'ok' });
    expect(second.calls).toEqual([1, 2]);
  });

  test('a lost response after a refused attempt stops there and stays ambiguous', async () => {
    const clock = new FakeClock();
    const reset = lostResponse();
    const { op, calls } = scripted([refused(), reset]);
    const error = errorOf(await run(clock, op, { idempotent: false }));
    expect(calls).toEqual([1, 2]);
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.details).toEqual({ requestMayHaveReachedServer: true, attempts: 2 });
    expect(error.cause).toBe(reset);
    expect(mayHaveReachedServer(error)).toBe(true);
  });
});

describe('retry: attempts', () => {
  test('after maxAttempts the last error is rethrown with its code and the attempt count', async () => {
    const clock = new FakeClock();
    const failures = [1, 2, 3, 4, 5].map((n) => failure('HTTP_UNAVAILABLE', { status: 503, try: n }));
    const { op, calls } = scripted(failures);
    const error = errorOf(await run(clock, op));
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(clock.sleeps).toEqual([500, 1_000, 2_000]);
    expect(error.code).toBe('HTTP_UNAVAILABLE');
    expect(error.message).toBe('HTTP_UNAVAILABLE from the mock');
    expect(error.retryable).toBe(true);
    expect(error.details).toEqual({ status: 503, try: 4, attempts: 4 });
    expect(error.cause).toBe(failures[3]);
  });

  test('maxAttempts 1 means no retry', async () => {
    const clock = new FakeClock();
    const error = failure('HTTP_SERVER_ERROR');
    const { op, calls } = scripted([error]);
    expect(errorOf(await run(clock, op, { policy: { ...policy, maxAttempts: 1 } }))).toBe(error);
    expect(calls).toEqual([1]);
  });

  test('a non-retryable failure after retries ends the loop and records the attempts', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([failure('HTTP_SERVER_ERROR'), failure('HTTP_NOT_FOUND', { status: 404 })]);
    const error = errorOf(await run(clock, op));
    expect(calls).toEqual([1, 2]);
    expect(error.code).toBe('HTTP_NOT_FOUND');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ status: 404, attempts: 2 });
  });

  test('the operation receives the attempt number and the signal', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const seen: [number, AbortSignal | undefined][] = [];
    const op = (attempt: number, signal?: AbortSignal): Promise<string> => {
      seen.push([attempt, signal]);
      return attempt < 3 ? Promise.reject(failure('BODY_TIMEOUT')) : Promise.resolve('ok');
    };
    expect(await run(clock, op, { signal: controller.signal })).toEqual({ value: 'ok' });
    expect(seen).toEqual([
      [1, controller.signal],
      [2, controller.signal],
      [3, controller.signal],
    ]);
  });
});

describe('retry: onRetry', () => {
  test('receives the failed attempt, the wait and the error before each wait', async () => {
    const clock = new FakeClock();
    const failures = [failure('HTTP_UNAVAILABLE'), failure('CONNECTION_RESET')];
    const { op } = scripted(failures);
    const seen: (RetryInfo & { at: number })[] = [];
    await run(clock, op, { onRetry: (info) => seen.push({ ...info, at: clock.now() }) });
    const start = Date.UTC(2026, 0, 1);
    expect(seen).toEqual([
      { attempt: 1, delayMs: 500, error: failures[0], at: start },
      { attempt: 2, delayMs: 1_000, error: failures[1], at: start + 500 },
    ]);
  });

  test('an error thrown by onRetry ends the loop', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([failure('HTTP_UNAVAILABLE')]);
    const hostBug = new Error('status update failed');
    const outcome = await run(clock, op, {
      onRetry: () => {
        throw hostBug;
      },
    });
    expect(outcome).toEqual({ error: hostBug });
    expect(calls).toEqual([1]);
  });
});

describe('retry: cancellation', () => {
  test('aborting while waiting rejects at once with ABORTED and starts no further attempt', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { op, calls } = scripted([failure('HTTP_UNAVAILABLE'), failure('HTTP_UNAVAILABLE')]);
    const settled = retry(op, { policy, clock, idempotent: true, signal: controller.signal }).catch(
      (error: unknown) => error,
    );
    await clock.advance(0);
    expect(clock.pending).toBe(1); // waiting 500 ms for attempt 2
    const before = clock.now();
    controller.abort(new Error('flow stopped'));
    const error = await settled;
    expect(TaktError.is(error) && error.code).toBe('ABORTED');
    expect(TaktError.is(error) && error.message).toBe('Cancelled: flow stopped');
    expect(clock.now()).toBe(before);
    expect(clock.pending).toBe(0);
    expect(calls).toEqual([1]);
  });

  test('an already aborted signal starts no attempt', async () => {
    const clock = new FakeClock();
    const { op, calls } = scripted([]);
    const outcome = await run(clock, op, { signal: AbortSignal.abort() });
    expect(errorOf(outcome).code).toBe('ABORTED');
    expect(calls).toEqual([]);
  });

  test('a retryable failure that arrives after the abort is not announced or retried', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const onRetry = jest.fn();
    const op = (): Promise<string> => {
      controller.abort();
      return Promise.reject(failure('HTTP_UNAVAILABLE'));
    };
    const outcome = await run(clock, op, { signal: controller.signal, onRetry });
    expect(errorOf(outcome).code).toBe('ABORTED');
    expect(onRetry).not.toHaveBeenCalled();
    expect(clock.sleeps).toEqual([]);
  });
});
