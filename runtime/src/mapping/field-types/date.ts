import type { DateTimeFormat } from '../types';
import { isValidWallTime, MAX_EPOCH_MS, MIN_EPOCH_MS } from './calendar';
import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';
import { formatODataV2Date, parseODataV2Date } from './odata-v2-date';
import { utcMillis } from './time-zone';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A date written as a date-time at midnight (Dynamics and Oracle do this); its written date is the date. */
const ISO_MIDNIGHT = /^(\d{4})-(\d{2})-(\d{2})T00:00(?::00(?:[.,]0+)?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const SAP8 = /^(\d{4})(\d{2})(\d{2})$/;
/** ABAP DATS initial value: no date. */
export const SAP8_INITIAL = '00000000';

/** The canonical date of a matched year, month and day, when they name a real day. */
function day(match: RegExpExecArray): string | undefined {
  const [, year = '', month = '', dayOfMonth = ''] = match;
  const wall = { year: +year, month: +month, day: +dayOfMonth, hour: 0, minute: 0, second: 0, millisecond: 0 };
  return isValidWallTime(wall) ? `${year}-${month}-${dayOfMonth}` : undefined;
}

/**
 * OData V2 sends a date as Edm.DateTime at midnight UTC (`sap:display-format="Date"`), so its UTC date is the
 * date. A V2 value with a time of day is a date-time, and truncating it would silently pick a day.
 */
function fromODataV2(text: string): string | undefined {
  const epochMs = parseODataV2Date(text);
  if (epochMs === undefined || epochMs % 86_400_000 !== 0 || epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS) {
    return undefined;
  }
  return new Date(epochMs).toISOString().slice(0, 10);
}

function fromIso(text: string): string | undefined {
  const match = ISO_DATE.exec(text) ?? ISO_MIDNIGHT.exec(text);
  return match ? day(match) : undefined;
}

function fromSap8(text: string): string | undefined {
  const match = SAP8.exec(text);
  return match ? day(match) : undefined;
}

function parse(text: string, format: DateTimeFormat): string | undefined {
  switch (format) {
    case 'iso':
      return fromIso(text);
    case 'odata-v2':
      // Raw V2 payloads (a webhook, a file) carry /Date(ms)/; Takt's SAP connector hands V2 dates over as
      // ISO 8601 already (runtime/src/connectors/sap/odata-date.ts). Both name the same day.
      return text.startsWith('/') ? fromODataV2(text) : fromIso(text);
    case 'sap8':
      return fromSap8(text);
    case 'sap14':
      return undefined;
    case 'auto':
      if (text.startsWith('/')) return fromODataV2(text);
      return SAP8.test(text) ? fromSap8(text) : fromIso(text);
  }
}

/** A calendar date in canonical form ('YYYY-MM-DD'), or the reason the value is not one. */
export function readDate(value: unknown, format: DateTimeFormat): Converted {
  const date = typeof value === 'string' ? parse(value, format) : undefined;
  if (date === undefined) {
    const expected = format === 'auto' ? 'a date' : `a ${format} date`;
    return invalid(`expected ${expected}, got ${describe(value)}`);
  }
  return ok(date);
}

/** The wire form of a canonical date. */
export function formatDate(isoDate: string, format: DateTimeFormat): string {
  switch (format) {
    case 'sap8':
      return isoDate.replace(/-/g, '');
    case 'odata-v2': {
      const [year = 0, month = 0, dayOfMonth = 0] = isoDate.split('-').map(Number);
      const wall = { year, month, day: dayOfMonth, hour: 0, minute: 0, second: 0, millisecond: 0 };
      return formatODataV2Date(utcMillis(wall));
    }
    default:
      return isoDate;
  }
}

/**
 * DATE, canonically 'YYYY-MM-DD': a calendar date, no zone. Inbound reads `format` (default 'auto': ISO date,
 * ISO date-time at midnight, ABAP 'YYYYMMDD', OData V2 at midnight UTC). SAP's '00000000' is a missing value.
 */
export function dateCodec(format: DateTimeFormat, outFormat: DateTimeFormat): FieldCodec {
  return {
    fromErp: (value) => readDate(value, format),
    fromCanonical: (value) => readDate(value, 'auto'),
    toErp: (value) => ok(formatDate(String(value), outFormat)),
    isBlankErp: (value) => value === SAP8_INITIAL,
  };
}
