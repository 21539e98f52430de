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

const DELIVERY_TTL = 10 * MINUTE;

describeEachStore('Deliveries and ACK', (open) => {
  it('commits nothing before the ACK, and the ACK commits cursor and hashes in one step', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    for (let i = 1; i <= 3; i++) putOrder(source, clock, `o${i}`, i, -30 * MINUTE + i * MINUTE);
    const options = pullOptions(store, source, clock, { deliveryTtlMs: DELIVERY_TTL });

    const first = await pullChanges(options);
    expect(handedOut(first)).toEqual(['o1', 'o2', 'o3']);
    expect(first.status === 'delivered' && first.delivery.records.map((r) => r.change)).toEqual([
      'created',
      'created',
      'created',
    ]);
    expect(await store.getCursor(STREAM)).toBeUndefined();
    expect((await store.getIdMappings({ connection: 'erp', entity: 'orders', source: 'erp-100' }, ['o1'])).size).toBe(
      0,
    );

    expect(await acknowledgeDelivery(store, tokenOf(first))).toEqual({ status: 'acked', cursorVersion: 1 });
    const cursor = await storedCursor(store);
    expect(cursor.version).toBe(1);
    expect(cursor.watermark).toEqual({ kind: 'instant', ms: clock.now() - 27 * MINUTE, dateOnly: false });
    const hashes = await store.getIdMappings({ connection: 'erp', entity: 'orders', source: 'erp-100' }, ['o1', 'o3']);
    expect([...hashes.values()].map((row) => [row.externalId, row.targetId])).toEqual([
      ['o1', 'o1'],
      ['o3', 'o3'],
    ]);

    // Unchanged records inside the lookback window are read again but not handed out again.
    const second = await pullChanges(options);
    expect(second).toMatchObject({ status: 'nothing_new', stats: { read: 3, unchanged: 3, emitted: 0 } });
  });

  it('a crash without ACK: after expiry the same records are handed out again', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    for (let i = 1; i <= 3; i++) putOrder(source, clock, `o${i}`, i, -30 * MINUTE);
    const options = pullOptions(store, source, clock, { deliveryTtlMs: DELIVERY_TTL });

    const lost = await pullChanges(options);
    expect(handedOut(lost)).toEqual(['o1', 'o2', 'o3']);
    // Still pending: a second pull hands out nothing new.
    expect(await pullChanges(options)).toEqual({
      status: 'pending',
      pendingRecords: 3,
      pendingExpiresAt: clock.now() + DELIVERY_TTL,
    });

    await clock.advance(DELIVERY_TTL + 1);
    const again = await pullChanges(options);
    expect(handedOut(again)).toEqual(['o1', 'o2', 'o3']);
    expect(again.status === 'delivered' && again.delivery.records.map((r) => r.contentHash)).toEqual(
      lost.status === 'delivered' && lost.delivery.records.map((r) => r.contentHash),
    );
    expect(tokenOf(again)).not.toBe(tokenOf(lost));
    expect(await acknowledgeDelivery(store, tokenOf(again))).toEqual({ status: 'acked', cursorVersion: 1 });
    expect((await store.getDelivery(tokenOf(lost)))?.status).toBe('expired');
  });

  it('ACK twice answers already_acked; an unknown token is DELIVERY_UNKNOWN', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    putOrder(source, clock, 'o1', 1, -10 * MINUTE);
    const result = await pullChanges(pullOptions(store, source, clock));
    expect(await acknowledgeDelivery(store, tokenOf(result))).toEqual({ status: 'acked', cursorVersion: 1 });
    expect(await acknowledgeDelivery(store, tokenOf(result))).toEqual({ status: 'already_acked' });
    expect((await storedCursor(store)).version).toBe(1);
    expect(await rejectionCode(acknowledgeDelivery(store, 'no-such-token'))).toBe('DELIVERY_UNKNOWN');
    expect(await rejectionCode(acknowledgeDelivery(store, ''))).toBe('DELIVERY_UNKNOWN');
  });

  it('ACK after a newer delivery was ACKed: CURSOR_VERSION_CONFLICT and nothing applied', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    putOrder(source, clock, 'o1', 1, -20 * MINUTE);
    const options = pullOptions(store, source, clock, { deliveryTtlMs: DELIVERY_TTL });
    const old = await pullChanges(options);
    await clock.advance(DELIVERY_TTL + 1);
    putOrder(source, clock, 'o1', 2, -10 * MINUTE);
    putOrder(source, clock, 'o2', 1, -9 * MINUTE);
    const newer = await pullChanges(options);
    expect(handedOut(newer)).toEqual(['o1', 'o2']);
    await acknowledgeDelivery(store, tokenOf(newer));
    const before = await storedCursor(store);
    const hashBefore = (
      await store.getIdMappings({ connection: 'erp', entity: 'orders', source: 'erp-100' }, ['o1'])
    ).get('o1')?.contentHash;

    expect(await rejectionCode(acknowledgeDelivery(store, tokenOf(old)))).toBe('CURSOR_VERSION_CONFLICT');
    expect(await storedCursor(store)).toEqual(before);
    const hashAfter = (
      await store.getIdMappings({ connection: 'erp', entity: 'orders', source: 'erp-100' }, ['o1'])
    ).get('o1')?.contentHash;
    expect(hashAfter).toBe(hashBefore);
    expect(hashAfter).toBe(newer.status === 'delivered' ? newer.delivery.records[0]?.contentHash : undefined);
  });

  it('autoAck commits as it hands out: no pending delivery, the next pull continues', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    putOrder(source, clock, 'o1', 1, -20 * MINUTE);
    const options = pullOptions(store, source, clock, { autoAck: true });
    const result = await pullChanges(options);
    expect(result.status === 'delivered' && result.delivery.acknowledged).toBe(true);
    expect((await storedCursor(store)).version).toBe(1);
    expect(await store.listDeliveries(STREAM)).toEqual([]);
    putOrder(source, clock, 'o2', 1, -10 * MINUTE);
    expect(handedOut(await pullChanges(options))).toEqual(['o2']);
  });
});
