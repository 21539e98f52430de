import { DEFAULT_RATE_LIMIT_HEADERS } from './config';
import { rateLimitResumeAt } from './rate-limit-headers';

const NOW = Date.UTC(2026, 0, 1, 8, 0, 0);
const at = (remaining: string, reset: string) =>
  rateLimitResumeAt(
    { 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': reset },
    DEFAULT_RATE_LIMIT_HEADERS,
    NOW,
  );

describe('rateLimitResumeAt', () => {
  test.each([
    ['Unix seconds', '0', String(NOW / 1000 + 30), NOW + 30_000],
    ['Unix milliseconds', '0', String(NOW + 1_500), NOW + 1_500],
    ['seconds from now', '0', '12', NOW + 12_000],
    ['budget left', '3', '12', undefined],
    ['reset already past', '0', String(NOW / 1000 - 5), undefined],
    ['unreadable remaining', 'none', '12', undefined],
    ['unreadable reset', '0', 'soon', undefined],
  ])('%s', (_name, remaining, reset, expected) => {
    expect(at(remaining, reset)).toBe(expected);
  });

  test('absent headers change nothing, and other header names can be configured', () => {
    expect(rateLimitResumeAt({}, DEFAULT_RATE_LIMIT_HEADERS, NOW)).toBeUndefined();
    const names = { remaining: 'RateLimit-Remaining', reset: 'RateLimit-Reset' };
    expect(rateLimitResumeAt({ 'ratelimit-remaining': '0', 'ratelimit-reset': '4' }, names, NOW)).toBe(NOW + 4_000);
  });
});
