/**
 * Wall-clock time in an IANA zone ↔ instants, with Intl only (no date library): Intl knows the zone database
 * of the Node it runs on, which is the one the host's users expect.
 */

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** Whether Intl knows the zone ("Europe/Berlin", "UTC"); checked when a mapping compiles. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC';
}

/** Epoch milliseconds of a wall time read as UTC; years 1–99 included, which Date.UTC would move to 19xx. */
export function utcMillis(wall: WallTime): number {
  if (wall.year >= 100) {
    return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  }
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

/** The wall time in `zone` at the instant `epochMs`. */
export function wallTimeAt(epochMs: number, zone: string): WallTime {
  const millisecond = ((epochMs % 1000) + 1000) % 1000;
  if (isUtc(zone)) {
    const date = new Date(epochMs);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond,
    };
  }
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 0,
    day: parts['day'] ?? 0,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
    millisecond,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +7 200 000). */
export function zoneOffsetAt(epochMs: number, zone: string): number {
  if (isUtc(zone)) return 0;
  return utcMillis(wallTimeAt(epochMs, zone)) - epochMs;
}

/**
 * The instant a wall time in `zone` denotes. Around DST changes a wall time can be ambiguous (autumn: it
 * happens twice) or not exist (spring: the clock jumps). We resolve like Temporal's 'compatible' option and
 * java.time: the earlier instant of an ambiguous time; a skipped time moves forward by the gap (02:30 in
 * Berlin on the spring change becomes 03:30 CEST). A mapping must not fail a record the ERP accepted.
 */
export function instantOfWallTime(wall: WallTime, zone: string): number {
  const local = utcMillis(wall);
  if (isUtc(zone)) return local;
  const before = zoneOffsetAt(local - DAY_MS, zone);
  const after = zoneOffsetAt(local + DAY_MS, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset)
    .filter((instant) => zoneOffsetAt(instant, zone) === local - instant);
  if (candidates.length === 0) return local - before;
  return Math.min(...candidates);
}
