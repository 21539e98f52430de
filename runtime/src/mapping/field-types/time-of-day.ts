import type { DateTimeFormat } from '../types';
import { pad } from './calendar';

/** A wall-clock time of day, to the millisecond. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/**
 * OData V2 Edm.Time: an xs:duration since midnight. SAP writes `PT08H30M00S` (A.5), but the type allows any
 * duration spelling, so unpadded parts (`PT8H30M`) and a fraction of a second are read too.
 */
const EDM_TIME = /^PT(?:(\d{1,2})H)?(?:(\d{1,2})M)?(?:(\d{1,2})(?:\.(\d{1,9}))?S)?$/;
/** OData V4 Edm.TimeOfDay `08:30:00` (A.5); seconds and fraction optional as in ISO 8601. */
const ISO_TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?$/;
/** ABAP TIMS `hhmmss`, the time half of a SAP date + time pair; its initial value '000000' is midnight. */
const SAP_TIME = /^(\d{2})(\d{2})(\d{2})$/;

function timeOf(hour = '0', minute = '0', second = '0', fraction = ''): TimeOfDay | undefined {
  const time = {
    hour: +hour,
    minute: +minute,
    second: +second,
    // Canonical precision is the millisecond; further digits are truncated, as for date-times.
    millisecond: fraction === '' ? 0 : +fraction.slice(0, 3).padEnd(3, '0'),
  };
  return time.hour <= 23 && time.minute <= 59 && time.second <= 59 ? time : undefined;
}

function fromEdmTime(text: string): TimeOfDay | undefined {
  const match = EDM_TIME.exec(text);
  // "PT" alone matches the pattern with every part absent: no duration at all, not midnight.
  return match && text !== 'PT' ? timeOf(match[1], match[2], match[3], match[4]) : undefined;
}

function fromIsoTime(text: string): TimeOfDay | undefined {
  const match = ISO_TIME.exec(text);
  return match ? timeOf(match[1], match[2], match[3], match[4]) : undefined;
}

function fromSapTime(text: string): TimeOfDay | undefined {
  const match = SAP_TIME.exec(text);
  return match ? timeOf(match[1], match[2], match[3]) : undefined;
}

/**
 * A time of day in the pair format of a DATETIME field: 'odata-v2' Edm.Time, 'iso' (V4 Edm.TimeOfDay),
 * 'sap14' ABAP TIMS (the `hhmmss` half of a 14-character stamp), 'auto' any of them.
 */
export function parseTimeOfDay(text: string, format: DateTimeFormat): TimeOfDay | undefined {
  switch (format) {
    case 'odata-v2':
      return fromEdmTime(text);
    case 'iso':
      return fromIsoTime(text);
    case 'sap14':
      return fromSapTime(text);
    case 'sap8':
      return undefined;
    case 'auto':
      if (text.startsWith('PT')) return fromEdmTime(text);
      return text.includes(':') ? fromIsoTime(text) : fromSapTime(text);
  }
}

/** The wire form of a time of day, to the second: SAP's TIMS and Edm.Time as SAP writes it carry no fraction. */
export function formatTimeOfDay(time: TimeOfDay, format: DateTimeFormat): string {
  const [h, m, s] = [pad(time.hour, 2), pad(time.minute, 2), pad(time.second, 2)];
  switch (format) {
    case 'odata-v2':
      return `PT${h}H${m}M${s}S`;
    case 'sap14':
      return `${h}${m}${s}`;
    default:
      return `${h}:${m}:${s}`;
  }
}
