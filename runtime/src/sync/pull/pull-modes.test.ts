import { startJob } from '../../jobs';
import { FakeClock } from '../../time';
import { describeEachStore } from './__fixtures__/stores';
import {
  MINUTE,
  STREAM,
  handedOut,
  orderSource,
  pullOptions,
  putOrder,
  rejectionCode,
  storedCursor,
  tokenOf,
} from './__fixtures__/pull-harness';
import { acknowledgeDelivery } from './acknowledge';
import { pullChanges } from './pull-changes';
import { singleStreamName } from './stream-cursor';

describeEachStore('Pull modes', (open) => {
  it('full sync reads everything and hands out only what changed, even below the watermark', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    for (let i = 1; i <= 4; i++) putOrder(source, clock, `o${i}`, i, -60 * MINUTE + i * MINUTE);
    const options = pullOptions(store, source, clock);
    await acknowledgeDelivery(store, tokenOf(await pullChanges(options)));

    // Changed at the source with an old date: below watermark − lookback, so incremental cannot see it.
    putOrder(source, clock, 'o1', 99, -90 * MINUTE);
    expect(await pullChanges(options)).toMatchObject({ status: 'nothing_new', stats: { read: 3, unchanged: 3 } });
    const full = await pullChanges({ ...options, mode: 'full' });
    expect(handedOut(full)).toEqual(['o1']);
    expect(full).toMatchObject({ stats: { read: 4, unchanged: 3, emitted: 1 } });
    expect((await storedCursor(store)).baselineReason).toBe('first run');
    await acknowledgeDelivery(store, tokenOf(full));
    const cursor = await storedCursor(store);
    expect(cursor).toMatchObject({
      version: 2,
      baselineReason: 'full sync',
      baselineAt: new Date(clock.now()).toISOString(),
    });
  });

  it('single-record sync reads by key, hands it out when changed, and never blocks the stream', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    putOrder(source, clock, 'o1', 1, -20 * MINUTE);
    putOrder(source, clock, 'o2', 1, -20 * MINUTE);
    const single = pullOptions(store, source, clock, { mode: 'single', key: { id: 'o2' } });

    const first = await pullChanges(single);
    expect(handedOut(first)).toEqual(['o2']);
    expect(first.status === 'delivered' && first.delivery.stream).toBe(singleStreamName('erp', 'orders'));
    // The incremental stream is not blocked by the pending single delivery.
    const incremental = await pullChanges(pullOptions(store, source, clock));
    expect(handedOut(incremental)).toEqual(['o1', 'o2']);
    expect(await acknowledgeDelivery(store, tokenOf(first))).toEqual({ status: 'acked', cursorVersion: undefined });
    expect(await store.getCursor(STREAM)).toBeUndefined();
    expect(await pullChanges(single)).toMatchObject({ status: 'nothing_new', stats: { read: 1, unchanged: 1 } });
    expect(await rejectionCode(pullChanges({ ...single, key: {} }))).toBe('CONFIG_INVALID');
  });

  it('maxRecords splits a large change into deliveries; hasMore says when to pull again', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    for (let i = 1; i <= 5; i++) putOrder(source, clock, `o${i}`, i, -30 * MINUTE + i * MINUTE);
    const options = pullOptions(store, source, clock, { maxRecords: 2, pageSize: 3 });
    const seen: string[][] = [];
    const more: boolean[] = [];
    for (;;) {
      const result = await pullChanges(options);
      if (result.status !== 'delivered') break;
      seen.push(handedOut(result));
      more.push(result.stats.hasMore);
      await acknowledgeDelivery(store, result.delivery.token);
    }
    expect(seen).toEqual([['o1', 'o2'], ['o3', 'o4'], ['o5']]);
    expect(more).toEqual([true, true, false]);
  });

  it('another owner holding the lease gets lease_held and reads nothing', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    putOrder(source, clock, 'o1', 1, -20 * MINUTE);
    const held = await store.acquireLease(STREAM, 'worker-b', MINUTE);
    const result = await pullChanges(pullOptions(store, source, clock));
    expect(result).toEqual({ status: 'lease_held', owner: 'worker-b', expiresAt: held?.expiresAt });
    expect(source.requests.filter((request) => request.kind === 'read')).toEqual([]);
  });

  it('job counters and per-record errors commit with the ACK; a record without key is reported, not dropped', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource({ name: 'orders', keyFields: ['id', 'plant'], deltaField: 'updatedAt' });
    source.put('orders', { id: 'o1', plant: 'P1', updatedAt: new Date(clock.now() - MINUTE * 9).toISOString() });
    source.put('orders', { id: 'o2', plant: '', updatedAt: new Date(clock.now() - MINUTE * 8).toISOString() });
    const job = await startJob(store, {
      connection: 'erp',
      entity: 'orders',
      kind: 'incremental',
      direction: 'inbound',
    });
    const result = await pullChanges(pullOptions(store, source, clock, { job }));
    expect(handedOut(result)).toEqual(['["o1","P1"]']);
    expect((await store.getJob(job.id))?.counters.read).toBe(0);
    await acknowledgeDelivery(store, tokenOf(result));
    expect((await store.getJob(job.id))?.counters).toMatchObject({ read: 2, created: 1, unchanged: 0, failed: 1 });
    const errors = await store.listJobErrors(job.id);
    expect(errors.map((error) => [error.code, error.recordIndex, error.entity])).toEqual([
      ['KEY_MISSING', 1, 'orders'],
    ]);
    expect((await job.finish()).status).toBe('failed');
  });
});
