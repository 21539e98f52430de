import type { RateLimitHeaderNames } from './config';

/** Values of Reset above these are absolute times; below, seconds from now (both styles exist in the wild). */
const EPOCH_MS_FLOOR = 1e12;
const EPOCH_S_FLOOR = 1e9;

/**
 * When the next call may go, from a response's rate-limit headers: the Reset time when Remaining is 0, and
 * undefined while budget is left or the headers are absent or unreadable. Waiting for Reset instead of sending
 * into a 429 keeps the penalty off the connection: some gateways extend the window for clients that keep
 * sending, and a 429 on a bulk write costs a whole round trip of up to 1000 records.
 */
export function rateLimitResumeAt(
  headers: Readonly<Record<string, string | string[]>>,
  names: RateLimitHeaderNames,
  now: number,
): number | undefined {
  const remaining = numberHeader(headers[names.remaining.toLowerCase()]);
  if (remaining === undefined || remaining > 0) return undefined;
  const reset = numberHeader(headers[names.reset.toLowerCase()]);
  if (reset === undefined || reset < 0) return undefined;
  const at = reset >= EPOCH_MS_FLOOR ? reset : reset >= EPOCH_S_FLOOR ? reset * 1000 : now + reset * 1000;
  return at > now ? at : undefined;
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Number(text);
}
