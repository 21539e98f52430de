import { redactUrl } from '../../errors';

/**
 * Reading what Node and undici throw, and describing the request it happened to: the raw material of
 * `classify.ts`, kept apart so the table there reads as a table.
 */

/** How much of a response body error details keep (`details.bodySnippet`). */
export const BODY_SNIPPET_BYTES = 2048;

/** What was being attempted. */
export interface RequestContext {
  readonly method: string;
  /** The request URL without userinfo; shown redacted. */
  readonly url: URL;
  /** The proxy the request went through, without credentials. */
  readonly proxy?: string;
  /** The caller's signal: once it has fired, whatever undici threw is reported as ABORTED. */
  readonly signal?: AbortSignal;
}

/** The `details` of every error the transport raises. */
export interface TransportErrorDetails {
  /**
   * false only when the failure proves the server did not act on the request: it was never sent (DNS,
   * refused, unreachable, connect timeout, TLS, an invalid URL, a proxy that refused to forward it), or the
   * server refused it unprocessed (401, 403, 407, 408, 425, 429). true otherwise, including when unknown.
   * The retry module reads exactly `details.requestMayHaveReachedServer === true` to refuse resending a
   * non-idempotent write.
   */
  readonly requestMayHaveReachedServer: boolean;
  readonly method: string;
  /** Redacted. */
  readonly url: string;
  readonly proxy?: string;
  /** The Node / undici / OpenSSL code behind a network failure (ECONNRESET, UND_ERR_SOCKET, …). */
  readonly networkCode?: string;
  readonly status?: number;
  /** The first bytes of the response body (BODY_SNIPPET_BYTES), redacted. */
  readonly bodySnippet?: string;
  /** Response headers, credential headers masked. */
  readonly responseHeaders?: Readonly<Record<string, string | string[]>>;
}

/** The details for a TaktError: TransportErrorDetails, as the plain record TaktError takes. */
export function transportDetails(
  context: RequestContext,
  requestMayHaveReachedServer: boolean,
  extra: Partial<TransportErrorDetails> = {},
): Record<string, unknown> {
  const details: TransportErrorDetails = {
    requestMayHaveReachedServer,
    method: context.method,
    url: redactUrl(context.url),
    ...(context.proxy ? { proxy: context.proxy } : {}),
    ...extra,
  };
  return { ...details };
}

/** `GET https://host/path?query`, redacted. */
export function describeRequest(context: RequestContext): string {
  return `${context.method} ${redactUrl(context.url)}`;
}

/**
 * The error and its causes, outermost first: undici and fetch wrap socket errors, and Node 20's happy-eyeballs
 * connect (autoSelectFamily) fails with an AggregateError holding one error per address tried.
 */
export function* causeChain(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    yield current;
    if (current instanceof AggregateError) yield* current.errors.slice(0, 1);
    current = (current as { cause?: unknown }).cause;
  }
}

/** The stable identifier of an error: its string `code`, or the name of a DOMException abort. */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && code.length > 0) return code;
  // AbortSignal aborts are DOMExceptions whose numeric `code` is legacy; the name is what identifies them.
  return name === 'AbortError' || name === 'TimeoutError' ? name : undefined;
}

/** One line of an error's message for a TaktError message (which redacts it). */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Why the caller's signal fired, in words. */
export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message || reason.name;
  return typeof reason === 'string' && reason ? reason : 'the caller cancelled it';
}

/**
 * The status a proxy refused a request with, read from undici 7's messages: a refused tunnel is
 * RequestAbortedError("Proxy response (407) !== 200 when HTTP Tunneling"), a 407 to a forwarded plain-http
 * request is InvalidArgumentError("Proxy Authentication Required (407)"). Their codes (UND_ERR_ABORTED,
 * UND_ERR_INVALID_ARG) would otherwise read as a cancellation and a bad header. The proxy tests pin these
 * messages, so an undici upgrade that rewords them fails there first.
 * https://github.com/nodejs/undici/blob/main/lib/dispatcher/proxy-agent.js
 */
export function proxyRefusalStatus(error: unknown): number | undefined {
  const text = messageOf(error);
  const tunnel = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(text);
  if (tunnel?.[1] !== undefined) return Number(tunnel[1]);
  return /^Proxy Authentication Required \(407\)$/.test(text) ? 407 : undefined;
}
