import { TaktError } from '../errors';
import { forwardStatusText, orderKeyOf } from './forward';
import { sameValue } from './natural-key-target';

describe('orderKeyOf', () => {
  it('joins the key fields of a record', () => {
    expect(orderKeyOf({ machine: 'M-7', line: 3, x: 1 }, ['machine', 'line'], 0)).toBe('M-7|3');
  });

  it('names the record and the field that is missing', () => {
    const call = (): string => orderKeyOf({ machine: '' }, ['machine'], 4);
    expect(call).toThrow(TaktError);
    expect(call).toThrow('Record 4 has no value in key field "machine".');
    expect(() => orderKeyOf({ machine: { id: 1 } }, ['machine'], 0)).toThrow(/key field "machine"/);
  });
});

describe('forwardStatusText', () => {
  const now = 1_000_000;
  it('says what the sender is doing, with the wait in seconds', () => {
    expect(forwardStatusText({ state: 'offline', queued: 120, sent: 3, dead: 0, retryAt: now + 2_100 }, now)).toBe(
      'queued 120 offline, retry in 3 s',
    );
    expect(forwardStatusText({ state: 'retrying', queued: 4, sent: 0, dead: 0, retryAt: now + 3_000 }, now)).toBe(
      'retry in 3 s (4 queued)',
    );
    expect(forwardStatusText({ state: 'idle', queued: 0, sent: 300, dead: 0 }, now)).toBe('sent 300');
    expect(forwardStatusText({ state: 'idle', queued: 0, sent: 298, dead: 2 }, now)).toBe('sent 298, 2 dead');
    expect(forwardStatusText({ state: 'sending', queued: 10, sent: 5, dead: 0 }, now)).toBe(
      'sending, queued 10, sent 5',
    );
  });
});

describe('sameValue (natural-key comparison)', () => {
  it.each([
    ['/Date(1714521600000)/', '2024-05-01T00:00:00Z', true],
    ['/Date(1714521600000)/', '2024-05-01T00:00:00.000Z', true],
    ['/Date(1714521600000+0000)/', '2024-05-01', true],
    ['PT08H30M00S', 'PT8H30M', true],
    ['PT08H30M00S', 'PT08H30M01S', false],
    ['000000000210100094', '210100094', true],
    ['M-1', 'M-2', false],
    [null, '', true],
    [true, true, true],
  ])('%p ~ %p → %p', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
  });
});
