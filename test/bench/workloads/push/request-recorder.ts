import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

/**
 * What the bench process itself saw of every HTTP request the connector made, from undici's diagnostics
 * channels (published by the HTTP client the runtime uses, whoever calls it): when each request's headers
 * went onto the socket, and when its answer's status and Retry-After came back. The connector is not touched.
 *
 * A bulk request is told apart from the others by the first external_id in its body, so the retry of a batch
 * is matched to the 429 or 503 it follows, which the simulator's log (no bodies) cannot do.
 */
export interface RecordedRequest {
  readonly batch: string;
  /** performance.now() when the request was written to the socket. */
  sentAt: number;
  /** performance.now() when its response headers arrived; undefined when none did. */
  answeredAt?: number;
  status?: number;
  /** Seconds, from the answer's Retry-After. */
  retryAfter?: number;
}

interface CreateMessage {
  readonly request: object & { readonly body?: unknown };
}
interface SendHeadersMessage {
  readonly request: object;
}
interface HeadersMessage {
  readonly request: object;
  readonly response: { readonly statusCode: number; readonly headers: readonly Buffer[] };
}

const FIRST_ID = /"external_id":"([^"]*)"/;

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 512);
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, Math.min(512, body.byteLength)).toString('utf8');
  return '';
}

function retryAfterOf(headers: readonly Buffer[]): number | undefined {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i]?.toString('latin1').toLowerCase() === 'retry-after') {
      const seconds = Number(headers[i + 1]?.toString('latin1'));
      return Number.isFinite(seconds) ? seconds : undefined;
    }
  }
  return undefined;
}

export class RequestRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly byRequest = new WeakMap<object, RecordedRequest>();
  private readonly batchOf = new WeakMap<object, string>();

  private readonly onCreate = (message: unknown): void => {
    const { request } = message as CreateMessage;
    this.batchOf.set(request, FIRST_ID.exec(bodyText(request.body))?.[1] ?? '');
  };

  private readonly onSendHeaders = (message: unknown): void => {
    const { request } = message as SendHeadersMessage;
    const recorded: RecordedRequest = { batch: this.batchOf.get(request) ?? '', sentAt: performance.now() };
    this.byRequest.set(request, recorded);
    this.requests.push(recorded);
  };

  private readonly onHeaders = (message: unknown): void => {
    const { request, response } = message as HeadersMessage;
    const recorded = this.byRequest.get(request);
    if (!recorded) return;
    recorded.answeredAt = performance.now();
    recorded.status = response.statusCode;
    const retryAfter = retryAfterOf(response.headers);
    if (retryAfter !== undefined) recorded.retryAfter = retryAfter;
  };

  start(): void {
    subscribe('undici:request:create', this.onCreate);
    subscribe('undici:client:sendHeaders', this.onSendHeaders);
    subscribe('undici:request:headers', this.onHeaders);
  }

  stop(): void {
    unsubscribe('undici:request:create', this.onCreate);
    unsubscribe('undici:client:sendHeaders', this.onSendHeaders);
    unsubscribe('undici:request:headers', this.onHeaders);
  }
}

/** One refused request and what followed it: the retry of the same batch, and anything sent meanwhile. */
export interface Refusal {
  readonly status: number;
  readonly batch: string;
  /** ms from the answer to the retry of the same batch going out. */
  readonly waitedMs: number;
  /** The wait the server asked for (Retry-After), ms; 0 without the header. */
  readonly askedMs: number;
  /**
   * Other requests (any batch) written to the socket before the Retry-After had elapsed, as ms after the
   * refusal's answer arrived: requests already past the limiter when the pause began.
   */
  readonly othersSentAfterMs: readonly number[];
  /** ms of the wait not covered by any 429's pause (the part a 503's own backoff added). */
  readonly waitOutsidePausesMs: number;
}

/** Pairs every 429/503 with the next send of the same batch. Throws when a refused batch was never re-sent. */
export function refusals(requests: readonly RecordedRequest[]): Refusal[] {
  const found: Refusal[] = [];
  const pauses = requests
    .filter((r) => r.status === 429 && r.answeredAt !== undefined)
    .map((r) => ({ from: r.answeredAt ?? 0, to: (r.answeredAt ?? 0) + (r.retryAfter ?? 0) * 1000 }));
  requests.forEach((request, index) => {
    if (request.status !== 429 && request.status !== 503) return;
    const answeredAt = request.answeredAt ?? request.sentAt;
    const retry = requests
      .slice(index + 1)
      .find((later) => later.batch === request.batch && later.sentAt >= answeredAt);
    if (!retry)
      throw new Error(`the batch starting ${request.batch} was refused (${request.status}) and never re-sent`);
    const askedMs = (request.retryAfter ?? 0) * 1000;
    found.push({
      status: request.status,
      batch: request.batch,
      waitedMs: retry.sentAt - answeredAt,
      askedMs,
      othersSentAfterMs: requests
        .filter((other) => other !== retry && other.sentAt > answeredAt && other.sentAt < answeredAt + askedMs)
        .map((other) => other.sentAt - answeredAt),
      waitOutsidePausesMs: uncovered(answeredAt, retry.sentAt, pauses),
    });
  });
  return found;
}

/** Length of [from, to] not covered by any of the intervals. */
function uncovered(from: number, to: number, intervals: readonly { from: number; to: number }[]): number {
  let covered = 0;
  let cursor = from;
  for (const interval of [...intervals].sort((a, b) => a.from - b.from)) {
    const start = Math.max(cursor, interval.from);
    const end = Math.min(to, interval.to);
    if (end > start) {
      covered += end - start;
      cursor = end;
    }
  }
  return Math.max(0, to - from - covered);
}
