import type { DeltaFieldType } from '../types';
import { parseInstant } from './odata-date';

/**
 * The largest delta-field value among records, as `Page.cursor` states it: ISO 8601 UTC for date types and for
 * SAP's 14-character timestamps, the value itself for strings and numbers. Records without a value (SAP leaves
 * `LastChangeDateTime` empty on never-changed equipment, reference A.11) do not count.
 */
export function pageCursor(
  records: readonly Readonly<Record<string, unknown>>[],
  field: string,
  type: DeltaFieldType,
): string | undefined {
  switch (type) {
    case 'datetime':
    case 'datetimeoffset':
    case 'timestamp14': {
      let max: number | undefined;
      for (const record of records) {
        const value = record[field];
        const at = typeof value === 'string' && value !== '' ? parseInstant(value)?.getTime() : undefined;
        if (at !== undefined && (max === undefined || at > max)) max = at;
      }
      return max === undefined ? undefined : new Date(max).toISOString();
    }
    case 'number': {
      let max: number | undefined;
      for (const record of records) {
        const value = Number(record[field]);
        if (
          record[field] !== '' &&
          record[field] !== null &&
          Number.isFinite(value) &&
          (max === undefined || value > max)
        ) {
          max = value;
        }
      }
      return max === undefined ? undefined : String(max);
    }
    case 'string': {
      let max: string | undefined;
      for (const record of records) {
        const value = record[field];
        if (typeof value === 'string' && value !== '' && (max === undefined || value > max)) max = value;
      }
      return max;
    }
  }
}
