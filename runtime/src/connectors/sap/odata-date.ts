/**
 * Instants as OData writes them: V2 `/Date(<ms>±hhmm)/` (reference A.5), ISO 8601 (V4 and what Takt emits), and
 * SAP's 14-character `YYYYMMDDhhmmss` UTC timestamps held in Edm.String fields (reference A.11,
 * API_PRODUCTION_ORDER_2_SRV `LastChangeDateTime`).
 */

const V2_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const TIMESTAMP14 = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
/** ISO 8601 date or date-time; without a zone it is read as UTC, which is how SAP stores Edm.DateTime. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The instant of a V2 `/Date(…)/` literal, or undefined when the text is not one. The milliseconds are UTC;
 * the optional offset suffix only records the zone the value was entered in, so it does not move the instant.
 * https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-odata/a079a72d-31c1-44df-b315-3972c4c85e57
 */
export function parseV2Date(text: string): Date | undefined {
  const match = V2_DATE.exec(text);
  if (!match?.[1]) return undefined;
  const date = new Date(Number(match[1]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A V2 `/Date(…)/` literal as ISO 8601 UTC, or the text unchanged when it is not one. */
export function v2DateToIso(text: string): string {
  return parseV2Date(text)?.toISOString() ?? text;
}

/**
 * Reads an instant given as ISO 8601 (zone optional, UTC when absent), a 14-character SAP timestamp, or a V2
 * `/Date(…)/` literal. Undefined for anything else, and for impossible dates (2024-02-30) that Date would
 * silently roll over into the next month.
 */
export function parseInstant(text: string): Date | undefined {
  const trimmed = text.trim();
  const v2 = parseV2Date(trimmed);
  if (v2) return v2;
  const stamp = TIMESTAMP14.exec(trimmed);
  const iso = stamp ? undefined : ISO.exec(trimmed);
  const parts = stamp ?? iso;
  if (!parts) return undefined;
  const [, y = '', mo = '', d = '', h = '00', mi = '00', s = '00'] = parts;
  const fraction = iso?.[7] ?? '';
  const zone = iso?.[8] ?? 'Z';
  if (!plausible(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) return undefined;
  const ms = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function plausible(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYY-MM-DDThh:mm:ss` in UTC, with `.fff` only when the milliseconds are not zero. */
export function isoLocal(date: Date): string {
  const base =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${pad(ms, 3)}`;
}

/** `YYYY-MM-DD` in UTC. */
export function isoDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** `YYYYMMDDhhmmss` in UTC; milliseconds are dropped (rounded down), which keeps a `ge` filter inclusive. */
export function timestamp14(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}
