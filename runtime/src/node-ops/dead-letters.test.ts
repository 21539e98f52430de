import { TaktError } from '../errors';
import { MemoryStateStore } from '../state/memory/memory-state-store';
import { FakeClock } from '../time';
import { decodeAckToken } from './ack-token';
import { beginReplay, listDeadLetters } from './dead-letters';

async function seeded() {
  const clock = new FakeClock(Date.parse('2026-11-21T09:00:00.000Z'));
  const store = new MemoryStateStore(clock);
  await store.commit({
    deadLetters: ['e1', 'e2', 'e3'].map((key, index) => ({
      scope: key === 'e3' ? 'other' : 'hooks',
      key,
      payload: { n: index },
      error: { code: 'EVENT_NACKED', message: `failed ${key}`, retryable: false },
      attempts: 1,
    })),
  });
  return { clock, store };
}

describe('dead letters for nodes', () => {
  it('lists plain rows per scope and status, times as ISO 8601', async () => {
    const { store } = await seeded();
    const rows = await listDeadLetters(store, { scope: 'hooks', status: 'open', limit: 10 });
    expect(rows).toEqual([
      {
        id: 1,
        scope: 'hooks',
        key: 'e1',
        status: 'open',
        attempts: 1,
        error: { code: 'EVENT_NACKED', message: 'failed e1', retryable: false },
        payload: { n: 0 },
        jobId: null,
        createdAt: '2026-11-21T09:00:00.000Z',
        resolvedAt: null,
        resolution: null,
      },
      expect.objectContaining({ id: 2, key: 'e2' }),
    ]);
    await store.resolveDeadLetters([1], 'replayed');
    expect((await listDeadLetters(store, { status: 'resolved', limit: 10 })).map((row) => row.resolution)).toEqual([
      'replayed',
    ]);
    expect((await listDeadLetters(store, { status: 'all', limit: 2 })).map((row) => row.key)).toEqual(['e1', 'e2']);
  });

  it('replays the chosen open letters of a scope with replay tokens, up to the limit', async () => {
    const { store } = await seeded();
    const limited = await beginReplay(store, { scope: 'hooks', limit: 1, owner: 'r1' });
    expect(limited.items.map((item) => item.meta.eventId)).toEqual(['e1']);
    expect(decodeAckToken(limited.items[0]?.meta.token)).toEqual({
      kind: 'replay',
      scope: 'hooks',
      deadLetterId: 1,
      eventId: 'e1',
      owner: 'r1',
    });
    const chosen = await beginReplay(store, { scope: 'hooks', ids: [2], limit: 10, owner: 'r2' });
    expect(chosen.items.map((item) => [item.payload, item.deadLetter.key])).toEqual([[{ n: 1 }, 'e2']]);
  });

  it.each([
    [
      () => listDeadLetters(new MemoryStateStore(), { status: 'open', limit: 5000 }),
      'The limit is a whole number from 1 to 1000, not 5000.',
    ],
    [
      () => listDeadLetters(new MemoryStateStore(), { status: 'gone' as 'open', limit: 5 }),
      'Dead letters are listed by status "open", "resolved" or "all", not "gone".',
    ],
    [
      () => beginReplay(new MemoryStateStore(), { scope: '', limit: 5, owner: 'o' }),
      'A replay needs the scope (webhook path or feed) of its dead letters.',
    ],
  ])('refuses bad input naming the fix (%#)', async (run, message) => {
    const error = await run().catch((thrown: unknown) => thrown);
    expect(TaktError.is(error) && [error.code, error.message]).toEqual(['CONFIG_INVALID', message]);
  });
});
