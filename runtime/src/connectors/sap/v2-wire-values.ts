import { TaktError } from '../../errors';
import type { WriteItem } from '../types';
import { parseInstant, parseV2Date } from './odata-date';

/**
 * Date and time values in the OData V2 JSON wire form (reference A.5), for writes. Reads hand these values out as
 * ISO 8601 (odata-v2-envelope.ts), and people type them that way; SAP Gateway V2 accepts only
 * - Edm.DateTime: `/Date(<ms>)/`, the milliseconds of the UTC instant;
 * - Edm.DateTimeOffset: `/Date(<ms>±hhmm)/`; sent as `+0000`, the instant in UTC, so the offset cannot be misread;
 * - Edm.Time: an XML duration `PT<h>H<m>M<s>S` (reads keep it in that form).
 * https://www.odata.org/documentation/odata-version-2-0/json-format/ (section 4, primitive types)
 *
 * V4 needs none of this: ISO 8601 (`2024-05-01`, `2024-05-01T08:30:00Z`, `08:30:00`) is its wire form.
 */
export type WireDateType = 'Edm.DateTime' | 'Edm.DateTimeOffset' | 'Edm.Time';

const WIRE_DATE_TYPES: readonly string[] = ['Edm.DateTime', 'Edm.DateTimeOffset', 'Edm.Time'];

/** The date and time properties among an entity type's properties (name → EDM type, from odata-metadata.ts). */
export function dateProperties(types: ReadonlyMap<string, string>): ReadonlyMap<string, WireDateType> {
  const dates = new Map<string, WireDateType>();
  for (const [name, type] of types) if (isWireDateType(type)) dates.set(name, type);
  return dates;
}

function isWireDateType(type: string): type is WireDateType {
  return WIRE_DATE_TYPES.includes(type);
}

/** An ISO date or date-time, or a clock time, that is not in V2 wire form yet. */
const DATE_LIKE = /^\s*(?:\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2})/;

/**
 * Whether any record carries a string that looks like an ISO date, date-time or clock time: only then is the
 * service's `$metadata` worth a request (metadata-cache.ts). Values already in `/Date(…)/` or `PT…` form pass
 * unchanged anyway.
 */
export function mayCarryDates(records: readonly WriteItem[]): boolean {
  return records.some((item) =>
    Object.entries(item.data).some(([name, value]) => name !== '__metadata' && isDateLike(value)),
  );
}

function isDateLike(value: unknown): boolean {
  return typeof value === 'string' && DATE_LIKE.test(value);
}

/**
 * A record's data as a V2 write body:
 * - every string in a date or time property (`dates`, when the service's types are known) in its wire form.
 *   Values already in that form, null, and non-strings are left as they are (SAP judges the latter);
 * - navigation links read as `{"__deferred": {"uri": …}}` left out: they are links to other entities, not
 *   values, and Gateway takes a navigation property in a body for a deep insert or update.
 * Throws RECORD_INVALID naming the property when a string in a date property is no date or time: that record
 * fails alone (write-plan.ts).
 */
export function encodeV2Values(
  data: Readonly<Record<string, unknown>>,
  dates: ReadonlyMap<string, WireDateType> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    if (isDeferredLink(value)) continue;
    const type = dates?.get(name);
    out[name] =
      type === undefined || typeof value !== 'string'
        ? value
        : type === 'Edm.Time'
          ? wireTime(name, value)
          : wireInstant(name, type, value);
  }
  return out;
}

function isDeferredLink(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '__deferred' in value;
}

function wireInstant(name: string, type: WireDateType, value: string): string {
  if (parseV2Date(value.trim()) !== undefined) return value.trim();
  const instant = parseInstant(value);
  if (instant === undefined) {
    throw invalid(
      name,
      type,
      value,
      'an ISO 8601 date or date-time (2024-05-01, 2024-05-01T08:30:00Z) or /Date(<milliseconds>)/',
    );
  }
  return type === 'Edm.DateTimeOffset' ? `/Date(${instant.getTime()}+0000)/` : `/Date(${instant.getTime()})/`;
}

const DURATION = /^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

function wireTime(name: string, value: string): string {
  const trimmed = value.trim();
  if (DURATION.test(trimmed)) return trimmed;
  const clock = CLOCK.exec(trimmed);
  const [, h = '', m = '', s = '00', fraction = ''] = clock ?? [];
  if (!clock || Number(h) > 23 || Number(m) > 59 || Number(s) > 59) {
    throw invalid(name, 'Edm.Time', value, 'a time of day (08:30 or 08:30:00) or PT08H30M00S');
  }
  const seconds = /^\.0*$/.test(fraction) ? s : `${s}${fraction}`;
  return `PT${h.padStart(2, '0')}H${m}M${seconds}S`;
}

function invalid(name: string, type: WireDateType, value: string, expected: string): TaktError {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return new TaktError(
    'RECORD_INVALID',
    `${name} is an ${type} property, and ${JSON.stringify(shown)} is not one. Send ${expected}, or null to clear it.`,
    { details: { property: name, type } },
  );
}
