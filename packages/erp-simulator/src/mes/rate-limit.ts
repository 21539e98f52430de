/** The MES's request budget: `limit` requests per fixed window of `windowSeconds`. */
export interface MesRateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateDecision =
  | { readonly allowed: true; readonly headers: Record<string, string> }
  | { readonly allowed: false; readonly headers: Record<string, string>; readonly retryAfterSeconds: number };

/**
 * A fixed-window counter, as many API gateways in front of an MES keep one. Windows are aligned to multiples of
 * `windowSeconds` on the epoch, so `X-RateLimit-Reset` (Unix seconds when the window ends) is a whole second and
 * the same for every response in a window. A refused request does not spend budget.
 *
 * The vendor lists the three headers without their units; Reset as Unix seconds is the common reading (GitHub,
 * Twitter), and clients that expect seconds-until-reset can tell the two apart by size.
 */
export class FixedWindowLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;

  constructor(
    private readonly rate: MesRateLimit,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(rate.limit) || rate.limit < 1)
      throw new RangeError('rateLimit.limit must be a whole number ≥ 1');
    if (!(rate.windowSeconds > 0)) throw new RangeError('rateLimit.windowSeconds must be > 0');
  }

  take(): RateDecision {
    const now = this.now();
    const windowMs = this.rate.windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    const resetMs = start + windowMs;
    const allowed = this.used < this.rate.limit;
    if (allowed) this.used += 1;
    const headers = {
      'x-ratelimit-limit': String(this.rate.limit),
      'x-ratelimit-remaining': String(this.rate.limit - this.used),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    };
    if (allowed) return { allowed, headers };
    return { allowed, headers, retryAfterSeconds: Math.max(1, Math.ceil((resetMs - now) / 1000)) };
  }
}
