import type { Comparable } from '../filter/comparable';
import { badRequest } from '../odata/odata-error';

/**
 * $skiptoken: the sort tuple of the last record served, base64url-encoded. Opaque to clients (reference A.6)
 * and position-based rather than an offset, so a page costs the same whether it is the first or the
 * hundredth, and records written between pages neither repeat nor vanish before the cursor.
 */
export function encodeSkipToken(tuple: readonly Comparable[]): string {
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

export function decodeSkipToken(token: string, length: number): Comparable[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`Invalid $skiptoken '${token}'`);
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === length &&
    parsed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (!valid) throw badRequest(`Invalid $skiptoken '${token}'`);
  return parsed as Comparable[];
}
