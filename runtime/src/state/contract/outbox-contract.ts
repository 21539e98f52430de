import type { OutboxInsert } from '../types';
import { racer, type ContractContext } from './contract-helpers';

const down = { code: 'CONNECTION_REFUSED', message: 'down', retryable: true };

const entry = (orderKey: string, n: number, coalesce?: boolean): OutboxInsert => ({
  connection: 'mes',
  entity: 'downtime',
  orderKey,
  idempotencyKey: `${orderKey}-${n}`,
  payload: { orderKey, n },
  ...(coalesce !== undefined && { coalesce }),
});

export function describeOutboxContract(t: ContractContext): void {
  describe('outbox', () => {
    it('hands out the oldest due entry per order key, so one key never overtakes itself', async () => {
      const { store, clock } = t;
      const { outboxIds } = await store.commit({ outbox: [entry('M1', 1), entry('M1', 2), entry('M2', 1)] });
      expect(outboxIds).toHaveLength(3);
      const [a1, a2, b1] = outboxIds as [number, number, number];
      expect((await store.dueOutbox('mes', 10)).map((e) => e.id)).toEqual([a1, b1]);

      await store.commit({
        outboxUpdates: [{ id: a1, revision: 1, status: 'pending', nextAttemptAt: clock.now() + 5_000, error: down }],
      });
      expect((await store.dueOutbox('mes', 10)).map((e) => e.id)).toEqual([b1]);
      await clock.advance(5_000);
      const due = await store.dueOutbox('mes', 10);
      expect(due.map((e) => e.id)).toEqual([a1, b1]);
      expect(due[0]).toMatchObject({
        attempts: 1,
        revision: 1,
        lastError: { code: 'CONNECTION_REFUSED' },
        payload: { orderKey: 'M1', n: 1 },
      });

      await store.commit({
        outboxUpdates: [
          { id: a1, revision: 1, status: 'sent' },
          {
            id: b1,
            revision: 1,
            status: 'dead',
            error: { code: 'HTTP_BAD_REQUEST', message: 'bad', retryable: false },
          },
        ],
      });
      expect((await store.dueOutbox('mes', 10)).map((e) => e.id)).toEqual([a2]);
      expect((await store.listOutbox({ status: 'dead' })).map((e) => e.id)).toEqual([b1]);
      expect(await store.dueOutbox('other', 10)).toEqual([]);
    });

    it('coalesces into the pending newest entry of a key: its payload and key replaced, its revision grown', async () => {
      const { store, clock } = t;
      const first = await store.commit({ outbox: [entry('M1', 1, true), entry('M2', 1, true)] });
      const [m1, m2] = first.outboxIds as [number, number];
      await clock.advance(1_000);
      // Two states of M1 in one unit: both land on the same entry, in order.
      const second = await store.commit({ outbox: [entry('M1', 2, true), entry('M1', 3, true)] });
      expect(second.outboxIds).toEqual([m1, m1]);
      const [head] = await store.listOutbox({ connection: 'mes' });
      expect(head).toMatchObject({
        id: m1,
        revision: 3,
        idempotencyKey: 'M1-3',
        payload: { orderKey: 'M1', n: 3 },
        status: 'pending',
        attempts: 0,
        updatedAt: clock.now(),
      });
      expect(head?.createdAt).toBe(clock.now() - 1_000);
      expect(await store.listOutbox({})).toHaveLength(2);
      expect((await store.dueOutbox('mes', 10)).map((e) => [e.id, e.revision])).toEqual([
        [m1, 3],
        [m2, 1],
      ]);
    });

    it('inserts instead of coalescing when the newest entry of the key was sent, or without the flag', async () => {
      const { store } = t;
      const { outboxIds } = await store.commit({ outbox: [entry('M1', 1, true)] });
      const m1 = outboxIds[0]!;
      await store.commit({ outboxUpdates: [{ id: m1, revision: 1, status: 'sent' }] });
      const after = await store.commit({ outbox: [entry('M1', 2, true)] });
      expect(after.outboxIds[0]).not.toBe(m1);
      const plain = await store.commit({ outbox: [entry('M1', 3)] });
      expect(plain.outboxIds[0]).not.toBe(after.outboxIds[0]);
      // Only the newest entry takes a coalesced state: the older pending one keeps its own.
      const again = await store.commit({ outbox: [entry('M1', 4, true)] });
      expect(again.outboxIds).toEqual(plain.outboxIds);
      const pending = await store.listOutbox({ status: 'pending' });
      expect(pending.map((e) => [e.idempotencyKey, e.revision])).toEqual([
        ['M1-2', 1],
        ['M1-4', 2],
      ]);
      // The other connection's key of the same name is another key.
      const elsewhere = await store.commit({ outbox: [{ ...entry('M1', 5, true), connection: 'mes-2' }] });
      expect(elsewhere.outboxIds[0]).not.toBe(again.outboxIds[0]);
    });

    it('keeps one pending entry per key when two connections coalesce into it at the same time', async () => {
      const { store } = t;
      const other = await racer(t);
      const { outboxIds } = await store.commit({ outbox: [entry('M1', 0, true)] });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? store : other).commit({ outbox: [entry('M1', i + 1, true)] }),
        ),
      );
      const pending = await store.listOutbox({ status: 'pending' });
      expect(pending.map((e) => [e.id, e.revision])).toEqual([[outboxIds[0], 11]]);
    });

    it('skips an update for a revision that was replaced meanwhile: the newer payload stays pending', async () => {
      const { store, clock } = t;
      const { outboxIds } = await store.commit({ outbox: [entry('M1', 1, true)] });
      const id = outboxIds[0]!;
      const [sending] = await store.dueOutbox('mes', 10);
      expect(sending).toMatchObject({ id, revision: 1 });
      // While revision 1 is on the wire, a newer state arrives.
      await store.commit({ outbox: [entry('M1', 2, true)] });
      await store.commit({ outboxUpdates: [{ id, revision: 1, status: 'sent' }] });
      expect(await store.dueOutbox('mes', 10)).toEqual([
        expect.objectContaining({ id, revision: 2, status: 'pending', attempts: 0, payload: { orderKey: 'M1', n: 2 } }),
      ]);
      // A failure report of the stale revision is skipped too; the current one counts.
      await store.commit({
        outboxUpdates: [{ id, revision: 1, status: 'dead', error: { code: 'X', message: 'x', retryable: false } }],
      });
      expect((await store.listOutbox({ status: 'pending' })).map((e) => e.id)).toEqual([id]);
      await store.commit({
        outboxUpdates: [{ id, revision: 2, status: 'pending', nextAttemptAt: clock.now() + 1_000, error: down }],
      });
      // Coalescing keeps the entry's backoff: the target is still down, whatever the payload.
      await store.commit({ outbox: [entry('M1', 3, true)] });
      expect(await store.dueOutbox('mes', 10)).toEqual([]);
      await clock.advance(1_000);
      const [due] = await store.dueOutbox('mes', 10);
      expect(due).toMatchObject({ id, revision: 3, attempts: 1, lastError: { code: 'CONNECTION_REFUSED' } });
      await store.commit({ outboxUpdates: [{ id, revision: 3, status: 'sent' }] });
      expect(await store.listOutbox({ status: 'sent' })).toEqual([
        expect.objectContaining({ id, revision: 3, attempts: 2 }),
      ]);
    });
  });
}
