import type { SimRecord } from '../model/edm';
import { startOfDay, timeOfDay, toTimestamp14 } from './timeline';

/** Change stamps a write leaves behind, one helper per field convention the APIs use (reference A.11). */
export function touchDate(record: SimRecord, now: number, dateField: string): SimRecord {
  return { ...record, [dateField]: startOfDay(now) };
}

export function touchTimestamp14(record: SimRecord, now: number, field: string): SimRecord {
  return { ...record, [field]: toTimestamp14(now) };
}

export function touchDateTimeAndParts(record: SimRecord, now: number): SimRecord {
  return {
    ...record,
    LastChangeDateTime: Math.floor(now / 1000) * 1000,
    LastChangeDate: startOfDay(now),
    LastChangeTime: Math.floor(timeOfDay(now) / 1000) * 1000,
  };
}
