import { OAUTH_TOKEN_PATH, SAP_DEFAULTS, startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import { OutboxPusher, SapConnector, enqueue, type StateStore } from '@takt/runtime';
import { MES_KEY, mesConnector, tempStore } from './harness';
import { MockErp, mesError } from './mock-erp';

/**
 * Reliability T15: a non-retryable 4xx is dead-lettered at once with its status, the target's words and the
 * record's external id; a 401 costs exactly one credential refresh and one retry, and a second 401 is
 * dead-lettered as "authentication failed" without any secret. (409 from an idempotent create that names the
 * existing record counts as sent: runtime/src/outbox/outbox-pusher.test.ts, "T15".)
 */
describe('T15 non-retryable 4xx', () => {
  let mock: MockErp;
  let store: StateStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    mock = new MockErp();
    await mock.start();
    ({ store, dispose } = await tempStore('sqlite'));
  });
  afterEach(async () => {
    await dispose();
    await mock.stop();
  });

  it.each([400, 404, 422])(
    'T15 %i → no retry, an immediate dead letter with the status, the reason and the ext id',
    async (status) => {
      await enqueue(store, {
        connection: 'mes',
        entity: 'jobs',
        records: [{ orderKey: 'J-77', payload: { external_id: 'J-77', external_source: 'sap' } }],
      });
      mock.script.push({ status, body: mesError('QTY_NEGATIVE', 'QTY_NEGATIVE: quantity must not be negative') });
      const connector = mesConnector(mock.url);
      const summary = await new OutboxPusher({ store, connector, connection: 'mes' }).run({ idleMs: 20 });
      await connector.close();
      expect(mock.requests).toHaveLength(1);
      expect(summary).toMatchObject({
        sent: 0,
        retried: 0,
        dead: 1,
        job: { status: 'failed', counters: { failed: 1 } },
      });
      const [letter] = await store.listDeadLetters({ scope: 'outbox:mes/jobs' });
      expect(letter).toMatchObject({ key: 'J-77', attempts: 1, error: { retryable: false } });
      if (status === 404) expect(letter?.error.code).toBe('HTTP_NOT_FOUND');
      else {
        expect(letter?.error.code).toBe('ERP_REJECTED');
        expect(letter?.error.message).toContain(`(${status})`);
        expect(letter?.error.message).toContain('QTY_NEGATIVE');
      }
      expect(letter?.error.message).toContain(String(status));
      expect(JSON.stringify(letter)).not.toContain(MES_KEY);
    },
  );
});

describe('T15 401 against the ERP simulator (SAP connector, OAuth2 client credentials)', () => {
  let sim: RunningSimulator;
  let store: StateStore;
  let dispose: () => Promise<void>;
  const [client] = SAP_DEFAULTS.oauthClients;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, services: ['sap'], seed: 7, size: 20 });
    ({ store, dispose } = await tempStore('sqlite'));
  });
  afterEach(async () => {
    await dispose();
    await sim.close();
  });

  const connect = (): SapConnector =>
    new SapConnector({
      id: `t15-sap-${process.pid}-${Math.random().toString(36).slice(2)}`,
      baseUrl: sim.url,
      client: SAP_DEFAULTS.client,
      language: 'EN',
      proxy: 'none',
      retry: { baseDelayMs: 50, maxDelayMs: 1_000 },
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: `${sim.url}${OAUTH_TOKEN_PATH}`,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
      },
    });

  async function queueOrder(sap: SapConnector): Promise<void> {
    for await (const page of sap.read('production-orders', { pageSize: 1 })) {
      const first = page.records[0];
      if (!first) break;
      const payload = {
        ManufacturingOrderType: String(first.ManufacturingOrderType),
        Material: String(first.Material),
        ProductionPlant: String(first.ProductionPlant),
        TotalQuantity: '10',
      };
      await enqueue(store, {
        connection: 'sap',
        entity: 'production-orders',
        records: [{ orderKey: 'PO-NEW-1', payload }],
      });
      return;
    }
    throw new Error('the simulator has no production orders');
  }

  const tokenCalls = (): number => sim.requests.list({ path: new RegExp(`${OAUTH_TOKEN_PATH}$`) }).length;
  const writes401 = (): number => sim.requests.list({ method: 'POST' }).filter((r) => r.status === 401).length;

  it('T15 401 → exactly one credential refresh and one retry, then sent', async () => {
    const sap = connect();
    await queueOrder(sap);
    const before = tokenCalls();
    sim.faults.set({
      rules: [
        {
          action: { type: 'status', status: 401 },
          scope: { service: 'sap', method: 'POST', path: 'ProductionOrder' },
          count: 1,
        },
      ],
    });
    const summary = await new OutboxPusher({ store, connector: sap, connection: 'sap', mode: 'create' }).run({
      idleMs: 20,
    });
    await sap.close();
    expect(summary).toMatchObject({ sent: 1, dead: 0 });
    expect(tokenCalls() - before).toBe(1);
    expect(writes401()).toBe(1);
  });

  it('T15 a second 401 → dead letter "authentication failed", no secret text', async () => {
    const sap = connect();
    await queueOrder(sap);
    const before = tokenCalls();
    sim.faults.set({
      rules: [
        {
          action: { type: 'status', status: 401 },
          scope: { service: 'sap', method: 'POST', path: 'ProductionOrder' },
          count: 2,
        },
      ],
    });
    const summary = await new OutboxPusher({ store, connector: sap, connection: 'sap', mode: 'create' }).run({
      idleMs: 20,
    });
    await sap.close();
    expect(summary).toMatchObject({ sent: 0, dead: 1 });
    expect(tokenCalls() - before).toBe(1);
    const [letter] = await store.listDeadLetters({ scope: 'outbox:sap/production-orders' });
    expect(letter).toMatchObject({ key: 'PO-NEW-1', error: { code: 'AUTH_FAILED', retryable: false } });
    expect(letter?.error.message.toLowerCase()).toContain('authentication failed');
    const everything = JSON.stringify({ letter, job: summary.job, errors: await store.listJobErrors(summary.job.id) });
    expect(everything).not.toContain(client.clientSecret);
  });
});
