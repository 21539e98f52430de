import { TaktError } from '../errors';
import { systemClock, type Clock } from '../time';
import { retry, type RetryInfo } from './retry/retry';
import { retryPolicy, type RetryPolicy } from './retry/retry-policy';
import type { RateLimitOptions, RateLimiter } from './retry/rate-limiter';
import { sharedRateLimiter } from './retry/rate-limiter-registry';
import { HttpClient, type HttpClientOptions, type HttpRequest, type HttpResponse } from './transport/http-client';
import type { ResponseBodies, ResponseKind } from './transport/response-body';

export interface HttpConnectionOptions extends Omit<HttpClientOptions, 'clock'> {
  /**
   * Identifies the connection across every node and caller in this process: they share one rate limit and
   * one Retry-After pause. Use the credential or config-node id, never something that holds a secret.
   */
  readonly id: string;
  /** Client-side limit (N requests per period) for this connection; unlimited when absent. */
  readonly rateLimit?: RateLimitOptions;
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: Clock;
}

export interface SendOptions {
  /**
   * Whether repeating this request cannot duplicate an effect. Defaults by method (RFC 9110 §9.2.2): GET,
   * HEAD, OPTIONS, PUT and DELETE are idempotent; POST and PATCH are not unless the caller declares it
   * (an upsert on a key, If-Match, an idempotency key).
   */
  readonly idempotent?: boolean;
  /** Told before each wait, so a host can show "retry in 3 s". */
  readonly onRetry?: (info: RetryInfo) => void;
}

/** No client-side limit: a window so short that the log never holds more than the current instant. */
const UNLIMITED: RateLimitOptions = { limit: Number.MAX_SAFE_INTEGER, periodMs: 1 };

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * One connection to one system, as connectors use it: the transport (pooled, TLS, proxy, classified errors)
 * behind the connection's shared rate limiter, inside the retry policy. A 429 or 503 with Retry-After seen
 * by any caller pauses every caller of the connection until then (servers such as Dataverse extend the
 * penalty for clients that keep sending), and the failing call itself waits at least that long or is
 * deferred with RETRY_DEFERRED when the wait is longer than the policy's cap.
 */
export class HttpConnection {
  readonly id: string;
  readonly policy: RetryPolicy;
  private readonly client: HttpClient;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;

  constructor(options: HttpConnectionOptions) {
    if (!options.id) throw new TaktError('CONFIG_INVALID', 'An HTTP connection needs an id (the connection name).');
    const { id, rateLimit, retry: retryOverrides, clock, ...clientOptions } = options;
    this.id = id;
    this.clock = clock ?? systemClock;
    this.policy = retryPolicy(retryOverrides);
    this.client = new HttpClient({ ...clientOptions, clock: this.clock });
    this.limiter = sharedRateLimiter(id, { ...(rateLimit ?? UNLIMITED), clock: this.clock });
  }

  send<K extends ResponseKind = 'json'>(
    request: HttpRequest<K>,
    options: SendOptions = {},
  ): Promise<HttpResponse<ResponseBodies[K]>> {
    const method = (request.method ?? 'GET').toUpperCase();
    return retry(
      async (_attempt, signal) => {
        await this.limiter.acquire(signal);
        try {
          return await this.client.request({ ...request, ...(signal ? { signal } : {}) });
        } catch (error) {
          if (TaktError.is(error) && error.retryAt) this.limiter.pauseUntil(error.retryAt);
          throw error;
        }
      },
      {
        policy: this.policy,
        clock: this.clock,
        idempotent: options.idempotent ?? IDEMPOTENT_METHODS.has(method),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      },
    );
  }

  /**
   * Holds every caller of this connection until `at` (epoch ms): for a server that announces its budget in
   * headers (X-RateLimit-Remaining 0 until Reset) rather than with a 429, so the next call waits instead of
   * drawing one. An earlier time than a pause already in force changes nothing.
   */
  pauseUntil(at: number): void {
    this.limiter.pauseUntil(at);
  }

  /** When the current pause ends, or undefined when callers may go. */
  get pausedUntil(): number | undefined {
    return this.limiter.pausedUntil;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
