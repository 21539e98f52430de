import { OutboxPusher, enqueue, type StateStore } from '@takt/runtime';
import { flakyStore } from '@takt/runtime/dist/outbox/__fixtures__/flaky-store';
import { FakeTargetServer } from '@takt/runtime/dist/outbox/__fixtures__/fake-target-server';
import { HttpTargetConnector } from '@takt/runtime/dist/outbox/__fixtures__/http-target-connector';
import { createStorePlace, type StoreKind } from '@takt/runtime/dist/outbox/__fixtures__/stores';
import { describeWithPostgres } from '@takt/runtime/dist/testing/services';

/**
 * Reliability T25 (b) for push: the state store becomes unreachable in the middle of a push run. The pusher
 * stops pushing (no write reaches the target while the store is down, beyond the one already in flight) and
 * marks nothing; once the store is back it resumes by itself, and every record is applied exactly once.
 * (T25 (a), refusing SQLite in n8n queue mode, is runtime/src/state/store-guard.test.ts.)
 */
const RECORDS = 300;
const DOWN_MS = 3_000;

function storeOutage(kind: StoreKind): void {
  it('T25(b) store unreachable mid-push: stops sending, marks nothing, resumes with no loss and no duplicate effect', async () => {
    const place = createStorePlace(kind);
    const real: StateStore = await place.open();
    const flaky = flakyStore(real);
    const server = new FakeTargetServer('orders', 'id');
    await server.start();
    const connector = new HttpTargetConnector({
      id: `t25-${kind}-${process.pid}`,
      baseUrl: server.url,
      retry: { maxAttempts: 1 },
    });
    try {
      await enqueue(real, {
        connection: 'mes',
        entity: 'orders',
        records: Array.from({ length: RECORDS }, (_, i) => ({ orderKey: `k${i}`, payload: { id: `k${i}`, n: i } })),
      });
      let commits = 0;
      let downAt = 0;
      let callsWhenDown = 0;
      let callsAtRecovery = 0;
      let sentWhenDown = 0;
      flaky.onCall = (method) => {
        if (method !== 'commit' || ++commits !== 3) return;
        // The third commit (the outcome of the third call) fails: the store went away between the write and the mark.
        flaky.down = true;
        downAt = Date.now();
        callsWhenDown = server.calls.length;
        setTimeout(() => {
          callsAtRecovery = server.calls.length;
          flaky.down = false;
        }, DOWN_MS);
      };
      const pusher = new OutboxPusher({ store: flaky.store, connector, connection: 'mes', batchSize: 50 });
      const counting = setInterval(() => {
        if (downAt === 0 || sentWhenDown !== 0) return;
        void real
          .listOutbox({ connection: 'mes', status: 'sent', limit: RECORDS })
          .then((rows) => (sentWhenDown = rows.length));
      }, 100);
      const summary = await pusher.run({ idleMs: 50 });
      clearInterval(counting);

      expect(downAt).toBeGreaterThan(0);
      // Nothing was sent while the store was unreachable, and the failed round marked nothing.
      expect(callsAtRecovery).toBe(callsWhenDown);
      expect(sentWhenDown).toBe(100);
      expect(flaky.refused.get('commit')).toBe(1);
      expect(summary.storeFailures).toBeGreaterThanOrEqual(1);
      // After recovery: everything delivered, each record applied once; the unmarked batch was re-sent with its keys.
      expect(await real.listOutbox({ connection: 'mes', status: 'pending' })).toEqual([]);
      expect(server.totalEffects()).toBe(RECORDS);
      expect(server.calls.length).toBe(RECORDS / 50 + 1);
      expect(Math.max(...server.target.idempotencyKeys.values())).toBe(2);
      expect(summary.job.counters).toMatchObject({ created: RECORDS, failed: 0 });
    } finally {
      await connector.close();
      await server.stop();
      await real.close();
      await place.destroy();
    }
  }, 30_000);
}

describe('T25 store outage during push [SQLite]', () => storeOutage('sqlite'));
describeWithPostgres('T25 store outage during push', () => storeOutage('postgres'));
