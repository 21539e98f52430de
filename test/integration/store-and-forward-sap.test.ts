import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SAP_DEFAULTS, startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import { sapDowntimeNotification } from '@takt/runtime/dist/testing/downtime';
import { describeWithPostgres, POSTGRES_TEST_URL, uniqueSchemaName } from '@takt/runtime/dist/testing/services';
import { Client } from 'pg';
import {
  NaturalKeyTarget,
  SapConnector,
  PostgresStateStore,
  SqliteStateStore,
  type StateStore,
  StoreAndForward,
  type ForwardStatus,
  type WriteItem,
} from '@takt/runtime';

/**
 * Store-and-forward of downtime records into SAP maintenance notifications against the simulator: records
 * queued while the simulator refuses connections reach the new one once it listens again on the same port,
 * in order per machine, and none twice — the notification's number is SAP's, so a re-sent create is caught
 * by the natural-key lookup.
 */

const ENTITY = 'maintenance-notifications';
let sequence = 0;

function connect(url: string): SapConnector {
  sequence += 1;
  const [user] = SAP_DEFAULTS.users;
  return new SapConnector({
    id: `forward-sap-${process.pid}-${sequence}`,
    baseUrl: url,
    client: SAP_DEFAULTS.client,
    auth: { type: 'basic', username: user.user, password: user.password },
    proxy: 'none',
    retry: { maxAttempts: 1 },
  });
}

async function notificationsOf(connector: SapConnector, machine: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for await (const page of connector.read(ENTITY, { filter: { TechnicalObject: machine } })) {
    found.push(...page.records);
  }
  return found.sort((a, b) => Number(a.MaintenanceNotification) - Number(b.MaintenanceNotification));
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('NaturalKeyTarget (SAP maintenance notifications)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ services: ['sap'], size: 200 });
  });
  afterAll(() => sim.close());

  it('creates a notification once, however often the same downtime is sent, and updates its end', async () => {
    const connector = connect(sim.url);
    const target = new NaturalKeyTarget(connector);
    try {
      const record = sapDowntimeNotification('77000001', 5, 'Spindle stopped');
      const first = await target.write(ENTITY, [{ data: record }], { mode: 'create' });
      expect(first).toEqual([expect.objectContaining({ index: 0, action: 'created' })]);
      const number = first[0]?.targetId;
      expect(number).toMatch(/^\d+$/);

      // The same create again (a crash after the POST, before the outbox mark): found, not created.
      const again = await target.write(ENTITY, [{ data: record }], { mode: 'create' });
      expect(again).toEqual([{ index: 0, action: 'unchanged', targetId: number }]);

      // Upsert of the same downtime with its end: an update of that notification, not a new one.
      const ended: WriteItem = {
        data: { ...record, MalfunctionEndDate: record.MalfunctionStartDate, MalfunctionEndTime: 'PT00H09M00S' },
      };
      const upserted = await target.write(ENTITY, [ended], { mode: 'upsert' });
      expect(upserted).toEqual([expect.objectContaining({ index: 0, action: 'updated' })]);

      const stored = await notificationsOf(connector, '77000001');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        MaintenanceNotification: number,
        NotificationText: 'Spindle stopped',
        MalfunctionEndTime: 'PT00H09M00S',
      });
      // Another start on the same machine is another downtime.
      const second = await target.write(ENTITY, [{ data: sapDowntimeNotification('77000001', 20, 'Coolant leak') }], {
        mode: 'create',
      });
      expect(second[0]?.action).toBe('created');
      expect(await notificationsOf(connector, '77000001')).toHaveLength(2);
    } finally {
      await connector.close();
    }
  });

  it('fails a record without its machine alone, naming the field, and still writes the others', async () => {
    const connector = connect(sim.url);
    try {
      const record = sapDowntimeNotification('77000002', 5, 'No machine');
      delete record.TechnicalObject;
      const results = await new NaturalKeyTarget(connector).write(
        ENTITY,
        [{ data: record }, { data: sapDowntimeNotification('77000003', 5, 'Has a machine') }],
        { mode: 'create' },
      );
      expect(results[0]).toMatchObject({
        index: 0,
        action: 'error',
        error: { code: 'RECORD_INVALID', retryable: false },
      });
      expect(results[0]?.error?.message).toContain('no TechnicalObject');
      expect(results[1]).toMatchObject({ index: 1, action: 'created' });
      expect(await notificationsOf(connector, '77000003')).toHaveLength(1);
    } finally {
      await connector.close();
    }
  });
});

/** A store of each kind, and how to remove it afterwards. */
async function openStore(kind: 'sqlite' | 'postgres'): Promise<{ store: StateStore; destroy(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'takt-forward-'));
    const store = await SqliteStateStore.open({ file: join(dir, 'state.sqlite') });
    return { store, destroy: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  const schema = uniqueSchemaName('takt_forward');
  const store = await PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema });
  return {
    store,
    async destroy() {
      const client = new Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

function outageSuite(kind: 'sqlite' | 'postgres'): void {
  it('queues while the simulator refuses connections and delivers in order per machine, none twice', async () => {
    let sim = await startSimulator({ services: ['sap'], size: 200 });
    const port = sim.port;
    const url = sim.url;
    const place = await openStore(kind);
    const store = place.store;
    const connector = connect(url);
    const statuses: ForwardStatus[] = [];
    const options = {
      store,
      connector,
      connection: 'sap',
      idleMs: 100,
      retry: { baseDelayMs: 100, maxDelayMs: 400 },
      onStatus: (status: ForwardStatus) => statuses.push(status),
    };
    let forward = new StoreAndForward(options);
    try {
      forward.start();
      await forward.enqueue([sapDowntimeNotification('77100001', 1, 'before outage')], {
        entity: ENTITY,
        key: ['TechnicalObject'],
        mode: 'create',
      });
      await until(() => forward.current().sent === 1, 10_000);
      await sim.close();

      // 3 machines × 4 stops while the target is down.
      const machines = ['77100011', '77100012', '77100013'];
      const records = [1, 2, 3, 4].flatMap((n) => machines.map((m) => sapDowntimeNotification(m, 10 * n, `stop ${n}`)));
      expect(await forward.enqueue(records, { entity: ENTITY, key: ['TechnicalObject'], mode: 'create' })).toEqual({
        queued: 12,
      });
      await until(() => forward.current().state === 'offline', 10_000);
      expect(forward.current()).toMatchObject({ state: 'offline', queued: 12, sent: 1 });
      expect(forward.current().lastError?.code).toBe('CONNECTION_REFUSED');

      // A restart during the outage: the entries are in the store, a new instance picks them up.
      await forward.stop();
      forward = new StoreAndForward(options);
      forward.route(ENTITY, 'create');
      forward.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await forward.countQueued()).toBe(12);

      sim = await startSimulator({ services: ['sap'], size: 200, port });
      await until(() => forward.current().sent === 12 && forward.current().queued === 0, 20_000);
      expect(forward.current()).toMatchObject({ state: 'idle', sent: 12, dead: 0 });

      for (const machine of machines) {
        const stored = await notificationsOf(connector, machine);
        // In order per machine: numbers are assigned in arrival order, so the texts follow the stops.
        expect(stored.map((n) => n.NotificationText)).toEqual(['stop 1', 'stop 2', 'stop 3', 'stop 4']);
      }
      expect(await store.listOutbox({ connection: 'sap', status: 'pending' })).toEqual([]);
      expect(await store.listDeadLetters({})).toEqual([]);
      expect(statuses.some((s) => s.state === 'offline' && s.retryAt !== undefined)).toBe(true);

      // The job log: a push job per drain. The one stopped by the restart is cancelled; the drain after the
      // outage created the 12 notifications, with the refused attempts of the outage as retryable errors.
      const jobs = await store.listJobs({ connection: 'sap', limit: 10 });
      const byNewest = [...jobs].sort((a, b) => b.createdAt - a.createdAt);
      expect(byNewest.map((job) => job.status)).toEqual(['success', 'cancelled', 'success']);
      expect(byNewest.every((job) => job.kind === 'push' && job.entity === ENTITY)).toBe(true);
      expect(byNewest[0]?.counters).toMatchObject({ created: 12, failed: 0 });
      expect(byNewest[2]?.counters).toMatchObject({ created: 1 });
      const outageErrors = await store.listJobErrors(byNewest[1]?.id ?? '', { limit: 1000 });
      expect(outageErrors.length).toBeGreaterThan(0);
      expect(outageErrors.every((e) => e.code === 'CONNECTION_REFUSED' && e.retryable)).toBe(true);
    } finally {
      await forward.stop();
      await connector.close();
      await store.close();
      await sim.close();
      await place.destroy();
    }
  }, 60_000);
}

describe('StoreAndForward through an outage [SQLite]', () => outageSuite('sqlite'));
describeWithPostgres('StoreAndForward through an outage', () => outageSuite('postgres'));
