import { setTimeout as delay } from 'node:timers/promises';
import { killed, output, waitForLine } from '../state/__fixtures__/child';
import { describeWithPostgres } from '../testing/services';
import { FakeTargetServer } from './__fixtures__/fake-target-server';
import { startOutboxFixture } from './__fixtures__/fixture-path';
import { createStorePlace, type StoreKind } from './__fixtures__/stores';
import { enqueue } from './enqueue';

/**
 * Reliability T2: the push succeeded at the target (2xx) and the process was SIGKILLed before the outbox row
 * was marked sent. After a restart the record is sent again with the same idempotency key: the target sees
 * 2 requests and applies 1 effect, the row ends sent, and the job log shows the interrupted run and the run
 * that recovered it. The pusher runs from dist/ in a child process; the target lives in this process.
 */
function crashSuite(kind: StoreKind): void {
  it('T2 kill after the remote effect, before the mark: re-sent with the same key, applied once', async () => {
    const place = createStorePlace(kind);
    const server = new FakeTargetServer('orders', 'id');
    await server.start();
    try {
      const setup = await place.open();
      await enqueue(setup, {
        connection: 't2',
        entity: 'orders',
        records: [{ orderKey: '4711', payload: { id: '4711', qty: 5 } }],
      });
      await setup.close();
      const args = place.args ?? [];

      const first = startOutboxFixture('push-child', ['crash', server.url, ...args]);
      await waitForLine(first, 'written');
      first.kill('SIGKILL');
      expect(await killed(first)).toBe('SIGKILL');
      expect(server.target.totalEffects()).toBe(1);

      const second = startOutboxFixture('push-child', ['run', server.url, ...args]);
      const summary = JSON.parse((await output(second)).trim().split('\n').pop() ?? '{}') as {
        sent: number;
        job: { id: string; status: string; parentJobId?: string; counters: Record<string, number> };
      };

      // The target: 2 requests with one idempotency key, 1 effect.
      expect(server.calls).toHaveLength(2);
      expect([...server.target.idempotencyKeys.values()]).toEqual([2]);
      expect(server.target.totalEffects()).toBe(1);

      const store = await place.open();
      try {
        const [entry] = await store.listOutbox({ connection: 't2' });
        expect(entry).toMatchObject({ status: 'sent', orderKey: '4711' });
        // The job log: the killed run, closed as interrupted, and the run that recovered it with 1 success.
        expect(summary.sent).toBe(1);
        expect(summary.job).toMatchObject({ status: 'success', counters: { created: 1 } });
        const interrupted = await store.getJob(summary.job.parentJobId ?? '');
        expect(interrupted).toMatchObject({ kind: 'push', status: 'failed', error: { code: 'JOB_STALE' } });
      } finally {
        await store.close();
      }
    } finally {
      await server.stop();
      await delay(10);
      await place.destroy();
    }
  }, 30_000);
}

describe('outbox crash [SQLite]', () => crashSuite('sqlite'));
describeWithPostgres('outbox crash', () => crashSuite('postgres'));
