import type { WallTime } from './time-zone';

/** Canonical dates and date-times are limited to four-digit years, the range ISO 8601 writes without a sign. */
export const MIN_EPOCH_MS = new Date(0).setUTCFullYear(0, 0, 1);
export const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A wall time that names a real calendar moment: 2024-02-30 and 24:00 are not (leap seconds neither). */
export function isValidWallTime(wall: WallTime): boolean {
  return (
    wall.month >= 1 &&
    wall.month <= 12 &&
    wall.day >= 1 &&
    wall.day <= daysInMonth(wall.year, wall.month) &&
    wall.hour <= 23 &&
    wall.minute <= 59 &&
    wall.second <= 59
  );
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
