import { TaktError } from '../../errors';

/**
 * How a call is retried, as plain data: it comes from a node's settings or a connection's configuration, is
 * stored with a job, and is compared in tests. Behaviour lives in `backoffDelay` and `retry`.
 */
export type JitterMode = 'full' | 'equal' | 'none';

export interface RetryPolicy {
  /** Attempts in total, the first one included (5 means one call and up to four retries). Integer ≥ 1. */
  readonly maxAttempts: number;
  /** The backoff before the first retry, before jitter. ms, ≥ 0. */
  readonly baseDelayMs: number;
  /**
   * The cap on one wait, ms, ≥ baseDelayMs. It caps the backoff; it never shortens a server's Retry-After: a
   * longer Retry-After ends the loop with RETRY_DEFERRED instead (see `retry`).
   */
  readonly maxDelayMs: number;
  /** Budget for the whole loop, measured from the start of the first attempt. No wait may end past it. ms, > 0. */
  readonly maxElapsedMs: number;
  /** How the backoff is spread so that clients failing together do not retry together. */
  readonly jitter: JitterMode;
  /** Growth factor per attempt, ≥ 1 (1 gives a constant backoff). */
  readonly multiplier: number;
}

/**
 * The defaults follow undici's retry interceptor (5 attempts, 500 ms, ×2, 30 s cap) and add what it lacks:
 * full jitter, the AWS "Exponential Backoff And Jitter" recommendation, and a 2-minute budget so a sync run
 * hands a stubborn failure to the dead letter instead of stalling for long.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 120_000,
  jitter: 'full',
  multiplier: 2,
});

const JITTER_MODES: readonly JitterMode[] = ['full', 'equal', 'none'];
const FIELDS = Object.keys(DEFAULT_RETRY_POLICY) as readonly (keyof RetryPolicy)[];

/**
 * The defaults with `overrides` applied, validated. Throws CONFIG_INVALID naming the first bad field
 * (`details.field`), including a field that does not exist, so a typo such as `maxAttempt` is reported instead
 * of silently ignored.
 */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...overrides });
}

/**
 * Checks a complete policy from any source (node parameters, JSON) and returns it typed and frozen. Throws
 * CONFIG_INVALID with `details.field` and `details.value` for the first field that is missing, unknown or out
 * of range.
 */
export function validateRetryPolicy(input: unknown): RetryPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TaktError('CONFIG_INVALID', 'Retry policy must be an object', { details: { field: 'retryPolicy' } });
  }
  const record = input as Record<string, unknown>;
  const unknownField = Object.keys(record).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknownField !== undefined) invalid(unknownField, record[unknownField], `is not a retry policy field`);

  const maxAttempts = integerAtLeast(record, 'maxAttempts', 1);
  const baseDelayMs = numberAtLeast(record, 'baseDelayMs', 0);
  const maxDelayMs = numberAtLeast(record, 'maxDelayMs', baseDelayMs, 'baseDelayMs');
  const maxElapsedMs = numberAtLeast(record, 'maxElapsedMs', 0);
  if (maxElapsedMs === 0) invalid('maxElapsedMs', maxElapsedMs, 'must be greater than 0');
  const multiplier = numberAtLeast(record, 'multiplier', 1);
  const jitter = record.jitter;
  if (!JITTER_MODES.includes(jitter as JitterMode)) {
    invalid('jitter', jitter, `must be one of ${JITTER_MODES.map((m) => `'${m}'`).join(', ')}`);
  }
  return Object.freeze({
    maxAttempts,
    baseDelayMs,
    maxDelayMs,
    maxElapsedMs,
    jitter: jitter as JitterMode,
    multiplier,
  });
}

/**
 * The wait after failed attempt number `attempt` (1-based), in whole ms (rounded down):
 * `d = min(maxDelayMs, baseDelayMs · multiplier^(attempt − 1))`, then
 * - full jitter: uniform in [0, d]: spreads retries best, the default;
 * - equal jitter: uniform in [d/2, d]: keeps half the backoff guaranteed;
 * - none: exactly d.
 *
 * `random` returns a number in [0, 1) like `Math.random`; tests inject a fixed one.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new TaktError('INTERNAL', `backoffDelay: attempt must be an integer ≥ 1 (got ${String(attempt)})`);
  }
  // A zero base stays zero; anything else may overflow to Infinity for a large attempt, which the cap absorbs.
  const exponential = policy.baseDelayMs === 0 ? 0 : policy.baseDelayMs * policy.multiplier ** (attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  switch (policy.jitter) {
    case 'full':
      return Math.floor(random() * capped);
    case 'equal':
      return Math.floor(capped / 2 + (random() * capped) / 2);
    case 'none':
      return Math.floor(capped);
  }
}

function numberAtLeast(
  record: Record<string, unknown>,
  field: keyof RetryPolicy,
  minimum: number,
  minimumName?: string,
): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(field, value, 'must be a finite number');
  if (value < minimum) {
    invalid(field, value, `must be at least ${minimumName ? `${minimumName} (${minimum})` : String(minimum)}`);
  }
  return value;
}

function integerAtLeast(record: Record<string, unknown>, field: keyof RetryPolicy, minimum: number): number {
  const value = numberAtLeast(record, field, minimum);
  if (!Number.isInteger(value)) invalid(field, value, 'must be a whole number');
  return value;
}

function invalid(field: string, value: unknown, problem: string): never {
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  throw new TaktError('CONFIG_INVALID', `Retry policy: ${field} ${problem} (got ${shown})`, {
    details: { field, value },
  });
}
