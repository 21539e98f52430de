import { TaktError } from '../errors';

/**
 * Time as a dependency. Retries, rate limits, leases and claims read the time and wait through a Clock so
 * tests can drive them with `FakeClock` and assert exact delays instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with ABORTED when the signal fires first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortError(signal: AbortSignal | undefined): TaktError {
  const reason: unknown = signal?.reason;
  const text =
    reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'the operation was cancelled';
  return new TaktError('ABORTED', `Cancelled: ${text}`, { cause: reason });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
