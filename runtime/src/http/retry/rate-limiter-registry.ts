import { RateLimiter, type RateLimiterOptions } from './rate-limiter';

/**
 * One RateLimiter per key (a connection id), so that every node, worker loop and request that talks to one
 * connection draws on one budget and honours one pause. A limiter per caller would let N callers send N times
 * the limit, and a Retry-After seen by one would not hold back the others.
 */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();

  /**
   * The limiter for `key`, created on first use. Asked again with a different `limit` or `periodMs` (the user
   * edited the connection), the same instance takes the new values, so callers already holding it stay on one
   * budget with the newcomers. The clock is fixed by the first call.
   */
  get(key: string, options: RateLimiterOptions): RateLimiter {
    const existing = this.limiters.get(key);
    if (!existing) {
      const created = new RateLimiter(options);
      this.limiters.set(key, created);
      return created;
    }
    const current = existing.options;
    if (current.limit !== options.limit || current.periodMs !== options.periodMs) {
      existing.reconfigure({ limit: options.limit, periodMs: options.periodMs });
    }
    return existing;
  }

  has(key: string): boolean {
    return this.limiters.has(key);
  }

  /**
   * Forgets `key`, for a connection that was removed. Callers still holding its limiter keep using it; the next
   * `get` creates a fresh one.
   */
  delete(key: string): boolean {
    return this.limiters.delete(key);
  }

  get size(): number {
    return this.limiters.size;
  }
}

/**
 * The process-wide registry lives on a global symbol because n8n and Node-RED may each load a copy of the
 * runtime into one process; both copies must find the same limiters. The version in the key keeps a future,
 * incompatible RateLimiter from being handed to an older copy.
 */
const GLOBAL_KEY = Symbol.for('takt.http.rateLimiters.v1');

export function globalRateLimiterRegistry(): RateLimiterRegistry {
  const holder = globalThis as { [GLOBAL_KEY]?: RateLimiterRegistry };
  let registry = holder[GLOBAL_KEY];
  if (!registry) {
    registry = new RateLimiterRegistry();
    holder[GLOBAL_KEY] = registry;
  }
  return registry;
}

/** The limiter every caller of connection `key` shares, process-wide (see `RateLimiterRegistry.get`). */
export function sharedRateLimiter(key: string, options: RateLimiterOptions): RateLimiter {
  return globalRateLimiterRegistry().get(key, options);
}
