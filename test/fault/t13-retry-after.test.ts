import { OutboxPusher, enqueue, type StateStore } from '@takt/runtime';
import { mesConnector, tempStore } from './harness';
import { MockErp } from './mock-erp';

/**
 * Reliability T13, end to end: a MES REST connector (HttpConnection: shared limiter, retry with Retry-After)
 * drained by the outbox pusher, against a loopback mock. Real clock, bounded: every wait asserted is ≥ what
 * the server asked and ≤ that plus 1 s of slack. (Exact fake-clock versions: runtime/src/http/retry and
 * runtime/src/outbox/outbox.test.ts.)
 */
const SLACK_MS = 1_000;

describe('T13 429 with Retry-After, through a connector and the outbox', () => {
  let mock: MockErp;
  let store: StateStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    mock = new MockErp();
    await mock.start();
    ({ store, dispose } = await tempStore('sqlite'));
    await enqueue(store, {
      connection: 'mes',
      entity: 'jobs',
      records: [{ orderKey: 'J-1', payload: { external_id: 'J-1', external_source: 'sap', name: 'Job 1' } }],
    });
  });
  afterEach(async () => {
    await dispose();
    await mock.stop();
  });

  const drain = async (connector = mesConnector(mock.url)): Promise<void> => {
    const summary = await new OutboxPusher({ store, connector, connection: 'mes' }).run({ idleMs: 50 });
    expect(summary.sent).toBe(1);
    await connector.close();
  };
  const gap = (): number => (mock.requests[1]?.at ?? NaN) - (mock.requests[0]?.at ?? NaN);

  it('T13 Retry-After: 3 → the next attempt starts ≥ 3.0 s later', async () => {
    mock.script.push({ status: 429, headers: { 'retry-after': '3' } });
    await drain();
    expect(mock.requests).toHaveLength(2);
    expect(gap()).toBeGreaterThanOrEqual(3_000);
    expect(gap()).toBeLessThanOrEqual(3_000 + SLACK_MS);
  });

  it('T13 Retry-After as an HTTP-date → waits until that date', async () => {
    // HTTP-dates have whole seconds: a date 4 s ahead, rounded down, is 3–4 s away.
    const retryAt = Math.floor((Date.now() + 4_000) / 1000) * 1000;
    mock.script.push({ status: 429, headers: { 'retry-after': new Date(retryAt).toUTCString() } });
    await drain();
    expect(mock.requests[1]?.at).toBeGreaterThanOrEqual(retryAt);
    expect(mock.requests[1]?.at).toBeLessThanOrEqual(retryAt + SLACK_MS);
  });

  it('T13 Retry-After: 120 with a 30 s cap → not retried at 30 s but parked until then (RETRY_DEFERRED)', async () => {
    mock.script.push({ status: 429, headers: { 'retry-after': '120' } });
    const connector = mesConnector(mock.url, { retry: { maxDelayMs: 30_000 } });
    const before = Date.now();
    const round = await new OutboxPusher({ store, connector, connection: 'mes' }).pushOnce();
    await connector.close();
    expect(mock.requests).toHaveLength(1);
    expect(round).toMatchObject({ due: 1, sent: 0, retrying: 1 });
    const [entry] = await store.listOutbox({ connection: 'mes' });
    expect(entry?.status).toBe('pending');
    expect(entry?.lastError?.code).toBe('RETRY_DEFERRED');
    expect(entry?.nextAttemptAt).toBeGreaterThanOrEqual(before + 120_000 - SLACK_MS);
    expect(round.pausedUntil).toBe(entry?.nextAttemptAt);
  });

  it('T13 an invalid Retry-After falls back to the backoff', async () => {
    mock.script.push({ status: 429, headers: { 'retry-after': 'soon, maybe' } });
    await drain(mesConnector(mock.url, { retry: { baseDelayMs: 200, jitter: 'none' } }));
    expect(gap()).toBeGreaterThanOrEqual(200);
    expect(gap()).toBeLessThan(200 + SLACK_MS);
  });

  it('T13 a Retry-After seen by one caller pauses every caller sharing the connection', async () => {
    const shared = `t13-shared-${process.pid}`;
    const first = mesConnector(mock.url, { connectionId: shared });
    const second = mesConnector(mock.url, { connectionId: shared });
    mock.script.push({ status: 429, headers: { 'retry-after': '2' } });
    const one = first.write('jobs', [{ data: { external_id: 'A', external_source: 'sap' } }], { mode: 'upsert' });
    while (mock.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const two = second.write('jobs', [{ data: { external_id: 'B', external_source: 'sap' } }], { mode: 'upsert' });
    await Promise.all([one, two]);
    await Promise.all([first.close(), second.close()]);
    const limited = mock.requests[0]?.at ?? NaN;
    const fromSecond = mock.requests.find((r) => (r.body as { external_id?: string }).external_id === 'B');
    expect(fromSecond?.at).toBeGreaterThanOrEqual(limited + 2_000);
    // Bounded: the pause is the only wait.
    expect(fromSecond?.at).toBeLessThanOrEqual(limited + 2_000 + SLACK_MS);
  });
});
