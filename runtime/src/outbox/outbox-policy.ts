import { retryPolicy, type RetryPolicy } from '../http';

/**
 * How the outbox retries, as data (the same RetryPolicy shape as HTTP calls, read differently):
 * - `maxAttempts` and `maxElapsedMs` (from the entry's creation) bound the retries of a record the target
 *   rejected with a retryable error; after either, the entry is dead-lettered.
 * - A call that failed as a whole (target down, 429, 503, refused) is never the record's fault: its entries
 *   wait with backoff however long the outage lasts and are never dead-lettered for it (store-and-forward).
 * - `baseDelayMs`, `multiplier`, `maxDelayMs` and `jitter` shape every wait; a server's Retry-After is a floor.
 *
 * The defaults retry a rejected record for up to a day, and probe a down target at most every 5 minutes.
 */
export const DEFAULT_OUTBOX_RETRY_POLICY: RetryPolicy = retryPolicy({
  maxAttempts: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  maxElapsedMs: 24 * 3_600_000,
  jitter: 'full',
  multiplier: 2,
});

export function outboxRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return retryPolicy({ ...DEFAULT_OUTBOX_RETRY_POLICY, ...overrides });
}
