export { mayHaveReachedServer, REQUEST_MAY_HAVE_REACHED_SERVER } from './may-have-reached-server';
export { RateLimiter, type RateLimitOptions, type RateLimiterOptions } from './rate-limiter';
export { RateLimiterRegistry, globalRateLimiterRegistry, sharedRateLimiter } from './rate-limiter-registry';
export { retry, type RetryInfo, type RetryOptions, type RetryableOperation } from './retry';
export { parseRetryAfter, type RetryAfterHeader } from './retry-after';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  retryPolicy,
  validateRetryPolicy,
  type JitterMode,
  type RetryPolicy,
} from './retry-policy';
