import type { DeliveryInsert } from '../types';
import { MINUTE, conn, jobOf, mapping, racer, rejection, type ContractContext } from './contract-helpers';

const delivery = (token: string, expectedVersion: number, overrides: Partial<DeliveryInsert> = {}): DeliveryInsert => ({
  token,
  stream: 's1',
  records: 2,
  expiresAt: Date.UTC(2026, 10, 21, 8, 0, 0) + 5 * MINUTE,
  commit: {
    cursor: { stream: 's1', expectedVersion, value: `after-${token}` },
    idMap: [mapping(`${token}-1`, 'T-1', 'h1'), mapping(`${token}-2`, 'T-2', 'h2')],
  },
  ...overrides,
});

export function describeDeliveriesContract(t: ContractContext): void {
  describe('deliveries', () => {
    it('applies nothing until the ACK, then everything once; a repeated ACK is already_acked', async () => {
      const { store, clock } = t;
      await store.createJob(jobOf('job-1'));
      const { outboxIds } = await store.commit({
        outbox: [{ connection: 'mes', entity: 'job', orderKey: 'o', idempotencyKey: 'k0', payload: {} }],
      });
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      await store.createDelivery(
        delivery('tok-1', 0, {
          commit: {
            cursor: { stream: 's1', expectedVersion: 0, value: 'w1' },
            idMap: [mapping('ext-1', 'T-1', 'h1')],
            claimsDone: [{ scope: 'webhook', key: 'evt-1', owner: 'w1', retainMs: 10 * MINUTE }],
            outbox: [{ connection: 'mes', entity: 'job', orderKey: 'p', idempotencyKey: 'k1', payload: { n: 1 } }],
            outboxUpdates: [{ id: outboxIds[0]!, revision: 1, status: 'sent' }],
            deadLetters: [
              {
                scope: 's1',
                key: 'ext-9',
                payload: { n: 9 },
                attempts: 1,
                error: { code: 'X', message: 'x', retryable: false },
              },
            ],
            job: {
              id: 'job-1',
              counters: { read: 2, created: 1, failed: 1 },
              errors: [{ recordIndex: 1, externalId: 'ext-9', code: 'X', message: 'x', retryable: false }],
            },
          },
        }),
      );
      expect(await store.getCursor('s1')).toBeUndefined();
      expect((await store.getIdMappings(conn, ['ext-1'])).size).toBe(0);
      expect(await store.getDelivery('tok-1')).toEqual({
        token: 'tok-1',
        stream: 's1',
        records: 2,
        expiresAt: clock.now() + 5 * MINUTE,
        status: 'pending',
        createdAt: clock.now(),
        ackedAt: undefined,
      });

      await clock.advance(1_000);
      expect(await store.ackDelivery('tok-1')).toEqual({ status: 'acked', cursorVersion: 1 });
      expect(await store.getCursor('s1')).toMatchObject({ value: 'w1', version: 1 });
      expect((await store.getIdMappings(conn, ['ext-1'])).get('ext-1')?.targetId).toBe('T-1');
      expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'duplicate' });
      expect((await store.listOutbox({ status: 'pending' })).map((e) => e.idempotencyKey)).toEqual(['k1']);
      expect((await store.listOutbox({ status: 'sent' })).map((e) => e.id)).toEqual(outboxIds);
      expect((await store.listDeadLetters({})).map((d) => d.key)).toEqual(['ext-9']);
      expect((await store.getJob('job-1'))?.counters).toMatchObject({ read: 2, created: 1, failed: 1 });
      expect((await store.listJobErrors('job-1')).map((e) => e.externalId)).toEqual(['ext-9']);
      expect(await store.getDelivery('tok-1')).toMatchObject({ status: 'acked', ackedAt: clock.now() });

      expect(await store.ackDelivery('tok-1')).toEqual({ status: 'already_acked' });
      expect(await store.getCursor('s1')).toMatchObject({ version: 1 });
      expect(await store.listDeadLetters({})).toHaveLength(1);
      expect((await store.getJob('job-1'))?.counters.read).toBe(2);
      expect(await store.ackDelivery('no-such-token')).toEqual({ status: 'unknown' });
      expect(await store.getDelivery('no-such-token')).toBeUndefined();
    });

    it('applies a delivery once when two connections acknowledge it at the same time', async () => {
      const { store } = t;
      const other = await racer(t);
      await store.createJob(jobOf('j'));
      for (let i = 0; i < 10; i += 1) {
        await store.createDelivery(
          delivery(`tok-${i}`, i, {
            commit: {
              cursor: { stream: 's1', expectedVersion: i, value: `v${i}` },
              job: { id: 'j', counters: { read: 1 } },
            },
          }),
        );
        const results = await Promise.all([store.ackDelivery(`tok-${i}`), other.ackDelivery(`tok-${i}`)]);
        expect(results.map((r) => r.status).sort()).toEqual(['acked', 'already_acked']);
      }
      expect(await store.getCursor('s1')).toMatchObject({ version: 10, value: 'v9' });
      expect((await store.getJob('j'))?.counters.read).toBe(10);
    });

    it('acknowledges a delivery without a cursor', async () => {
      const { store } = t;
      await store.createDelivery(delivery('tok', 0, { commit: { idMap: [mapping('x', 'T-x', 'h')] } }));
      expect(await store.ackDelivery('tok')).toEqual({ status: 'acked', cursorVersion: undefined });
      expect((await store.getIdMappings(conn, ['x'])).size).toBe(1);
    });

    it('applies a late ACK whose fences hold, and refuses one whose cursor moved, writing nothing', async () => {
      const { store, clock } = t;
      await store.createDelivery(delivery('late', 0));
      await store.createDelivery(delivery('lost', 0));
      await clock.advance(5 * MINUTE);
      expect(await store.getDelivery('late')).toMatchObject({ status: 'expired' });
      expect(await store.ackDelivery('late')).toEqual({ status: 'acked', cursorVersion: 1 });

      // 'lost' read the same cursor version: the redelivery was acknowledged first, so it must not apply.
      const error = await rejection(store.ackDelivery('lost'));
      expect(error.code).toBe('CURSOR_VERSION_CONFLICT');
      expect(error.details).toMatchObject({ stream: 's1', expectedVersion: 0, actualVersion: 1 });
      expect(await store.getCursor('s1')).toMatchObject({ value: 'after-late', version: 1 });
      expect((await store.getIdMappings(conn, ['lost-1', 'lost-2'])).size).toBe(0);
      expect(await store.getDelivery('lost')).toMatchObject({ status: 'expired', ackedAt: undefined });
      // Still refused the second time: a failed ACK does not turn into already_acked.
      expect((await rejection(store.ackDelivery('lost'))).code).toBe('CURSOR_VERSION_CONFLICT');
    });

    it('writes nothing of a delivery whose claim or job fence fails', async () => {
      const { store } = t;
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      await store.createDelivery(
        delivery('claim', 0, {
          commit: {
            cursor: { stream: 's1', expectedVersion: 0, value: 'x' },
            idMap: [mapping('c-1', 'T', 'h')],
            outbox: [{ connection: 'mes', entity: 'job', orderKey: 'o', idempotencyKey: 'k', payload: {} }],
            claimsDone: [{ scope: 'webhook', key: 'evt-1', owner: 'someone-else', retainMs: MINUTE }],
          },
        }),
      );
      expect((await rejection(store.ackDelivery('claim'))).code).toBe('CLAIM_NOT_OWNED');
      await store.createDelivery(
        delivery('job', 0, {
          commit: { cursor: { stream: 's1', expectedVersion: 0, value: 'y' }, job: { id: 'gone' } },
        }),
      );
      expect((await rejection(store.ackDelivery('job'))).code).toBe('CONFIG_INVALID');
      expect(await store.getCursor('s1')).toBeUndefined();
      expect((await store.getIdMappings(conn, ['c-1'])).size).toBe(0);
      expect(await store.listOutbox({})).toEqual([]);
      expect(await store.claim('webhook', 'evt-1', 'w9', MINUTE)).toMatchObject({ status: 'in_progress', owner: 'w1' });
      expect((await store.listDeliveries('s1')).map((d) => [d.token, d.status])).toEqual([
        ['claim', 'pending'],
        ['job', 'pending'],
      ]);
    });

    it('lists a stream’s deliveries oldest first: unacknowledged by default, or by status', async () => {
      const { store, clock } = t;
      const at = clock.now();
      await store.createDelivery(delivery('d1', 0, { expiresAt: at + MINUTE }));
      await store.createDelivery(delivery('d2', 0, { expiresAt: at + 10 * MINUTE }));
      await store.createDelivery(delivery('d3', 0, { expiresAt: at + 10 * MINUTE }));
      await store.createDelivery(delivery('other', 0, { stream: 's2' }));
      await store.ackDelivery('d3');
      await clock.advance(MINUTE);
      const tokens = async (status?: 'pending' | 'acked' | 'expired', limit?: number): Promise<string[]> =>
        (await store.listDeliveries('s1', { ...(status && { status }), ...(limit && { limit }) })).map((d) => d.token);
      expect(await tokens()).toEqual(['d1', 'd2']);
      expect((await store.listDeliveries('s1')).map((d) => d.status)).toEqual(['expired', 'pending']);
      expect(await tokens('pending')).toEqual(['d2']);
      expect(await tokens('expired')).toEqual(['d1']);
      expect(await tokens('acked')).toEqual(['d3']);
      expect(await tokens(undefined, 1)).toEqual(['d1']);
      expect((await store.listDeliveries('s2')).map((d) => d.token)).toEqual(['other']);
    });

    it('refuses a second delivery with the same token, without naming it, and applies errors redacted', async () => {
      const { store } = t;
      const token = 'tok-9f3a7c1e';
      await store.createJob(jobOf('j'));
      await store.createDelivery(
        delivery(token, 0, {
          commit: {
            job: {
              id: 'j',
              errors: [
                {
                  recordIndex: 0,
                  payload: { password: 'hunter2' },
                  code: 'AUTH_FAILED',
                  message: 'Authorization: Bearer s3cr3t-t0ken',
                  retryable: false,
                },
              ],
            },
          },
        }),
      );
      const error = await rejection(store.createDelivery(delivery(token, 0)));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(token);
      await store.ackDelivery(token);
      const [stored] = await store.listJobErrors('j');
      expect(JSON.stringify(stored)).not.toMatch(/hunter2|s3cr3t-t0ken/);
    });
  });
}
