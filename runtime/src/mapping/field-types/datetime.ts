import type { DateTimeFormat } from '../types';
import { isValidWallTime, MAX_EPOCH_MS, MIN_EPOCH_MS, pad } from './calendar';
import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';
import { formatODataV2Date, parseODataV2Date } from './odata-v2-date';
import { instantOfWallTime, type WallTime, wallTimeAt } from './time-zone';

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SAP14 = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
/** SAP's initial value of a 14-character time stamp: no time stamp at all. */
export const SAP14_INITIAL = '00000000000000';

function wall(match: RegExpExecArray, fraction = ''): WallTime {
  // Canonical precision is the millisecond; further digits (.NET's seven) are truncated, as Date would.
  const millisecond = fraction === '' ? 0 : +fraction.slice(0, 3).padEnd(3, '0');
  return {
    year: +(match[1] ?? 0),
    month: +(match[2] ?? 0),
    day: +(match[3] ?? 0),
    hour: +(match[4] ?? 0),
    minute: +(match[5] ?? 0),
    second: +(match[6] ?? 0),
    millisecond,
  };
}

function offsetMillis(offset: string): number | undefined {
  if (offset === 'Z' || offset === 'z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** ISO 8601 date-time; without an offset it is a wall time in `zone`. A bare date is midnight in `zone`. */
function parseIso(text: string, zone: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (match) {
    const time = wall(match, match[7]);
    if (!isValidWallTime(time)) return undefined;
    const offsetText = match[8];
    if (offsetText === undefined) return instantOfWallTime(time, zone);
    const offset = offsetMillis(offsetText);
    return offset === undefined ? undefined : instantOfWallTime(time, 'UTC') - offset;
  }
  const date = ISO_DATE.exec(text);
  if (!date) return undefined;
  const day = wall(date);
  return isValidWallTime(day) ? instantOfWallTime(day, zone) : undefined;
}

/** SAP's `YYYYMMDDhhmmss` (LastChangeDateTime as Edm.String 14): a wall time in the field's zone. */
function parseSap14(text: string, zone: string): number | undefined {
  const match = SAP14.exec(text);
  if (!match) return undefined;
  const time = wall(match);
  return isValidWallTime(time) ? instantOfWallTime(time, zone) : undefined;
}

function parseText(text: string, format: DateTimeFormat, zone: string): number | undefined {
  switch (format) {
    case 'iso':
      return parseIso(text, zone);
    case 'odata-v2':
      // As for dates: /Date(ms±offset)/ from a raw V2 payload, ISO 8601 from Takt's SAP connector.
      return text.startsWith('/') ? parseODataV2Date(text) : parseIso(text, zone);
    case 'sap14':
      return parseSap14(text, zone);
    case 'sap8':
      return undefined;
    case 'auto':
      if (text.startsWith('/')) return parseODataV2Date(text);
      if (SAP14.test(text)) return parseSap14(text, zone);
      return parseIso(text, zone);
  }
}

/** Epoch milliseconds of an ERP date-time in the given format, or the reason it is not one. */
export function readDateTime(value: unknown, format: DateTimeFormat, zone: string): Converted<number> {
  // A 14-digit JSON number is how a SAP time stamp looks once something typed it as a number.
  const text = format === 'sap14' && typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string') return invalid(`expected a date-time, got ${describe(value)}`);
  const epochMs = parseText(text, format, zone);
  if (epochMs === undefined || !Number.isFinite(epochMs)) {
    const expected = format === 'auto' ? 'a date-time' : `a ${format} date-time`;
    return invalid(`expected ${expected}, got ${describe(value)}`);
  }
  if (epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS) {
    return invalid(`date-time ${describe(value)} is outside the years 0000-9999`);
  }
  return ok(epochMs);
}

/** The wire form of an instant; `sap14` is the wall time in `zone`, to the second. */
export function formatDateTime(epochMs: number, format: DateTimeFormat, zone: string): string {
  switch (format) {
    case 'odata-v2':
      return formatODataV2Date(epochMs);
    case 'sap14': {
      const t = wallTimeAt(epochMs, zone);
      return `${pad(t.year, 4)}${pad(t.month, 2)}${pad(t.day, 2)}${pad(t.hour, 2)}${pad(t.minute, 2)}${pad(t.second, 2)}`;
    }
    default:
      return new Date(epochMs).toISOString();
  }
}

/**
 * DATETIME, canonically ISO 8601 in UTC with milliseconds and `Z` ("2024-05-01T08:00:00.000Z"): one spelling
 * per instant, so equal instants compare equal as strings and sort chronologically. Inbound reads `format`
 * (default 'auto': ISO 8601, OData V2 and SAP 14-character), local times in `zone`. Canonical values are read
 * with the same parser in UTC.
 */
export function dateTimeCodec(format: DateTimeFormat, outFormat: DateTimeFormat, zone: string): FieldCodec {
  const canonical = (result: Converted<number>): Converted =>
    result.ok ? ok(new Date(result.value).toISOString()) : result;
  return {
    fromErp: (value) => canonical(readDateTime(value, format, zone)),
    fromCanonical: (value) => canonical(readDateTime(value, 'auto', 'UTC')),
    toErp: (value) => ok(formatDateTime(Date.parse(String(value)), outFormat, zone)),
    isBlankErp: (value) => value === SAP14_INITIAL,
  };
}
