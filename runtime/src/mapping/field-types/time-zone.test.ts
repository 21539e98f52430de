import { instantOfWallTime, isTimeZone, utcMillis, wallTimeAt, zoneOffsetAt } from './time-zone';

const wall = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  millisecond: 0,
});

describe('time zones through Intl', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
  });

  it('gives offsets in summer and winter', () => {
    expect(zoneOffsetAt(Date.UTC(2024, 6, 1), 'Europe/Berlin')).toBe(2 * 3_600_000);
    expect(zoneOffsetAt(Date.UTC(2024, 0, 1), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetAt(Date.UTC(2024, 0, 1), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });

  it('turns wall times into instants and back', () => {
    const instant = instantOfWallTime(wall(2024, 5, 1, 10), 'Europe/Berlin');
    expect(new Date(instant).toISOString()).toBe('2024-05-01T08:00:00.000Z');
    expect(wallTimeAt(instant, 'America/New_York')).toEqual(wall(2024, 5, 1, 4));
  });

  it('resolves DST gaps forward and overlaps to the earlier instant', () => {
    expect(new Date(instantOfWallTime(wall(2024, 3, 31, 2, 30), 'Europe/Berlin')).toISOString()).toBe(
      '2024-03-31T01:30:00.000Z',
    );
    expect(new Date(instantOfWallTime(wall(2024, 10, 27, 2, 30), 'Europe/Berlin')).toISOString()).toBe(
      '2024-10-27T00:30:00.000Z',
    );
    expect(new Date(instantOfWallTime(wall(2024, 11, 3, 1, 30), 'America/Chicago')).toISOString()).toBe(
      '2024-11-03T06:30:00.000Z',
    );
  });

  it('handles years below 100 without Date.UTC moving them to the 1900s', () => {
    expect(new Date(utcMillis(wall(5, 2, 28))).toISOString()).toBe('0005-02-28T00:00:00.000Z');
    expect(new Date(utcMillis(wall(0, 2, 29))).toISOString()).toBe('0000-02-29T00:00:00.000Z');
  });
});
