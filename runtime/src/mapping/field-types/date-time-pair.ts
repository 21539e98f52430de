import type { DateTimeFormat, JsonValue } from '../types';
import { MAX_EPOCH_MS, MIN_EPOCH_MS, pad } from './calendar';
import { type CanonicalValue, type Converted, describe, invalid, ok } from './codec';
import { formatDate, readDate, SAP8_INITIAL } from './date';
import { isMissing } from '../missing';
import { formatTimeOfDay, parseTimeOfDay } from './time-of-day';
import { instantOfWallTime, wallTimeAt } from './time-zone';

/**
 * A DATETIME field kept by the ERP as two properties, a calendar day and a wall-clock time of day in the
 * plant's zone: SAP's `MfgOrderPlannedStartDate` + `MfgOrderPlannedStartTime`, `MalfunctionStartDate` +
 * `…Time` (erp-protocols.md A.11). The field's `format` names both halves: 'odata-v2' `/Date(ms)/` at
 * midnight UTC + Edm.Time `PT08H30M00S`, 'iso' `2024-05-01` + `08:30:00` (V4 Edm.Date + Edm.TimeOfDay),
 * 'sap14' `20240501` + `083000` (ABAP DATS + TIMS, the halves of a 14-character stamp); 'auto' reads any.
 */
export interface DateTimePairCodec {
  /** Whether the date half means "no value" (missing, or SAP's initial '00000000'); the time is then ignored. */
  isBlankDate(date: unknown): boolean;
  /** The instant of a date and a time of day in the zone; a missing time is midnight. */
  fromErp(date: unknown, time: unknown): Converted;
  /** The wall date and time of a canonical instant in the zone, each in its wire form. */
  toErp(value: CanonicalValue): Converted<readonly [JsonValue, JsonValue]>;
}

/** The DATE format of a pair's date half: a 'sap14' pair is DATS + TIMS. */
function dateFormatOf(format: DateTimeFormat): DateTimeFormat {
  return format === 'sap14' ? 'sap8' : format;
}

export function dateTimePairCodec(format: DateTimeFormat, outFormat: DateTimeFormat, zone: string): DateTimePairCodec {
  const readFormat = dateFormatOf(format);
  const writeFormat = dateFormatOf(outFormat);
  return {
    isBlankDate: (date) => isMissing(date, false) || date === SAP8_INITIAL,
    fromErp(date, time) {
      const day = readDate(date, readFormat);
      if (!day.ok) return day;
      const [year = 0, month = 0, dayOfMonth = 0] = String(day.value).split('-').map(Number);
      // SAP sends an initial time as 'PT00H00M00S' or '000000'; a missing one means the same: the day's start.
      const timeOfDay = isMissing(time, false)
        ? { hour: 0, minute: 0, second: 0, millisecond: 0 }
        : typeof time === 'string'
          ? parseTimeOfDay(time, format)
          : undefined;
      if (timeOfDay === undefined) {
        const expected = format === 'auto' ? 'a time of day' : `a ${format} time of day`;
        return invalid(`expected ${expected}, got ${describe(time)}`);
      }
      // Skipped and repeated wall times resolve as for every zoned date-time (time-zone.ts).
      const epochMs = instantOfWallTime({ year, month, day: dayOfMonth, ...timeOfDay }, zone);
      if (epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS) {
        return invalid(`date-time ${describe(date)} ${describe(time)} is outside the years 0000-9999`);
      }
      return ok(new Date(epochMs).toISOString());
    },
    toErp(value) {
      const wall = wallTimeAt(Date.parse(String(value)), zone);
      const day = `${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)}`;
      return ok([formatDate(day, writeFormat), formatTimeOfDay(wall, outFormat)]);
    },
  };
}
