import type { Readable } from 'node:stream';

import { TaktError } from '../../errors';
import { BODY_SNIPPET_BYTES, describeRequest, transportDetails, type RequestContext } from './failure-facts';

/** How a caller wants the body: parsed JSON (the default), text, or raw bytes. */
export type ResponseKind = 'json' | 'text' | 'buffer';

export interface ResponseBodies {
  /** `undefined` for an empty body (204, HEAD). */
  json: unknown;
  text: string;
  buffer: Buffer;
}

/**
 * Reads a whole body, refusing more than `limit` bytes: before reading when Content-Length already says so,
 * otherwise as soon as the bytes received pass the limit, so a runaway response never sits in memory whole.
 * Destroying the stream makes undici close that socket instead of returning it to the pool.
 */
export async function readLimited(
  body: Readable,
  contentLength: string | string[] | undefined,
  limit: number,
  context: RequestContext,
): Promise<Buffer> {
  const declared = typeof contentLength === 'string' ? Number(contentLength) : Number.NaN;
  if (Number.isFinite(declared) && declared > limit) {
    discard(body);
    throw tooLarge(context, limit, `it declares ${declared} bytes`, { contentLength: declared });
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > limit) {
      discard(body);
      throw tooLarge(context, limit, `more than ${limit} bytes arrived`, { receivedBytes: received });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

/**
 * Reads the first `keep` bytes of an error body. Up to `drain` bytes are read and dropped after that so the
 * socket can go back to the pool; a body longer still is cut off with its socket.
 */
export async function readPrefix(body: Readable, keep: number, drain: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (kept < keep) {
      const part = chunk.subarray(0, keep - kept);
      chunks.push(part);
      kept += part.length;
    }
    if (seen > keep + drain) {
      discard(body);
      break;
    }
  }
  return Buffer.concat(chunks, kept);
}

/**
 * Stops reading and lets undici close the socket. undici's body stream emits its abort as an 'error' event,
 * which would be unhandled outside a read loop; nobody is waiting for this body any more.
 */
function discard(body: Readable): void {
  body.on('error', () => undefined).destroy();
}

/**
 * Resolves once undici has put the socket of a finished response back into the pool. undici waits a full
 * event-loop turn (setImmediate) before it reuses a socket; a caller that sends its next request sooner
 * finds the socket busy and opens another, so sequential requests would alternate between two sockets.
 * https://github.com/nodejs/undici/blob/v7.16.0/lib/dispatcher/client-h1.js (onMessageComplete)
 */
export function socketReleased(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Turns the bytes into what the caller asked for; JSON that does not parse is RESPONSE_INVALID. */
export function decodeBody<K extends ResponseKind>(
  bytes: Buffer,
  kind: K,
  contentType: string | undefined,
  context: RequestContext,
): ResponseBodies[K] {
  const decoded: ResponseBodies[ResponseKind] =
    kind === 'buffer' ? bytes : kind === 'text' ? textOf(bytes, contentType) : jsonOf(bytes, contentType, context);
  return decoded as ResponseBodies[K];
}

function jsonOf(bytes: Buffer, contentType: string | undefined, context: RequestContext): unknown {
  const text = textOf(bytes, contentType);
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const start = text.slice(0, 200).replace(/\s+/g, ' ').trim();
    throw new TaktError(
      'RESPONSE_INVALID',
      `The response to ${describeRequest(context)} is not valid JSON (Content-Type: ${contentType ?? 'none'}); it ` +
        `starts with: ${start}. An HTML page here usually means a login page, a proxy error page or a wrong ` +
        'service path in the URL.',
      {
        cause,
        details: transportDetails(context, true, {
          bodySnippet: bytes.subarray(0, BODY_SNIPPET_BYTES).toString('utf8'),
        }),
      },
    );
  }
}

/** Decodes with the charset the server declared, UTF-8 when it declared none or one Node does not know. */
function textOf(bytes: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function tooLarge(context: RequestContext, limit: number, what: string, extra: Record<string, unknown>): TaktError {
  return new TaktError(
    'RESPONSE_TOO_LARGE',
    `The response to ${describeRequest(context)} is larger than the limit of ${formatBytes(limit)} (${what}). ` +
      'Request smaller pages (e.g. $top or a page-size setting), or raise maxResponseBytes for this connection.',
    { details: { ...transportDetails(context, true), limitBytes: limit, ...extra } },
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}
