import { TaktError } from '../../errors';
import { systemClock, type Clock } from '../../time';
import { classifyFailure } from './classify';
import { classifyStatus } from './classify-status';
import type { Dispatcher } from 'undici';
import { Dispatchers, type Route } from './dispatchers';
import { BODY_SNIPPET_BYTES, type RequestContext } from './failure-facts';
import { resolveProxy, type ProxyConfig } from './proxy';
import { parseHttpUrl, resolveRequestUrl, type Query, type ResolvedUrl } from './request-url';
import {
  decodeBody,
  readLimited,
  readPrefix,
  socketReleased,
  type ResponseBodies,
  type ResponseKind,
} from './response-body';
import { SecretSet } from './secret-set';
import { resolveTlsOptions, type TlsOptions } from './tls-options';

/**
 * undici checks these on a coarse clock (its "fast timers" tick every ~0.5 s), so a timeout fires up to about
 * a second after its value: exact enough for 10-60 s limits, not for sub-second ones.
 * https://github.com/nodejs/undici/blob/v7.16.0/lib/util/timers.js
 */
export interface HttpTimeouts {
  /** TCP connect plus TLS handshake. */
  readonly connectMs: number;
  /** From sending the request to the end of the response headers. */
  readonly headersMs: number;
  /** Longest pause between two chunks of the response body (not a limit on the whole download). */
  readonly bodyMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 60_000 };
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

export interface HttpClientOptions {
  /** Service root that request paths are appended to; may carry `user:password@` (sent as Basic auth). */
  readonly baseUrl?: string;
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly tls?: TlsOptions;
  /** Default 'env': HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read when the client is created. */
  readonly proxy?: ProxyConfig;
  /** Larger responses fail with RESPONSE_TOO_LARGE. Default 50 MiB. */
  readonly maxResponseBytes?: number;
  /** Sent with every request; a request's own headers override them. Credential values are masked everywhere. */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  readonly keepAlive?: {
    /** Idle time before a pooled socket is closed (default 4 s, undici's); a server's Keep-Alive hint may lower it. */
    readonly idleMs?: number;
    /** Cap on a server's Keep-Alive hint (default 10 min). */
    readonly maxIdleMs?: number;
  };
  /** Parallel sockets per origin; further requests queue. Default 10. */
  readonly connectionsPerOrigin?: number;
  /** Time source for Retry-After dates. */
  readonly clock?: Pick<Clock, 'now'>;
  /**
   * Sends every request through this undici dispatcher instead of the client's own pools; TLS, proxy and
   * pool settings are then the dispatcher's business, and `close()` leaves it open for its owner. For
   * contract tests (undici's MockAgent replays documented exchanges with the network off) and for hosts that
   * bring their own agent.
   */
  readonly dispatcher?: Dispatcher;
}

/** A JSON value (object or array, sent with Content-Type application/json), text, or bytes. */
export type RequestBody = string | Uint8Array | Readonly<Record<string, unknown>> | readonly unknown[];

export interface HttpRequest<K extends ResponseKind = 'json'> {
  /** Default GET. */
  readonly method?: string;
  /**
   * Absolute, or resolved against baseUrl like a link (OData next links). Exactly one of `url` and `path`.
   * Default headers, credentials included, go to whatever origin it names: following a link to another host
   * is the caller's decision.
   */
  readonly url?: string;
  /** Appended to baseUrl's path. */
  readonly path?: string;
  readonly query?: Query;
  /** Case-insensitive; `undefined` removes a default header. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: RequestBody;
  readonly signal?: AbortSignal;
  /** Default 'json': parsed, `undefined` when empty. */
  readonly expect?: K;
  /** Statuses besides 2xx that are answers rather than errors (304, or a 404 that means "absent"). */
  readonly okStatuses?: readonly number[];
}

export interface HttpResponse<B = unknown> {
  readonly status: number;
  /** Lower-case names; `set-cookie` is an array. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: B;
  /** The URL requested, without credentials: the base for resolving relative links in the body. */
  readonly url: string;
}

/** Error bodies are read this far past the snippet so the socket can be reused; longer ones are cut off. */
const ERROR_BODY_DRAIN_BYTES = 64 * 1024;

/**
 * HTTP for one connection: a keep-alive socket pool per origin (undici), TLS and proxy settings, timeouts and
 * a response size limit. Every failure is a TaktError from the classification table, with
 * `details.requestMayHaveReachedServer` for the retry module; this class does not retry.
 *
 * Credentials are registered for masking while they are in use: those in the options and the base URL until
 * `close()`, those of one request until it settles. An owner of long-lived credentials (a token cache)
 * registers them itself for as long as it holds them.
 */
export class HttpClient {
  private readonly base: ResolvedUrl | undefined;
  private readonly timeouts: HttpTimeouts;
  private readonly maxResponseBytes: number;
  private readonly defaultHeaders: Readonly<Record<string, string>>;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly secrets = new SecretSet();
  private readonly dispatchers: Dispatchers;
  private readonly dispatcher: Dispatcher | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: HttpClientOptions = {}) {
    try {
      this.base = options.baseUrl === undefined ? undefined : parseHttpUrl(options.baseUrl, 'baseUrl');
      this.secrets.addAll(this.base?.secrets ?? []);
      this.timeouts = {
        connectMs: positive(options.timeouts?.connectMs ?? DEFAULT_TIMEOUTS.connectMs, 'timeouts.connectMs'),
        headersMs: positive(options.timeouts?.headersMs ?? DEFAULT_TIMEOUTS.headersMs, 'timeouts.headersMs'),
        bodyMs: positive(options.timeouts?.bodyMs ?? DEFAULT_TIMEOUTS.bodyMs, 'timeouts.bodyMs'),
      };
      this.maxResponseBytes = positive(options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes');
      this.defaultHeaders = this.headerDefaults(options.defaultHeaders);
      this.clock = options.clock ?? systemClock;
      this.dispatcher = options.dispatcher;
      const tls = resolveTlsOptions(options.tls);
      this.secrets.addAll(tls.secrets);
      const proxy = resolveProxy(options.proxy ?? 'env');
      for (const endpoint of [proxy.http, proxy.https]) this.secrets.addAll(endpoint?.secrets ?? []);
      this.dispatchers = new Dispatchers(
        {
          ...this.timeouts,
          keepAliveMs: positive(options.keepAlive?.idleMs ?? 4_000, 'keepAlive.idleMs'),
          keepAliveMaxMs: positive(options.keepAlive?.maxIdleMs ?? 600_000, 'keepAlive.maxIdleMs'),
          connectionsPerOrigin: positive(options.connectionsPerOrigin ?? 10, 'connectionsPerOrigin'),
        },
        tls,
        proxy,
      );
    } catch (error) {
      // A half-built client is never returned, so it cannot release what it registered later.
      this.secrets.release();
      throw error;
    }
  }

  /**
   * Sends one request and reads the whole response. Resolves for 2xx and `okStatuses`; rejects with a
   * TaktError for anything else: the status table for other statuses, the network table for failures,
   * RESPONSE_TOO_LARGE, RESPONSE_INVALID (JSON that does not parse), URL_INVALID, ABORTED.
   */
  async request<K extends ResponseKind = 'json'>(request: HttpRequest<K>): Promise<HttpResponse<ResponseBodies[K]>> {
    if (this.closing) {
      throw new TaktError('INTERNAL', 'This HTTP client is closed; requests need a new one.');
    }
    const secrets = new SecretSet();
    try {
      return await this.send(request, secrets);
    } finally {
      secrets.release();
    }
  }

  /** Closes every pooled socket once in-flight requests finish. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.dispatchers.close().finally(() => this.secrets.release());
    return this.closing;
  }

  private async send<K extends ResponseKind>(
    request: HttpRequest<K>,
    secrets: SecretSet,
  ): Promise<HttpResponse<ResponseBodies[K]>> {
    const method = (request.method ?? 'GET').toUpperCase();
    const target = resolveRequestUrl(request, this.base?.url);
    secrets.addAll(target.secrets);
    const kind = request.expect ?? 'json';
    const headers = this.headersFor(request, target, kind, secrets);
    const body = encodeBody(request.body, headers);
    const route: Route = this.dispatcher ? { dispatcher: this.dispatcher } : this.dispatchers.route(target.url);
    const context: RequestContext = {
      method,
      url: target.url,
      ...(route.proxy ? { proxy: route.proxy } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    };
    try {
      const response = await route.dispatcher.request({
        origin: target.url.origin,
        path: `${target.url.pathname}${target.url.search}`,
        method,
        headers,
        body: body ?? null,
        signal: request.signal ?? null,
        // Per request as well as per pool: undici's forwarding proxy client is built without pool options.
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
      });
      const responseHeaders = definedHeaders(response.headers);
      const contentType = single(responseHeaders['content-type']);
      if (!isOk(response.statusCode, request.okStatuses)) {
        const start = await readPrefix(response.body, BODY_SNIPPET_BYTES, ERROR_BODY_DRAIN_BYTES);
        await socketReleased();
        const failed = { status: response.statusCode, statusText: response.statusText, headers: responseHeaders };
        throw classifyStatus({ ...failed, body: start }, context, this.clock.now());
      }
      const bytes = await readLimited(response.body, responseHeaders['content-length'], this.maxResponseBytes, context);
      await socketReleased();
      return {
        status: response.statusCode,
        headers: responseHeaders,
        // `expect` is absent only when K is its default, 'json'.
        body: decodeBody(bytes, kind as K, contentType, context),
        url: target.url.href,
      };
    } catch (error) {
      throw classifyFailure(error, context);
    }
  }

  /** Defaults, then credentials from the request URL, then the request's own headers; names lower-cased. */
  private headersFor(
    request: HttpRequest<ResponseKind>,
    target: ResolvedUrl,
    kind: ResponseKind,
    secrets: SecretSet,
  ): Record<string, string> {
    const headers = new Map(Object.entries(this.defaultHeaders));
    if (kind === 'json' && !headers.has('accept')) headers.set('accept', 'application/json');
    if (target.authorization) headers.set('authorization', target.authorization);
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      const key = name.toLowerCase();
      if (value === undefined) {
        headers.delete(key);
      } else {
        headers.set(key, value);
        secrets.addHeader(key, value);
      }
    }
    return Object.fromEntries(headers);
  }

  private headerDefaults(given: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.base?.authorization) headers.authorization = this.base.authorization;
    for (const [name, value] of Object.entries(given ?? {})) {
      headers[name.toLowerCase()] = value;
      this.secrets.addHeader(name, value);
    }
    return headers;
  }
}

function encodeBody(body: RequestBody | undefined, headers: Record<string, string>): string | Uint8Array | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

function isOk(status: number, okStatuses: readonly number[] | undefined): boolean {
  return (status >= 200 && status < 300) || (okStatuses?.includes(status) ?? false);
}

function definedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TaktError('CONFIG_INVALID', `${field} must be a positive number (got ${String(value)}).`, {
      details: { field },
    });
  }
  return value;
}
