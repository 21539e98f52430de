import { TaktError } from '../errors';

/** Default webhook body limit: thin event payloads are a few KiB (erp-protocols.md D.1), 1 MiB is generous. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number, seen: string): TaktError {
  return new TaktError(
    'WEBHOOK_PAYLOAD_TOO_LARGE',
    `The webhook body is larger than ${maxBytes} bytes (${seen}); raise the limit if the sender's events are that large.`,
    { details: { status: 413, maxBytes } },
  );
}

/** Rejects a body that is already in memory, before anything hashes or parses it. */
export function assertBodyWithinLimit(body: Uint8Array | string, maxBytes: number): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  if (bytes.length > maxBytes) throw tooLarge(maxBytes, `${bytes.length} bytes`);
  return bytes;
}

/**
 * Reads a request body up to `maxBytes`: a declared Content-Length over the limit is refused before the
 * first byte is read, and a body without one is cut off as soon as it passes the limit, so an oversized
 * upload costs at most `maxBytes` of memory and no hashing.
 */
export async function readBodyWithinLimit(
  chunks: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
  contentLength?: string,
): Promise<Buffer> {
  if (contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > maxBytes) {
    throw tooLarge(maxBytes, `Content-Length ${contentLength}`);
  }
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    const part = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += part.length;
    if (total > maxBytes) throw tooLarge(maxBytes, `more than ${maxBytes} bytes received`);
    parts.push(part);
  }
  return Buffer.concat(parts, total);
}
