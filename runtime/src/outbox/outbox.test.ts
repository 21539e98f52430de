import { TaktError } from '../errors';
import type { StateStore } from '../state';
import { describeWithPostgres } from '../testing/services';
import { FakeTarget } from '../testing/fake-target';
import { FakeClock } from '../time';
import { RecordingConnector } from './__fixtures__/recording-connector';
import { createStorePlace, type StoreKind, type StorePlace } from './__fixtures__/stores';
import { enqueue } from './enqueue';
import { OutboxPusher } from './outbox-pusher';

/**
 * The outbox end to end on every store: enqueue (with and without coalescing), per-key order, backoff while
 * the target is down, Retry-After as a floor, dead letters, the revision-skipped mark, and restarts.
 */
const ENTITY = 'orders';
const CONNECTION = 'mes';
const NO_JITTER = { jitter: 'none' as const, baseDelayMs: 1_000, maxDelayMs: 8_000 };

function outboxSuite(kind: StoreKind): void {
  let place: StorePlace;
  let store: StateStore;
  let clock: FakeClock;
  let fake: FakeTarget;
  let target: RecordingConnector;

  beforeEach(async () => {
    place = createStorePlace(kind);
    clock = new FakeClock();
    store = await place.open(clock);
    fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
    target = new RecordingConnector(fake);
  });
  afterEach(async () => {
    await store.close();
    await place.destroy();
  });

  const pusher = (extra: Partial<ConstructorParameters<typeof OutboxPusher>[0]> = {}): OutboxPusher =>
    new OutboxPusher({
      store,
      connector: target,
      connection: CONNECTION,
      entity: ENTITY,
      clock,
      retry: NO_JITTER,
      ...extra,
    });

  const pending = async (): Promise<number> =>
    (await store.listOutbox({ connection: CONNECTION, status: 'pending' })).length;

  it('sends every update of a key in order when not coalescing, one key at a time', async () => {
    const records = [1, 2, 3].flatMap((n) => ['A', 'B'].map((id) => ({ orderKey: id, payload: { id, n } })));
    await enqueue(store, { connection: CONNECTION, entity: ENTITY, records, coalesce: false });
    const summary = await pusher().run();
    expect(summary).toMatchObject({ sent: 6, retried: 0, dead: 0 });
    expect(target.writtenFor('id', 'A').map((d) => d.n)).toEqual([1, 2, 3]);
    expect(target.writtenFor('id', 'B').map((d) => d.n)).toEqual([1, 2, 3]);
    // Each round carries one entry per key: a key's next entry waits for the previous one's mark.
    expect(target.writes.map((w) => w.items.length)).toEqual([2, 2, 2]);
    expect(summary.job).toMatchObject({ kind: 'push', status: 'success', counters: { created: 2, updated: 4 } });
    expect(await pending()).toBe(0);
  });

  it('coalesces 10 updates of one key made while the target is down into one write of the newest', async () => {
    fake.down = true;
    const push = pusher();
    for (let n = 1; n <= 10; n += 1) {
      await enqueue(store, {
        connection: CONNECTION,
        entity: ENTITY,
        records: [{ orderKey: 'K', payload: { id: 'K', n } }],
      });
      if (n === 1) expect(await push.pushOnce()).toMatchObject({ due: 1, sent: 0, retrying: 1 });
    }
    const [entry] = await store.listOutbox({ connection: CONNECTION });
    expect(entry).toMatchObject({ revision: 10, status: 'pending', payload: { id: 'K', n: 10 } });
    fake.down = false;
    const writesWhileDown = target.writes.length;
    await clock.advance(1_000);
    expect(await push.pushOnce()).toMatchObject({ due: 1, sent: 1 });
    expect(target.writes.slice(writesWhileDown).flatMap((w) => w.items.map((i) => i.data))).toEqual([
      { id: 'K', n: 10 },
    ]);
    expect(fake.totalEffects()).toBe(1);
  });

  it('keeps an update that arrives while an older revision is in flight (revision-skipped mark)', async () => {
    await enqueue(store, {
      connection: CONNECTION,
      entity: ENTITY,
      records: [{ orderKey: 'K', payload: { id: 'K', n: 1 } }],
    });
    target.during = async () => {
      target.during = undefined;
      await enqueue(store, {
        connection: CONNECTION,
        entity: ENTITY,
        records: [{ orderKey: 'K', payload: { id: 'K', n: 2 } }],
      });
    };
    const push = pusher();
    expect(await push.pushOnce()).toMatchObject({ sent: 1 });
    const [entry] = await store.listOutbox({ connection: CONNECTION, status: 'pending' });
    expect(entry).toMatchObject({ revision: 2, payload: { id: 'K', n: 2 } });
    expect(await push.pushOnce()).toMatchObject({ sent: 1 });
    expect(fake.get(ENTITY, 'K')?.data).toEqual({ id: 'K', n: 2 });
    expect(await pending()).toBe(0);
  });

  it('keeps every entry pending with backoff while the target is down, then delivers all', async () => {
    const records = Array.from({ length: 20 }, (_, i) => ({ orderKey: `k${i}`, payload: { id: `k${i}` } }));
    await enqueue(store, { connection: CONNECTION, entity: ENTITY, records });
    fake.down = true;
    const push = pusher();
    const waits: number[] = [];
    for (let round = 1; round <= 4; round += 1) {
      const before = clock.now();
      const result = await push.pushOnce();
      expect(result).toMatchObject({ due: 20, sent: 0, retrying: 20, dead: 0 });
      waits.push(result.pausedUntil - before);
      // Paused: nothing is read or sent before the backoff ends.
      expect(await push.pushOnce()).toMatchObject({ due: 0 });
      await clock.advance(result.pausedUntil - clock.now());
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
    for (const entry of await store.listOutbox({ connection: CONNECTION })) {
      expect(entry).toMatchObject({ status: 'pending', attempts: 4, lastError: { code: 'CONNECTION_REFUSED' } });
    }
    fake.down = false;
    expect(await push.pushOnce()).toMatchObject({ due: 20, sent: 20 });
    expect(fake.totalEffects()).toBe(20);
  });

  it('never retries before Retry-After, and parks a long one as pending until then', async () => {
    await enqueue(store, {
      connection: CONNECTION,
      entity: ENTITY,
      records: [{ orderKey: 'K', payload: { id: 'K' } }],
    });
    const push = pusher();
    const start = clock.now();
    fake.failNext(1, new TaktError('HTTP_RATE_LIMITED', 'slow down', { retryAt: new Date(start + 3_000) }));
    expect(await push.pushOnce()).toMatchObject({ retrying: 1, pausedUntil: start + 3_000 });
    fake.failNext(1, new TaktError('RETRY_DEFERRED', 'later', { retryAt: new Date(start + 3_000 + 120_000) }));
    await clock.advance(3_000);
    expect(await push.pushOnce()).toMatchObject({ retrying: 1, pausedUntil: start + 123_000 });
    const [entry] = await store.listOutbox({ connection: CONNECTION });
    expect(entry).toMatchObject({
      status: 'pending',
      nextAttemptAt: start + 123_000,
      lastError: { code: 'RETRY_DEFERRED' },
    });
    await clock.advance(119_999);
    expect(await push.pushOnce()).toMatchObject({ due: 0 });
    await clock.advance(1);
    expect(await push.pushOnce()).toMatchObject({ sent: 1 });
  });

  it('dead-letters a record the target rejects, with its code and key, and sends the others', async () => {
    fake.reject = (_entity, data) =>
      data.id === 'bad' ? { code: 'HTTP_UNPROCESSABLE', message: 'qty < 0' } : undefined;
    await enqueue(store, {
      connection: CONNECTION,
      entity: ENTITY,
      records: [
        { orderKey: 'ok', payload: { id: 'ok' } },
        { orderKey: 'bad', payload: { id: 'bad' } },
      ],
    });
    const summary = await pusher().run();
    expect(summary).toMatchObject({ sent: 1, dead: 1, job: { status: 'failed', counters: { created: 1, failed: 1 } } });
    const [letter] = await store.listDeadLetters({ scope: `outbox:${CONNECTION}/${ENTITY}` });
    expect(letter).toMatchObject({ key: 'bad', attempts: 1, error: { code: 'HTTP_UNPROCESSABLE', retryable: false } });
    const errors = await store.listJobErrors(summary.job.id);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'HTTP_UNPROCESSABLE', externalId: 'bad', entity: ENTITY }),
    ]);
    expect(await store.listOutbox({ connection: CONNECTION, status: 'dead' })).toHaveLength(1);
  });

  it('lets one pusher at a time drain a connection (lease)', async () => {
    await enqueue(store, {
      connection: CONNECTION,
      entity: ENTITY,
      records: [{ orderKey: 'K', payload: { id: 'K' } }],
    });
    const first = pusher({ owner: 'one' });
    const second = pusher({ owner: 'two' });
    expect(await first.pushOnce()).toMatchObject({ sent: 1 });
    await enqueue(store, {
      connection: CONNECTION,
      entity: ENTITY,
      records: [{ orderKey: 'K', payload: { id: 'K', v: 2 } }],
    });
    expect(await second.pushOnce()).toMatchObject({ held: true, due: 0 });
    expect(await first.pushOnce()).toMatchObject({ sent: 1 });
  });
}

describe('outbox [memory]', () => outboxSuite('memory'));
describe('outbox [SQLite]', () => {
  outboxSuite('sqlite');

  it('keeps pending entries across closing and reopening the store file', async () => {
    const place = createStorePlace('sqlite');
    try {
      const first = await place.open();
      await enqueue(first, {
        connection: CONNECTION,
        entity: ENTITY,
        records: [1, 2, 3].map((n) => ({ orderKey: 'K', payload: { id: 'K', n } })),
        coalesce: false,
      });
      await first.close();
      const reopened = await place.open();
      const fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
      const target = new RecordingConnector(fake);
      const summary = await new OutboxPusher({ store: reopened, connector: target, connection: CONNECTION }).run();
      expect(summary.sent).toBe(3);
      expect(target.writtenFor('id', 'K').map((d) => d.n)).toEqual([1, 2, 3]);
      await reopened.close();
    } finally {
      await place.destroy();
    }
  });
});
describeWithPostgres('outbox', () => outboxSuite('postgres'));
