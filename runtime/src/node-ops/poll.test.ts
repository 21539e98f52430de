import { TaktError } from '../errors';
import { MemoryStateStore } from '../state/memory/memory-state-store';
import { orderSource, putOrder } from '../sync/pull/__fixtures__/pull-harness';
import { FakeClock } from '../time';
import { acknowledge } from './acknowledge';
import { pollOnce, type PollOptions } from './poll';

const MINUTE = 60_000;

function setup() {
  const clock = new FakeClock(1_700_000_000_000);
  const store = new MemoryStateStore(clock);
  const source = orderSource();
  const options: PollOptions = {
    store,
    connector: source,
    connection: 'erp',
    entity: 'orders',
    mode: 'incremental',
    maxRecords: 2,
    owner: 'n8n-trigger-1',
    deliveryTtlMs: 10 * MINUTE,
    clock,
  };
  return { clock, store, source, options };
}

describe('pollOnce', () => {
  it('hands out changed records as items sharing one token, then nothing until the ACK', async () => {
    const { clock, store, source, options } = setup();
    putOrder(source, clock, 'o1', 5, -20 * MINUTE);
    putOrder(source, clock, 'o2', 6, -19 * MINUTE);
    putOrder(source, clock, 'o3', 7, -18 * MINUTE);

    const first = await pollOnce(options);
    expect(first.status).toBe('delivered');
    expect(first.items.map((item) => [item.json.id, item.json.qty, item.meta.externalId, item.meta.change])).toEqual([
      ['o1', 5, 'o1', 'created'],
      ['o2', 6, 'o2', 'created'],
    ]);
    const token = first.token;
    expect(first.items.every((item) => item.meta.token === token && item.meta.deliveryKind === 'pull')).toBe(true);
    expect(first.items[0]?.meta.stream).toBe('pull/erp/orders');
    expect(first.stats).toEqual({ read: 3, unchanged: 0, emitted: 2, hasMore: true });
    expect(first.message).toContain('more are waiting for the next poll');

    const blocked = await pollOnce(options);
    expect(blocked).toMatchObject({ status: 'pending', items: [] });
    expect(blocked.message).toBe(
      'An earlier delivery of 2 record(s) awaits its acknowledgement; nothing new is handed out until it is ' +
        `acknowledged or expires at ${new Date(clock.now() + 10 * MINUTE).toISOString()}.`,
    );

    await acknowledge(store, token, { outcome: 'ack' });
    const next = await pollOnce(options);
    expect(next.items.map((item) => item.json.id)).toEqual(['o3']);
    await acknowledge(store, next.token, { outcome: 'ack' });
    expect((await pollOnce(options)).status).toBe('nothing_new');

    // A changed record comes back as "updated".
    putOrder(source, clock, 'o2', 60, -1 * MINUTE);
    await clock.advance(2 * MINUTE);
    const changed = await pollOnce(options);
    expect(changed.items.map((item) => [item.json.id, item.json.qty, item.meta.change])).toEqual([
      ['o2', 60, 'updated'],
    ]);
  });

  it('logs each poll that reads as an incremental job whose counters arrive with the ACK; a blocked poll logs none', async () => {
    const { clock, store, source, options } = setup();
    putOrder(source, clock, 'o1', 5, -20 * MINUTE);
    const delivered = await pollOnce(options);
    await pollOnce(options);
    expect(await store.listJobs({ connection: 'erp' })).toHaveLength(1);
    await acknowledge(store, delivered.token, { outcome: 'ack' });
    const job = await store.getJob(delivered.jobId ?? '');
    expect(job).toMatchObject({ kind: 'incremental', entity: 'orders', status: 'success' });
    expect(job?.counters).toMatchObject({ read: 1, created: 1 });
  });

  it('an unacknowledged delivery is handed out again after it expires, with a new token', async () => {
    const { clock, source, options } = setup();
    putOrder(source, clock, 'o1', 5, -20 * MINUTE);
    const lost = await pollOnce(options);
    await clock.advance(10 * MINUTE + 1);
    const again = await pollOnce(options);
    expect(again.items.map((item) => item.json.id)).toEqual(['o1']);
    expect(again.token).not.toBe(lost.token);
  });

  it('says when another worker holds the stream', async () => {
    const { clock, store, options } = setup();
    await store.acquireLease('pull/erp/orders', 'other-worker', MINUTE);
    const held = await pollOnce(options);
    expect(held.status).toBe('lease_held');
    expect(held.message).toBe(
      `Another worker is reading this stream right now (its lease ends at ${new Date(clock.now() + MINUTE).toISOString()}).`,
    );
  });

  it.each([
    [{ maxRecords: 0 }, 'Max records per poll is a whole number from 1 to 100000, not 0.'],
    [{ entity: ' ' }, 'Choose the entity the trigger reads.'],
    [{ connection: '' }, 'Name the connection the trigger reads.'],
  ])('refuses %p', async (change, message) => {
    const { options } = setup();
    const error = await pollOnce({ ...options, ...change }).catch((thrown: unknown) => thrown);
    expect(TaktError.is(error) && [error.code, error.message]).toEqual(['CONFIG_INVALID', message]);
  });
});
