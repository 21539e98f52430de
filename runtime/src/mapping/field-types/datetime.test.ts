import { readDate } from './date';
import { dateTimeCodec, formatDateTime, readDateTime } from './datetime';

const iso = (result: ReturnType<typeof readDateTime>): string | undefined =>
  result.ok ? new Date(result.value).toISOString() : undefined;

describe('readDateTime', () => {
  it.each([
    ['/Date(1700000000000)/', 'auto', '2023-11-14T22:13:20.000Z'],
    ['/Date(1700000000000+0060)/', 'odata-v2', '2023-11-14T22:13:20.000Z'],
    ['/Date(-86400000)/', 'auto', '1969-12-31T00:00:00.000Z'],
    ['20240501080000', 'sap14', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01T08:00:00Z', 'iso', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01T10:00:00+0200', 'auto', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01T03:00-05:00', 'auto', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01 08:00:00', 'auto', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01', 'auto', '2024-05-01T00:00:00.000Z'],
    ['2024-05-01T08:00:00.9999999Z', 'auto', '2024-05-01T08:00:00.999Z'],
  ] as const)('%s (%s) → %s', (input, format, expected) => {
    expect(iso(readDateTime(input, format, 'UTC'))).toBe(expected);
  });

  it('reads local times in the zone given', () => {
    expect(iso(readDateTime('20240115120000', 'sap14', 'Europe/Berlin'))).toBe('2024-01-15T11:00:00.000Z');
    expect(iso(readDateTime('2024-07-15T12:00:00', 'iso', 'Europe/Berlin'))).toBe('2024-07-15T10:00:00.000Z');
    expect(iso(readDateTime(20240501080000, 'sap14', 'UTC'))).toBe('2024-05-01T08:00:00.000Z');
  });

  it.each([
    ['20240230080000', 'auto'],
    ['20240501240000', 'auto'],
    ['2024-05-01T08:00:60Z', 'auto'],
    ['/Date(abc)/', 'auto'],
    ['2024-05-01T08:00:00Z', 'sap14'],
    ['20240501080000', 'odata-v2'],
    ['/Date(1700000000000)/', 'iso'],
    ['/Date(300000000000000)/', 'auto'],
  ] as const)('refuses %s as %s', (input, format) => {
    expect(readDateTime(input, format, 'UTC')).toMatchObject({ ok: false, code: 'MAPPING_TYPE_INVALID' });
  });
});

describe('formatDateTime', () => {
  const instant = Date.UTC(2024, 4, 1, 8, 0, 0, 250);
  it('writes ISO UTC, OData V2 and SAP 14 characters in the zone', () => {
    expect(formatDateTime(instant, 'iso', 'Europe/Berlin')).toBe('2024-05-01T08:00:00.250Z');
    expect(formatDateTime(instant, 'odata-v2', 'Europe/Berlin')).toBe('/Date(1714550400250)/');
    expect(formatDateTime(instant, 'sap14', 'Europe/Berlin')).toBe('20240501100000');
    expect(formatDateTime(instant, 'sap14', 'UTC')).toBe('20240501080000');
  });

  it('round-trips through the codec both ways', () => {
    const codec = dateTimeCodec('sap14', 'sap14', 'America/New_York');
    const canonical = codec.fromErp('20240310023000');
    expect(canonical).toEqual({ ok: true, value: '2024-03-10T07:30:00.000Z' });
    expect(codec.toErp('2024-03-10T07:30:00.000Z')).toEqual({ ok: true, value: '20240310033000' });
    expect(codec.isBlankErp?.('00000000000000')).toBe(true);
  });
});

describe('readDate', () => {
  it('reads each date form and refuses date-times that are not at midnight', () => {
    expect(readDate('/Date(1714521600000)/', 'auto')).toEqual({ ok: true, value: '2024-05-01' });
    expect(readDate('20240229', 'sap8')).toEqual({ ok: true, value: '2024-02-29' });
    expect(readDate('2024-05-01T00:00:00+02:00', 'iso')).toEqual({ ok: true, value: '2024-05-01' });
    expect(readDate('2024-05-01T08:00:00Z', 'auto')).toMatchObject({ ok: false });
    expect(readDate('20230229', 'auto')).toMatchObject({ ok: false });
    expect(readDate('2024-05-01', 'sap8')).toMatchObject({ ok: false });
  });
});
