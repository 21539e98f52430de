import type { Connector, WriteItem, WriteOptions, WriteResult } from '../connectors';
import { TaktError, forgetSecret, registerSecret } from '../errors';
import { startJob } from '../jobs';
import { MemoryStateStore } from '../state';
import { FakeTarget } from '../testing/fake-target';
import { FakeClock } from '../time';
import { flakyStore } from './__fixtures__/flaky-store';
import { RecordingConnector } from './__fixtures__/recording-connector';
import { enqueue } from './enqueue';
import { outboxIdempotencyKey } from './idempotency-key';
import { OutboxPusher } from './outbox-pusher';

/** Pusher rules with a fake clock and fixed jitter: exact times, one rule per test. */
const ENTITY = 'orders';
const CONNECTION = 'mes';
const RETRY = { jitter: 'none' as const, baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3 };

/** A connector whose every record answers what `answer` says. */
function answering(answer: (item: WriteItem, options: WriteOptions) => Omit<WriteResult, 'index'>): Connector {
  const fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
  return {
    kind: 'scripted',
    test: () => fake.test(),
    entities: () => fake.entities(),
    read: (entity, options) => fake.read(entity, options),
    close: () => Promise.resolve(),
    write: (_entity, items, options) =>
      Promise.resolve(items.map((item, index) => ({ index, ...answer(item, options) }))),
  };
}

describe('OutboxPusher', () => {
  let clock: FakeClock;
  let store: MemoryStateStore;
  beforeEach(() => {
    clock = new FakeClock();
    store = new MemoryStateStore(clock);
  });
  const one = (payload: Record<string, unknown> = { id: 'K' }): Promise<unknown> =>
    enqueue(store, { connection: CONNECTION, entity: ENTITY, records: [{ orderKey: String(payload.id), payload }] });

  it('derives the same idempotency key for the same write, and another for another version', () => {
    const base = { connection: 'c', entity: 'e', orderKey: 'k', payload: { a: 1, b: [1, 2] } };
    const key = outboxIdempotencyKey(base);
    expect(key).toMatch(/^tk1-[0-9a-f]{64}$/);
    expect(outboxIdempotencyKey({ ...base, payload: { b: [1, 2], a: 1 } })).toBe(key);
    expect(outboxIdempotencyKey({ ...base, version: '2026-01-01T00:00:00Z' })).not.toBe(key);
    expect(outboxIdempotencyKey({ ...base, orderKey: 'k2' })).not.toBe(key);
  });

  it('retries a record rejected with a retryable error with backoff, then dead-letters it after maxAttempts', async () => {
    await one();
    const connector = answering(() => ({
      action: 'error',
      error: { code: 'HTTP_SERVER_ERROR', message: 'lock timeout', retryable: true },
    }));
    const pusher = new OutboxPusher({ store, connector, connection: CONNECTION, clock, retry: RETRY });
    expect(await pusher.pushOnce()).toMatchObject({ retrying: 1 });
    let [entry] = await store.listOutbox({ connection: CONNECTION });
    expect(entry).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: clock.now() + 1_000 });
    await clock.advance(1_000);
    expect(await pusher.pushOnce()).toMatchObject({ retrying: 1 });
    [entry] = await store.listOutbox({ connection: CONNECTION });
    expect(entry).toMatchObject({ attempts: 2, nextAttemptAt: clock.now() + 2_000 });
    await clock.advance(2_000);
    expect(await pusher.pushOnce()).toMatchObject({ dead: 1 });
    const [letter] = await store.listDeadLetters({});
    expect(letter).toMatchObject({ key: 'K', attempts: 3, error: { code: 'HTTP_SERVER_ERROR', retryable: false } });
    expect(letter?.error.message).toContain('gave up after 3 attempts');
  });

  it('treats 409 from an idempotent create that names the existing record as sent (T15)', async () => {
    await one();
    const connector = answering(() => ({
      action: 'error',
      targetId: 'T-1',
      error: { code: 'HTTP_CONFLICT', message: 'exists', retryable: false },
    }));
    const job = await startJob(store, { connection: CONNECTION, entity: ENTITY, kind: 'push', direction: 'outbound' });
    const pusher = new OutboxPusher({ store, connector, connection: CONNECTION, clock, mode: 'create', job });
    expect(await pusher.pushOnce()).toMatchObject({ sent: 1, dead: 0 });
    expect(await store.listDeadLetters({})).toEqual([]);
    expect((await store.getJob(job.id))?.counters).toMatchObject({ unchanged: 1, failed: 0 });
  });

  it('dead-letters every entry of a call that failed for good (authentication), naming no secret', async () => {
    await one({ id: 'A' });
    await one({ id: 'B' });
    const fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
    // A connector registers the credentials it holds, so no error built while it holds them can carry them.
    registerSecret('hunter2-canary');
    fake.failNext(1, new TaktError('AUTH_FAILED', 'Token refused for client svc (secret hunter2-canary)'));
    const pusher = new OutboxPusher({ store, connector: fake, connection: CONNECTION, clock });
    expect(await pusher.pushOnce()).toMatchObject({ dead: 2 });
    const letters = await store.listDeadLetters({});
    expect(letters.map((l) => [l.key, l.error.code])).toEqual([
      ['A', 'AUTH_FAILED'],
      ['B', 'AUTH_FAILED'],
    ]);
    expect(letters[0]?.error.message).toMatch(/^Authentication failed \(401\): Token refused/);
    expect(JSON.stringify(letters)).not.toContain('hunter2-canary');
    forgetSecret('hunter2-canary');
  });

  it('fails closed: a store that cannot be read sends nothing; one that cannot mark leaves the entry to be re-sent with the same key', async () => {
    await one();
    const fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
    const target = new RecordingConnector(fake);
    const flaky = flakyStore(store);
    const pusher = new OutboxPusher({ store: flaky.store, connector: target, connection: CONNECTION, clock });
    flaky.down = true;
    await expect(pusher.pushOnce()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(target.writes).toHaveLength(0);

    flaky.down = false;
    flaky.onCall = (method) => {
      if (method === 'commit') flaky.down = true;
    };
    await expect(pusher.pushOnce()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(target.writes).toHaveLength(1);
    expect(await store.listOutbox({ status: 'pending' })).toHaveLength(1);

    flaky.onCall = undefined;
    flaky.down = false;
    expect(await pusher.pushOnce()).toMatchObject({ sent: 1 });
    const keys = target.writes.map((w) => w.items[0]?.idempotencyKey);
    expect(keys[0]).toBeDefined();
    expect(keys[1]).toBe(keys[0]);
    expect(fake.totalEffects()).toBe(1);
  });

  it('run() pauses while the store is down and resumes on its own, with nothing lost or applied twice', async () => {
    for (const id of ['A', 'B', 'C']) await one({ id });
    const fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
    const flaky = flakyStore(store);
    let commits = 0;
    flaky.onCall = (method) => {
      if (method === 'commit' && ++commits === 1) flaky.down = true;
    };
    const pusher = new OutboxPusher({
      store: flaky.store,
      connector: fake,
      connection: CONNECTION,
      clock,
      batchSize: 1,
    });
    const running = pusher.run();
    await clock.advance(3_000);
    expect(flaky.refused.get('commit')).toBe(1);
    flaky.down = false;
    await clock.runAll();
    const summary = await running;
    expect(summary.storeFailures).toBeGreaterThanOrEqual(1);
    expect(await store.listOutbox({ status: 'sent' })).toHaveLength(3);
    expect(fake.totalEffects()).toBe(3);
  });

  it('closes a push job its crashed predecessor left running and names it as the parent', async () => {
    await one();
    const crashed = await startJob(store, {
      connection: CONNECTION,
      entity: ENTITY,
      kind: 'push',
      direction: 'outbound',
    });
    const fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
    const summary = await new OutboxPusher({ store, connector: fake, connection: CONNECTION, clock }).run();
    expect(summary.job).toMatchObject({ status: 'success', parentJobId: crashed.id, counters: { created: 1 } });
    expect(await store.getJob(crashed.id)).toMatchObject({ status: 'failed', error: { code: 'JOB_STALE' } });
  });

  it('skips the job when nothing was due', async () => {
    const fake = new FakeTarget([{ name: ENTITY, keyFields: ['id'] }]);
    const summary = await new OutboxPusher({ store, connector: fake, connection: CONNECTION, clock }).run();
    expect(summary.job.status).toBe('skipped');
  });
});
