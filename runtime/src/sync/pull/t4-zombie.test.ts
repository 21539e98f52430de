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
import { StallingConnector, gate, stallCreateDelivery } from './__fixtures__/stalls';
import { acknowledgeDelivery } from './acknowledge';
import { pullChanges } from './pull-changes';

const LEASE_TTL = MINUTE;
const DELIVERY_TTL = 10 * MINUTE;
const SCOPE = { connection: 'erp', entity: 'orders', source: 'erp-100' };

/**
 * Worker A holds the stream's lease and stalls past its TTL (FakeClock); worker B, on its own store session,
 * takes the lease and advances the stream; then A resumes. A must not move the stream nor hand anything out.
 */
describeEachStore('T4 zombie worker after lease loss', (open) => {
  async function setup() {
    const clock = new FakeClock();
    const db = await open(clock);
    const storeB = await db.connect();
    const source = orderSource();
    for (let i = 1; i <= 3; i++) putOrder(source, clock, `o${i}`, i, -30 * MINUTE);
    const base = { leaseTtlMs: LEASE_TTL, deliveryTtlMs: DELIVERY_TTL };
    return { clock, storeA: db.store, storeB, source, base };
  }

  it('A stalls mid-read; B advances; A resumes and is refused with LEASE_LOST before handing out', async () => {
    const { clock, storeA, storeB, source, base } = await setup();
    const stall = gate();
    const zombie = pullChanges(
      pullOptions(storeA, new StallingConnector(source, stall), clock, { ...base, owner: 'worker-a' }),
    );
    await stall.reached;
    await clock.advance(LEASE_TTL + 1);

    const b = await pullChanges(pullOptions(storeB, source, clock, { ...base, owner: 'worker-b' }));
    expect(handedOut(b)).toEqual(['o1', 'o2', 'o3']);
    await acknowledgeDelivery(storeB, tokenOf(b));
    const advanced = await storedCursor(storeB);

    stall.open();
    expect(await rejectionCode(zombie)).toBe('LEASE_LOST');
    expect(await storedCursor(storeA)).toEqual(advanced);
    expect(advanced.version).toBe(1);
    expect(await storeA.listDeliveries(STREAM)).toEqual([]);
    process.stdout.write(`T4 (${storeA.kind}): zombie read refused LEASE_LOST, cursor version 1 (B only)\n`);
  });

  it('autoAck: the zombie commit carries its stale lease and is refused; no double advance', async () => {
    const { clock, storeA, storeB, source, base } = await setup();
    const stall = gate();
    const zombie = pullChanges(
      pullOptions(storeA, new StallingConnector(source, stall), clock, { ...base, owner: 'worker-a', autoAck: true }),
    );
    await stall.reached;
    await clock.advance(LEASE_TTL + 1);
    const b = await pullChanges(pullOptions(storeB, source, clock, { ...base, owner: 'worker-b', autoAck: true }));
    expect(handedOut(b)).toEqual(['o1', 'o2', 'o3']);
    stall.open();
    expect(await rejectionCode(zombie)).toBe('LEASE_LOST');
    expect((await storedCursor(storeA)).version).toBe(1);
  });

  it('A stalls while recording its delivery: the delivery is never handed out and expires unacknowledged', async () => {
    const { clock, storeA, storeB, source, base } = await setup();
    const stall = gate();
    const zombie = pullChanges(
      pullOptions(stallCreateDelivery(storeA, stall), source, clock, { ...base, owner: 'worker-a' }),
    );
    await stall.reached;
    await clock.advance(LEASE_TTL + 1);
    const b = await pullChanges(pullOptions(storeB, source, clock, { ...base, owner: 'worker-b' }));
    await acknowledgeDelivery(storeB, tokenOf(b));

    stall.open();
    expect(await rejectionCode(zombie)).toBe('LEASE_LOST');
    const optionsB = pullOptions(storeB, source, clock, { ...base, owner: 'worker-b' });
    // The orphan blocks the stream until it expires, then the stream goes on where B left it.
    expect(await pullChanges(optionsB)).toMatchObject({ status: 'pending', pendingRecords: 3 });
    await clock.advance(DELIVERY_TTL);
    putOrder(source, clock, 'o4', 4, -MINUTE * 5);
    expect(handedOut(await pullChanges(optionsB))).toEqual(['o4']);
    expect((await storedCursor(storeA)).version).toBe(1);
  });

  it("A's host acknowledges after its delivery expired and B's redelivery was acknowledged: CURSOR_VERSION_CONFLICT", async () => {
    const { clock, storeA, storeB, source, base } = await setup();
    const a = await pullChanges(pullOptions(storeA, source, clock, { ...base, owner: 'worker-a' }));
    await clock.advance(DELIVERY_TTL + 1);
    putOrder(source, clock, 'o2', 22, -MINUTE * 5);
    const b = await pullChanges(pullOptions(storeB, source, clock, { ...base, owner: 'worker-b' }));
    expect(handedOut(b)).toEqual(['o1', 'o3', 'o2']);
    await acknowledgeDelivery(storeB, tokenOf(b));
    const afterB = await storedCursor(storeB);

    expect(await rejectionCode(acknowledgeDelivery(storeA, tokenOf(a)))).toBe('CURSOR_VERSION_CONFLICT');
    expect(await storedCursor(storeA)).toEqual(afterB);
    expect(afterB.version).toBe(1);
    const o2 = (await storeA.getIdMappings(SCOPE, ['o2'])).get('o2');
    expect(o2?.contentHash).toBe(b.status === 'delivered' ? b.delivery.records[2]?.contentHash : undefined);
  });
});
