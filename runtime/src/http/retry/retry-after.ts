/**
 * Retry-After (RFC 9110 §10.2.3): `Retry-After = HTTP-date / delay-seconds`.
 * https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 *
 * The parser is strict on purpose. A value it does not recognise yields `undefined` and the caller falls back
 * to its own backoff, which is always safe; guessing a time from a malformed value is not (V8's `Date.parse`
 * reads ISO strings, local times and more, so an unguarded parse would turn junk into a real wait). Dates are
 * therefore matched by one regular expression per RFC 9110 §5.6.7 form and assembled with `Date.UTC`, never
 * with `Date.parse`, whose reading of the non-ISO forms is implementation-defined (asctime as local time).
 */

/** What a header value can look like once a transport has read it. */
export type RetryAfterHeader = string | readonly string[] | null | undefined;

const DELAY_SECONDS = /^\d+$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT`: the preferred form, the only one a server may send. */
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT`: obsolete, two-digit year. */
const RFC850_DATE = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
);
/** `Sun Nov  6 08:49:37 1994`: obsolete C asctime(), always UTC; a one-digit day is padded with a space. */
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} (\\d{2}| \\d) ${TIME} (\\d{4})$`);

interface DateFields {
  readonly year: number;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
}

/**
 * Parses a Retry-After value into the absolute time (ms since the epoch) before which the next request must
 * not start.
 *
 * - delay-seconds (`120`): `now + 120 000`.
 * - HTTP-date in any of the three RFC 9110 forms: that instant; a date at or before `now` gives `now`.
 * - Anything else gives `undefined`: negative or fractional numbers, ISO 8601, a zone other than GMT, an
 *   impossible date (31 Feb), a lower-case month. So does a field sent twice with different values:
 *   Retry-After is a singleton field and such a message is invalid (RFC 9110 §5.5).
 *
 * The day name of a date is checked for spelling, not against the date: a server that gets the weekday wrong
 * still means the date it wrote.
 */
export function parseRetryAfter(header: RetryAfterHeader, now: number): number | undefined {
  const value = singleValue(header);
  if (value === undefined) return undefined;
  if (DELAY_SECONDS.test(value)) {
    const delayMs = Number(value) * 1000;
    return Number.isSafeInteger(now + delayMs) ? now + delayMs : undefined;
  }
  const time = parseHttpDate(value, now);
  return time === undefined ? undefined : Math.max(now, time);
}

function singleValue(header: RetryAfterHeader): string | undefined {
  if (header === null || header === undefined) return undefined;
  const values = (typeof header === 'string' ? [header] : header).map(trimOws);
  const first = values[0];
  if (first === undefined || first === '' || values.some((v) => v !== first)) return undefined;
  return first;
}

/** Field values may carry optional whitespace (spaces, tabs) around them (RFC 9110 §5.5). */
function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** An HTTP-date (RFC 9110 §5.6.7) as ms since the epoch, or undefined. `now` resolves two-digit years. */
function parseHttpDate(value: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match) {
    const [, day = '', month = '', year = '', hour = '', minute = '', second = ''] = match;
    return assemble({ year: Number(year), month, day, hour, minute, second });
  }
  match = RFC850_DATE.exec(value);
  if (match) {
    const [, day = '', month = '', year = '', hour = '', minute = '', second = ''] = match;
    return assemble({ year: expandTwoDigitYear(Number(year), now), month, day, hour, minute, second });
  }
  match = ASCTIME_DATE.exec(value);
  if (match) {
    const [, month = '', day = '', hour = '', minute = '', second = '', year = ''] = match;
    return assemble({ year: Number(year), month, day: day.trim(), hour, minute, second });
  }
  return undefined;
}

/**
 * RFC 9110 §5.6.7: a two-digit year that "appears to be more than 50 years in the future" is the most recent
 * past year with the same last two digits.
 */
function expandTwoDigitYear(twoDigits: number, now: number): number {
  const currentYear = new Date(now).getUTCFullYear();
  const candidate = currentYear - (currentYear % 100) + twoDigits;
  return candidate - currentYear > 50 ? candidate - 100 : candidate;
}

function assemble(fields: DateFields): number | undefined {
  const month = MONTHS.indexOf(fields.month as (typeof MONTHS)[number]);
  const day = Number(fields.day);
  const hour = Number(fields.hour);
  const minute = Number(fields.minute);
  // 60 is a leap second (RFC 9110 §5.6.7 allows it); Date.UTC carries it into the next minute.
  const second = Number(fields.second);
  if (month < 0 || hour > 23 || minute > 59 || second > 60) return undefined;
  // Date.UTC rolls 31 Feb over into March; a date that does not survive the round trip did not exist. (It also
  // reads years below 100 as 19xx; such dates are long past either way and end up as `now`.)
  const check = new Date(Date.UTC(fields.year, month, day));
  if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  return Date.UTC(fields.year, month, day, hour, minute, second);
}
