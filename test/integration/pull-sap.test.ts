import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SAP_DEFAULTS, startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import {
  SapConnector,
  SqliteStateStore,
  acknowledgeDelivery,
  pullChanges,
  type PullOptions,
  type PullResult,
} from '@takt/runtime';

/**
 * The incremental pull through the real SAP connector against the ERP simulator over loopback: production
 * orders, delta field LastChangeDateTime (SAP's 14-digit stamp). The first pull hands out every order; after
 * its ACK, orders changed at the source are the only ones the next pull hands out.
 */

const ORDERS = 300;

function handedOut(result: PullResult): string[] {
  return result.status === 'delivered' ? result.delivery.records.map((record) => record.externalId) : [];
}

function token(result: PullResult): string {
  if (result.status !== 'delivered') throw new Error(`expected a delivery, got ${result.status}`);
  return result.delivery.token;
}

describe('incremental pull from SAP production orders (simulator)', () => {
  let sim: RunningSimulator;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7, size: ORDERS, services: ['sap'] });
    dir = mkdtempSync(join(tmpdir(), 'takt-pull-sap-'));
  });

  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first pull hands out every order; after the ACK the next pull hands out exactly the changed ones', async () => {
    const [user] = SAP_DEFAULTS.users;
    const sap = new SapConnector({
      id: `pull-sap-${process.pid}`,
      baseUrl: sim.url,
      client: SAP_DEFAULTS.client,
      language: 'EN',
      auth: { type: 'basic', username: user.user, password: user.password },
      proxy: 'none',
      retry: { baseDelayMs: 50, maxDelayMs: 2_000 },
    });
    const store = await SqliteStateStore.open({ file: join(dir, 'state.db') });
    try {
      const options: PullOptions = {
        store,
        connector: sap,
        connection: 'sap-sim',
        entity: 'production-orders',
        source: 'sap-sim-100',
        mode: 'incremental',
        owner: `pull-sap-${process.pid}`,
        pageSize: 100,
      };

      const first = await pullChanges(options);
      const all = handedOut(first);
      expect(all).toHaveLength(ORDERS);
      expect(new Set(all).size).toBe(ORDERS);
      expect(await acknowledgeDelivery(store, token(first))).toEqual({ status: 'acked', cursorVersion: 1 });

      const changed = [all[10], all[150], all[299]].map(String);
      const results = await sap.write(
        'production-orders',
        changed.map((order) => ({ data: { ManufacturingOrder: order, ManufacturingOrderText: `changed ${order}` } })),
        { mode: 'update' },
      );
      expect(results.map((result) => result.action)).toEqual(['updated', 'updated', 'updated']);

      const second = await pullChanges(options);
      expect(handedOut(second).sort()).toEqual([...changed].sort());
      expect(second.status === 'delivered' && second.delivery.records.map((record) => record.change)).toEqual([
        'updated',
        'updated',
        'updated',
      ]);
      expect(second.status === 'delivered' && second.delivery.records[0]?.data.ManufacturingOrderText).toMatch(
        /^changed /,
      );
      await acknowledgeDelivery(store, token(second));

      const third = await pullChanges(options);
      expect(third).toMatchObject({ status: 'nothing_new', stats: { emitted: 0 } });
      process.stdout.write(
        `pull-sap: first pull ${all.length} orders, second ${handedOut(second).length} (the changed ones), ` +
          `third read ${third.status === 'nothing_new' ? third.stats.read : -1} unchanged in the lookback window\n`,
      );
    } finally {
      await store.close();
      await sap.close();
    }
  });
});
