import { TaktError } from '../../errors';
import { abortError, systemClock, type Clock } from '../../time';
import { mayHaveReachedServer } from './may-have-reached-server';
import { backoffDelay, validateRetryPolicy, type RetryPolicy } from './retry-policy';

/** What a host needs to say "retry 2 of 4 in 3 s": handed to `onRetry` just before the wait starts. */
export interface RetryInfo {
  /** The attempt that failed (1-based); the next one is `attempt + 1`. */
  readonly attempt: number;
  /** How long the loop now waits, ms: the backoff or the server's Retry-After, whichever is longer. */
  readonly delayMs: number;
  readonly error: TaktError;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Defaults to the system clock; tests pass a FakeClock. */
  readonly clock?: Clock;
  /** Jitter source in [0, 1); defaults to Math.random. */
  readonly random?: () => number;
  /**
   * Whether repeating the operation cannot duplicate an effect: reads, PUT / DELETE, upserts on a key, writes
   * with If-Match or an idempotency key. When false, a failure that may have reached the server is not retried.
   */
  readonly idempotent: boolean;
  /** Cancels the loop: before an attempt, and promptly while waiting for the next one (ABORTED). */
  readonly signal?: AbortSignal;
  /** Called before each wait. It must not throw: an error it throws ends the loop and is what `retry` rejects with. */
  readonly onRetry?: (info: RetryInfo) => void;
}

export type RetryableOperation<T> = (attempt: number, signal?: AbortSignal) => Promise<T>;

/**
 * Runs `operation` until it succeeds or a rule below says stop. The rules, checked in this order after each
 * failure:
 *
 * 1. Only a TaktError with `retryable === true` is retried. Anything else ends the loop; a non-TaktError is
 *    rethrown as it is, whatever the attempt.
 * 2. If `idempotent` is false and the failure may have reached the server (`mayHaveReachedServer`), the error
 *    is rethrown with its own code (CONNECTION_RESET, say): the caller reports the write as ambiguous. Failures
 *    that prove the server did not process the request (connection refused, DNS, connect timeout, 429) are
 *    retried even then.
 * 3. After `policy.maxAttempts` attempts the last error is rethrown.
 * 4. The next attempt never starts before the error's `retryAt` (the server's Retry-After): the wait is
 *    `max(backoff, retryAt − now)`. If the server asks for more than `policy.maxDelayMs`, the loop does not
 *    sleep the cap and come back early, as undici's retry interceptor does (its `min(retryAfter, maxTimeout)`
 *    retries a `Retry-After: 120` after 30 s, and Dataverse extends the penalty of clients that do). It throws
 *    RETRY_DEFERRED with `retryAt`, so the caller parks the work until then.
 * 5. No wait ends past `policy.maxElapsedMs` from the start of the first attempt. When it would, the loop
 *    stops: with RETRY_DEFERRED if the server's `retryAt` lies past the budget, otherwise with the last error.
 *
 * An error rethrown after more than one attempt is a new TaktError with the last error's code, message,
 * `retryable` and `retryAt`, `cause` = the last error and `details` = its details plus `attempts`, so a dead
 * letter records how hard the runtime tried. An error from the first attempt is rethrown unchanged.
 */
export async function retry<T>(operation: RetryableOperation<T>, options: RetryOptions): Promise<T> {
  const policy = validateRetryPolicy(options.policy);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const { signal } = options;
  const startedAt = clock.now();
  const deadline = startedAt + policy.maxElapsedMs;

  for (let attempt = 1; ; attempt += 1) {
    if (signal?.aborted) throw abortError(signal);
    let error: unknown;
    try {
      return await operation(attempt, signal);
    } catch (caught: unknown) {
      error = caught;
    }

    if (!TaktError.is(error) || !error.retryable) throw withAttempts(error, attempt);
    if (!options.idempotent && mayHaveReachedServer(error)) throw withAttempts(error, attempt);
    if (attempt >= policy.maxAttempts) throw withAttempts(error, attempt);

    const now = clock.now();
    const serverWaitMs = error.retryAt ? Math.max(0, error.retryAt.getTime() - now) : 0;
    if (error.retryAt && serverWaitMs > policy.maxDelayMs) throw deferred(error, error.retryAt, attempt, now);
    const delayMs = Math.max(backoffDelay(policy, attempt, random), serverWaitMs);
    if (now + delayMs > deadline) {
      if (error.retryAt && error.retryAt.getTime() > deadline) throw deferred(error, error.retryAt, attempt, now);
      throw withAttempts(error, attempt);
    }

    // An operation that ignored the signal may fail with a retryable error after the abort: announce no retry.
    if (signal?.aborted) throw abortError(signal);
    options.onRetry?.({ attempt, delayMs, error });
    await clock.sleep(delayMs, signal);
  }
}

/** The error that ends the loop, carrying the attempt count once there was more than one attempt. */
function withAttempts(error: unknown, attempts: number): unknown {
  if (attempts === 1 || !TaktError.is(error)) return error;
  return new TaktError(error.code, error.message, {
    retryable: error.retryable,
    retryAt: error.retryAt,
    cause: error,
    details: { ...error.details, attempts },
  });
}

function deferred(last: TaktError, retryAt: Date, attempts: number, now: number): TaktError {
  const inSeconds = Math.ceil((retryAt.getTime() - now) / 1000);
  return new TaktError(
    'RETRY_DEFERRED',
    `Retry at ${retryAt.toISOString()} (in ${inSeconds} s), as the server asked; that is later than this retry ` +
      `policy waits, so the work is deferred instead of retried early. Last error: ${last.message}`,
    { retryAt, cause: last, details: { attempts } },
  );
}
