import { FakeClock, HttpConnection, OutboxPusher, TaktError, enqueue, type RetryPolicy } from '@takt/runtime';
import { mesConnector, tempStore } from './harness';
import { MockErp, type MockAnswer } from './mock-erp';

/**
 * Reliability T14: transient 502 / 503 / 504 / connection reset / timeout. Backoff within the policy's jitter
 * bounds (fake clock), retries of 100 clients spread out (real clock), the request timeout at its value, no
 * socket leak, and a POST whose answer was lost retried only when it carries an idempotency key.
 */
const POLICY: Partial<RetryPolicy> = {
  baseDelayMs: 200,
  multiplier: 2,
  maxDelayMs: 1_000,
  jitter: 'full',
  maxAttempts: 6,
};

describe('T14 transient failures with backoff and jitter', () => {
  let mock: MockErp;
  beforeEach(async () => {
    mock = new MockErp();
    await mock.start();
  });
  afterEach(() => mock.stop());

  it('T14 the first k attempts fail (502, 503, 504, reset, timeout): waits follow min(cap, base·2^(n−1)) with full jitter', async () => {
    mock.script.push({ status: 502 }, { status: 503 }, { status: 504 }, 'reset', 'hang');
    const clock = new FakeClock(Date.now());
    const http = new HttpConnection({
      id: `t14-k-${process.pid}`,
      baseUrl: mock.url,
      retry: POLICY,
      clock,
      timeouts: { headersMs: 300 },
    });
    const call = http.send({ method: 'PUT', path: '/api-jobs/sync', body: { external_id: 'J', external_source: 's' } });
    // Each failure leads to one fake sleep; advance through them as they come.
    while (mock.requests.length < 6) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (clock.pending > 0) await clock.advance(clock.sleeps[clock.sleeps.length - 1] ?? 0);
    }
    const response = await call;
    await http.close();
    expect(response.status).toBe(200);
    expect(clock.sleeps).toHaveLength(5);
    clock.sleeps.forEach((ms, i) => {
      const ceiling = Math.min(1_000, 200 * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
  }, 20_000);

  it('T14 100 concurrent failing clients spread their retries (coefficient of variation > 0.3 per attempt)', async () => {
    const clients = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const failures: MockAnswer[] = [{ status: 503 }, { status: 502 }, { status: 504 }];
    for (const client of clients) mock.clientScripts.set(client, [...failures]);
    const connections = clients.map(
      (client) =>
        new HttpConnection({
          id: `t14-${client}-${process.pid}`,
          baseUrl: mock.url,
          retry: POLICY,
          defaultHeaders: { 'x-client': client },
        }),
    );
    await Promise.all(connections.map((http) => http.send({ method: 'PUT', path: '/api-jobs/sync', body: {} })));
    await Promise.all(connections.map((http) => http.close()));
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const delays = clients.map((client) => {
        const times = mock.requests.filter((r) => r.client === client).map((r) => r.at);
        return (times[attempt] ?? NaN) - (times[attempt - 1] ?? NaN);
      });
      const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
      const sd = Math.sqrt(delays.reduce((a, b) => a + (b - mean) ** 2, 0) / delays.length);
      process.stdout.write(`T14 retry ${attempt}: mean ${mean.toFixed(0)} ms, cv ${(sd / mean).toFixed(2)}\n`);
      expect(sd / mean).toBeGreaterThan(0.3);
    }
  }, 30_000);

  it('T14 the request timeout fires at its configured value, and sockets return to baseline', async () => {
    const baseline = await mock.connections();
    mock.script.push('hang');
    const http = new HttpConnection({
      id: `t14-timeout-${process.pid}`,
      baseUrl: mock.url,
      retry: { maxAttempts: 1 },
      timeouts: { headersMs: 500 },
    });
    const started = Date.now();
    const failure = await http.send({ method: 'GET', path: '/api-jobs/sync' }).catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    expect(TaktError.is(failure) && failure.code).toBe('HEADERS_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(500);
    for (let i = 0; i < 20; i += 1) await http.send({ method: 'GET', path: '/api-jobs/sync' });
    await http.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await mock.connections()).toBe(baseline);
  });

  it('T14 a POST without an idempotency key whose answer was lost is not retried; with a key it is', async () => {
    mock.script.push('reset');
    const http = new HttpConnection({
      id: `t14-post-${process.pid}`,
      baseUrl: mock.url,
      retry: { ...POLICY, jitter: 'none' },
    });
    const failure = await http
      .send({ method: 'POST', path: '/api-jobs/bulk-sync', body: { jobs: [] } })
      .catch((error: unknown) => error);
    expect(TaktError.is(failure) && failure.code).toBe('CONNECTION_RESET');
    expect(TaktError.is(failure) && failure.details.requestMayHaveReachedServer).toBe(true);
    expect(mock.requests).toHaveLength(1);

    mock.script.push('reset');
    const response = await http.send(
      { method: 'POST', path: '/api-jobs/bulk-sync', body: { jobs: [] }, headers: { 'idempotency-key': 'tk1-abc' } },
      { idempotent: true },
    );
    await http.close();
    expect(response.status).toBe(200);
    expect(mock.requests.slice(1).map((r) => r.idempotencyKey)).toEqual(['tk1-abc', 'tk1-abc']);
  });

  it('T14 through the outbox: a target failing its first calls gets the entry delivered once', async () => {
    mock.script.push({ status: 503 }, { status: 502 });
    const { store, dispose } = await tempStore('sqlite');
    try {
      await enqueue(store, {
        connection: 'mes',
        entity: 'jobs',
        records: [{ orderKey: 'J', payload: { external_id: 'J', external_source: 's' } }],
      });
      const connector = mesConnector(mock.url, { retry: { maxAttempts: 1 } });
      const summary = await new OutboxPusher({
        store,
        connector,
        connection: 'mes',
        retry: { baseDelayMs: 50, jitter: 'none' },
      }).run({ idleMs: 20 });
      await connector.close();
      expect(summary).toMatchObject({ sent: 1, retried: 2, dead: 0 });
      expect(mock.requests).toHaveLength(3);
      const errors = await store.listJobErrors(summary.job.id);
      expect(errors.map((e) => [e.code, e.retryable])).toEqual([
        ['HTTP_UNAVAILABLE', true],
        ['HTTP_UNAVAILABLE', true],
      ]);
    } finally {
      await dispose();
    }
  });
});
