/**
 * Time in the generated data. Base record i of a data set changed last at BASE_EPOCH + i·STEP plus a jitter
 * below STEP, so change times grow strictly with the index (delta filters select index ranges) while still
 * looking irregular. A million records span about two years, ending before "now", so anything a test writes
 * later sorts after every generated record.
 */
export const BASE_EPOCH_MS = Date.UTC(2024, 0, 1);
export const STEP_MS = 60_000;
export const DAY_MS = 86_400_000;

export function baseChangeTime(index: number, jitter: number): number {
  return BASE_EPOCH_MS + index * STEP_MS + Math.floor(jitter * (STEP_MS / 1000)) * 1000;
}

export function startOfDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

export function timeOfDay(ms: number): number {
  return ms - startOfDay(ms);
}

/** YYYYMMDDhhmmss in UTC: the 14-character change stamp of the production order API (reference A.11). */
export function toTimestamp14(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
