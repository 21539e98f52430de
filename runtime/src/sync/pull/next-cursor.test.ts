import { TaktError } from '../../errors';
import type { ChangeSet } from './change-reader';
import { readDelta } from './delta-value';
import { DATE_ONLY_LOOKBACK_MS, nextCursor, sinceOf } from './next-cursor';
import { parseCursor, serializeCursor } from './stream-cursor';

const NOW = Date.UTC(2026, 0, 1, 12);
const MINUTE = 60_000;
const instant = (ms: number) => ({ kind: 'instant', ms, dateOnly: false }) as const;

function set(partial: Partial<ChangeSet>): ChangeSet {
  return {
    candidates: [],
    read: 0,
    unchanged: 0,
    maxDelta: undefined,
    cap: undefined,
    truncated: false,
    lastCursor: undefined,
    dateOnly: false,
    errors: [],
    ...partial,
  };
}

describe('delta values', () => {
  it('reads ISO, SAP 14-digit stamps, V2 /Date()/ as instants; bare dates are marked; numbers stay numbers', () => {
    expect(readDelta('20260101120000', 'timestamp14')).toEqual(instant(NOW));
    expect(readDelta('/Date(1767268800000)/', 'datetime')).toEqual(instant(NOW));
    expect(readDelta('2026-01-01T12:00:00Z', 'string')).toEqual(instant(NOW));
    expect(readDelta('2026-01-01', 'datetime')).toEqual({ kind: 'instant', ms: Date.UTC(2026, 0, 1), dateOnly: true });
    expect(readDelta('42', 'number')).toEqual({ kind: 'number', value: 42 });
    expect(readDelta('rev-7', 'string')).toEqual({ kind: 'text', value: 'rev-7' });
    expect(readDelta(null, 'timestamp14')).toBeUndefined();
  });
});

describe('since of the next read', () => {
  it('is watermark − lookback for instants, a day for date-only fields, the watermark itself for counters', () => {
    expect(sinceOf({ watermark: instant(NOW) }, 'watermark', undefined)).toBe('2026-01-01T11:55:00.000Z');
    expect(sinceOf({ watermark: instant(NOW), dateOnly: true }, 'watermark', undefined)).toBe(
      new Date(NOW - DATE_ONLY_LOOKBACK_MS).toISOString(),
    );
    expect(sinceOf({ watermark: { kind: 'number', value: 42 } }, 'watermark', 10 * MINUTE)).toBe('42');
    expect(sinceOf({ deltaToken: 'delta:9', watermark: instant(NOW) }, 'token', undefined)).toBe('delta:9');
    expect(sinceOf({}, 'watermark', undefined)).toBeUndefined();
  });
});

describe('next watermark', () => {
  const base = { mode: 'watermark' as const, now: NOW, safetyLagMs: MINUTE };

  it('never moves back, never past now − safety lag, never past what a cut read left unexamined', () => {
    const previous = { watermark: instant(NOW - 10 * MINUTE) };
    expect(nextCursor({ ...base, previous, set: set({ maxDelta: instant(NOW - 20 * MINUTE) }) }).watermark).toEqual(
      instant(NOW - 10 * MINUTE),
    );
    expect(nextCursor({ ...base, previous, set: set({ maxDelta: instant(NOW + 10 * MINUTE) }) }).watermark).toEqual(
      instant(NOW - MINUTE),
    );
    const cut = set({ maxDelta: instant(NOW - 2 * MINUTE), cap: instant(NOW - 5 * MINUTE), truncated: true });
    expect(nextCursor({ ...base, previous, set: cut }).watermark).toEqual(instant(NOW - 5 * MINUTE));
  });

  it('token mode keeps the old link when the read was cut, takes the new one when it was complete', () => {
    const previous = { deltaToken: 'delta:1' };
    const token = { ...base, mode: 'token' as const, previous };
    expect(nextCursor({ ...token, set: set({ lastCursor: 'delta:5' }) }).deltaToken).toBe('delta:5');
    expect(nextCursor({ ...token, set: set({ lastCursor: undefined, truncated: true }) }).deltaToken).toBe('delta:1');
  });
});

describe('stream cursor document', () => {
  it('round-trips, and a damaged one is STORE_CORRUPT rather than a guess', () => {
    const cursor = { watermark: instant(NOW), deltaToken: 'delta:3', baselineAt: '2026-01-01T00:00:00.000Z' };
    expect(parseCursor('s', serializeCursor(cursor))).toEqual(cursor);
    for (const bad of ['not json', '{"v":2}', '{"v":1,"watermark":"x","watermarkKind":"instant"}']) {
      expect(() => parseCursor('s', bad)).toThrow(TaktError);
    }
    expect(() => parseCursor('s', '[]')).toThrow(/cannot be read/);
  });
});
