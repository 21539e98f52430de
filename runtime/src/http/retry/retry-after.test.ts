import { parseRetryAfter, type RetryAfterHeader } from './retry-after';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0); // Thu, 01 Jan 2026 12:00:00 GMT

describe('parseRetryAfter', () => {
  describe('delay-seconds', () => {
    test.each<[string, number]>([
      ['3', NOW + 3_000],
      ['0', NOW],
      ['120', NOW + 120_000],
      ['007', NOW + 7_000],
      [' \t3 ', NOW + 3_000],
      ['86400', NOW + 86_400_000],
    ])('%j → now + delay', (value, expected) => {
      expect(parseRetryAfter(value, NOW)).toBe(expected);
    });
  });

  describe('HTTP-date', () => {
    test.each<[string, string, number]>([
      ['IMF-fixdate', 'Thu, 01 Jan 2026 12:00:03 GMT', NOW + 3_000],
      ['IMF-fixdate, next day', 'Fri, 02 Jan 2026 12:00:00 GMT', NOW + 86_400_000],
      ['RFC 850', 'Thursday, 01-Jan-26 12:02:00 GMT', NOW + 120_000],
      ['asctime, one-digit day', 'Sun Jan  4 12:00:00 2026', Date.UTC(2026, 0, 4, 12)],
      ['asctime, two-digit day', 'Thu Jan 01 12:00:05 2026', NOW + 5_000],
      ['leap day', 'Sat, 29 Feb 2028 00:00:00 GMT', Date.UTC(2028, 1, 29)],
      ['leap second', 'Thu, 01 Jan 2026 12:00:60 GMT', NOW + 60_000],
      ['a wrong weekday still means the date', 'Mon, 01 Jan 2026 12:00:03 GMT', NOW + 3_000],
    ])('%s: %j', (_name, value, expected) => {
      expect(parseRetryAfter(value, NOW)).toBe(expected);
    });

    test.each<[string, string]>([
      ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
      ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
      ['asctime', 'Sun Nov  6 08:49:37 1994'],
      ['one second ago', 'Thu, 01 Jan 2026 11:59:59 GMT'],
    ])('a date in the past (%s) means now', (_name, value) => {
      expect(parseRetryAfter(value, NOW)).toBe(NOW);
    });

    test('a date in the past means now, not the past time', () => {
      const yesterday = new Date(NOW - 86_400_000).toUTCString();
      expect(parseRetryAfter(yesterday, NOW)).toBe(NOW);
    });

    test('Date#toUTCString output (what servers on Node send) round-trips', () => {
      const later = NOW + 42_000;
      expect(parseRetryAfter(new Date(later).toUTCString(), NOW)).toBe(later);
    });
  });

  describe('RFC 850 two-digit years (RFC 9110 §5.6.7: more than 50 years ahead means the past century)', () => {
    test.each<[string, number]>([
      ['26', 2026],
      ['76', 2076],
      ['77', 1977],
      ['99', 1999],
      ['00', 2000],
    ])('year %s at now = 2026 → %i', (yy, year) => {
      const later = Date.UTC(year, 0, 1, 12, 0, 0);
      const parsed = parseRetryAfter(`Friday, 01-Jan-${yy} 12:00:00 GMT`, NOW);
      expect(parsed).toBe(Math.max(NOW, later));
    });
  });

  describe('invalid values give undefined (the caller falls back to backoff)', () => {
    test.each<[string, RetryAfterHeader]>([
      ['missing', undefined],
      ['null', null],
      ['empty', ''],
      ['blank', '   '],
      ['negative', '-1'],
      ['fractional', '1.5'],
      ['exponent', '1e3'],
      ['plus sign', '+3'],
      ['unit', '3s'],
      ['words', 'soon'],
      ['too large to represent', '9'.repeat(20)],
      ['ISO 8601 (Date.parse would accept it)', '2026-01-01T12:00:03Z'],
      ['zone other than GMT', 'Thu, 01 Jan 2026 12:00:03 PST'],
      ['UTC instead of GMT', 'Thu, 01 Jan 2026 12:00:03 UTC'],
      ['lower-case month', 'Thu, 01 jan 2026 12:00:03 GMT'],
      ['lower-case day name', 'thu, 01 Jan 2026 12:00:03 GMT'],
      ['one-digit day in IMF-fixdate', 'Thu, 1 Jan 2026 12:00:03 GMT'],
      ['no day name', '01 Jan 2026 12:00:03 GMT'],
      ['31 February', 'Tue, 31 Feb 2026 12:00:00 GMT'],
      ['29 February in a common year', 'Sun, 29 Feb 2026 12:00:00 GMT'],
      ['day 00', 'Thu, 00 Jan 2026 12:00:00 GMT'],
      ['hour 24', 'Thu, 01 Jan 2026 24:00:00 GMT'],
      ['minute 60', 'Thu, 01 Jan 2026 12:60:00 GMT'],
      ['second 61', 'Thu, 01 Jan 2026 12:00:61 GMT'],
      ['short day name in RFC 850', 'Thu, 01-Jan-26 12:00:00 GMT'],
      ['four-digit year in RFC 850', 'Thursday, 01-Jan-2026 12:00:00 GMT'],
      ['asctime with a zone', 'Thu Jan  1 12:00:03 2026 GMT'],
      ['trailing text', 'Thu, 01 Jan 2026 12:00:03 GMT; retry'],
      ['two different values (a singleton field sent twice)', ['3', '5']],
      ['no values', []],
    ])('%s', (_name, value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    });
  });

  describe('repeated fields', () => {
    test('a field repeated with the same value is that value', () => {
      expect(parseRetryAfter(['3', ' 3'], NOW)).toBe(NOW + 3_000);
    });

    test('a one-element list is its element', () => {
      expect(parseRetryAfter(['Thu, 01 Jan 2026 12:00:03 GMT'], NOW)).toBe(NOW + 3_000);
    });
  });
});
