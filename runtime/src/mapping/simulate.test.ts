import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStateStore, SqliteStateStore, loadSqliteBinding, type StateStore } from '../state';
import { descriptor, LoggingConnector } from './__fixtures__/logging-connector';
import { fromPreset } from './presets';
import { simulateMapping } from './simulate';
import type { MappingSpec } from './types';

const SOURCE = 'sap-prd-100';
const CONNECTION = 'sap-to-mes';
const ORDERS = fromPreset('sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2', {
  source: SOURCE,
  timeZone: 'Europe/Berlin',
});

const [orderA, orderB] = (
  JSON.parse(readFileSync(join(__dirname, 'presets/sap/__fixtures__/production-orders.json'), 'utf8')) as {
    d: { results: Record<string, unknown>[] };
  }
).d.results as [Record<string, unknown>, Record<string, unknown>];

/** A unchanged, B changed (target differs), C new, D known but gone from the target, E does not map. */
const RECORDS = [
  orderA,
  orderB,
  { ...orderA, ManufacturingOrder: '1000125' },
  { ...orderA, ManufacturingOrder: '1000126' },
  { ManufacturingOrder: '1000127', TotalQuantity: '5' },
];

/** Wraps a store so every method called on it is logged by name. */
function spied(store: StateStore, log: string[]): StateStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        log.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

interface Harness {
  readonly store: StateStore;
  /** Row counts per table (SQLite) or per listable collection (memory). */
  rows(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

async function memoryHarness(): Promise<Harness> {
  const store = new MemoryStateStore();
  return {
    store,
    rows: async () => ({
      idMap: (await store.getIdMappings({ connection: CONNECTION, entity: 'work_order', source: SOURCE }, ids())).size,
      outbox: (await store.listOutbox({})).length,
      deadLetters: (await store.listDeadLetters({})).length,
      jobs: (await store.listJobs({})).length,
      cursors: (await store.getCursor('sap-to-mes/work_order')) ? 1 : 0,
    }),
    close: () => store.close(),
  };
}

async function sqliteHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'takt-simulate-'));
  const file = join(dir, 'state.db');
  const store = await SqliteStateStore.open({ file });
  return {
    store,
    rows: async () => {
      const db = loadSqliteBinding().open(file);
      try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
          name: string;
        }[];
        return Object.fromEntries(
          tables.map(({ name }) => [
            name,
            Number((db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).all()[0] as { n: number }).n),
          ]),
        );
      } finally {
        db.close();
      }
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ids = (): string[] => ['1000123', '1000124', '1000125', '1000126', '1000127'];

/** The MES side: it holds order B as last synced but with an older quantity and status, and nothing else of ours. */
function mesTarget(orderBAsMapped: Record<string, unknown> = {}): LoggingConnector {
  return new LoggingConnector([descriptor('work_order', ['external_source', 'external_id'])], {
    work_order: [
      {
        ...orderBAsMapped,
        id: 'mes-uuid-b',
        quantity: '10',
        status: 'released',
        colour: 'not mapped, not compared',
      },
    ],
  });
}

describe.each([
  ['memory', memoryHarness],
  ['sqlite', sqliteHarness],
])('simulateMapping with the %s store', (_name, open) => {
  let harness: Harness;
  let hashOfA: string;
  let mappedB: Record<string, unknown>;

  beforeEach(async () => {
    harness = await open();
    const plain = await simulateMapping({ records: RECORDS, mapping: ORDERS, direction: 'inbound' });
    hashOfA = plain.records[0]?.contentHash ?? '';
    mappedB = plain.records[1]?.output ?? {};
    await harness.store.commit({
      idMap: [
        {
          connection: CONNECTION,
          entity: 'work_order',
          source: SOURCE,
          externalId: '1000123',
          targetId: 'mes-uuid-a',
          contentHash: hashOfA,
        },
        {
          connection: CONNECTION,
          entity: 'work_order',
          source: SOURCE,
          externalId: '1000124',
          targetId: 'mes-uuid-b',
          contentHash: 'stale',
        },
        {
          connection: CONNECTION,
          entity: 'work_order',
          source: SOURCE,
          externalId: '1000126',
          targetId: 'mes-uuid-d',
          contentHash: 'stale',
        },
      ],
    });
  });

  afterEach(() => harness.close());

  it('predicts every action against the id map and the target, and writes nothing anywhere', async () => {
    const target = mesTarget(mappedB);
    const storeCalls: string[] = [];
    const before = await harness.rows();
    expect(before['takt_id_map'] ?? before['idMap']).toBe(3);

    const result = await simulateMapping({
      records: RECORDS,
      mapping: ORDERS,
      direction: 'inbound',
      connection: CONNECTION,
      source: SOURCE,
      store: spied(harness.store, storeCalls),
      target,
    });

    expect(result.records.map((r) => [r.index, r.externalId, r.action, r.targetId])).toEqual([
      [0, '1000123', 'unchanged', 'mes-uuid-a'],
      [1, '1000124', 'update', 'mes-uuid-b'],
      [2, '1000125', 'create', undefined],
      [3, '1000126', 'conflict', 'mes-uuid-d'],
      [4, undefined, 'error', undefined],
    ]);
    expect(result.records[1]).toMatchObject({
      diffBasis: 'target',
      diff: [
        { path: 'quantity', before: '10', after: '12.5' },
        { path: 'status', before: 'released', after: 'completed' },
      ],
    });
    expect(result.records[4]?.issues).toEqual([
      expect.objectContaining({ code: 'MAPPING_FIELD_REQUIRED', path: 'product_code' }),
    ]);
    expect(result.summary).toEqual({
      total: 5,
      byAction: { create: 1, update: 1, unchanged: 1, conflict: 1, error: 1 },
      byIssueCode: { MAPPING_FIELD_REQUIRED: 1 },
    });

    // Nothing written: same rows, only id-map reads on the store, only reads by key on the target.
    expect(await harness.rows()).toEqual(before);
    expect(new Set(storeCalls)).toEqual(new Set(['getIdMappings']));
    expect(target.calls.filter((call) => call.method !== 'entities')).toEqual([
      expect.objectContaining({
        method: 'read',
        entity: 'work_order',
        key: { external_source: SOURCE, external_id: '1000124' },
      }),
      expect.objectContaining({
        method: 'read',
        entity: 'work_order',
        key: { external_source: SOURCE, external_id: '1000125' },
      }),
      expect.objectContaining({
        method: 'read',
        entity: 'work_order',
        key: { external_source: SOURCE, external_id: '1000126' },
      }),
    ]);
  });

  it('without a target, reports a changed hash as an update with an empty diff and says so', async () => {
    const before = await harness.rows();
    const result = await simulateMapping({
      records: RECORDS,
      mapping: ORDERS,
      direction: 'inbound',
      connection: CONNECTION,
      source: SOURCE,
      store: harness.store,
    });
    expect(result.records.map((r) => r.action)).toEqual(['unchanged', 'update', 'create', 'update', 'error']);
    expect(result.records[1]).toMatchObject({ diff: [], diffBasis: 'hash-only', targetId: 'mes-uuid-b' });
    expect(result.records[1]?.reason).toContain('previous content is not stored');
    expect(await harness.rows()).toEqual(before);
  });

  it('resolves REFERENCE fields through the id map, read-only', async () => {
    await harness.store.commit({
      idMap: [
        {
          connection: CONNECTION,
          entity: 'job',
          source: SOURCE,
          externalId: '4500017',
          targetId: 'mes-job-17',
          contentHash: 'h',
        },
      ],
    });
    const parts: MappingSpec = {
      name: 'sap.order→part',
      canonical: 'part',
      fields: [
        { canonical: 'external_id', erp: 'ManufacturingOrder', type: 'STRING', key: true },
        { canonical: 'external_source', constant: SOURCE, type: 'STRING' },
        {
          canonical: 'job_external_id',
          erp: 'SalesOrder',
          type: 'REFERENCE',
          reference: { entity: 'job' },
          required: true,
        },
        { canonical: 'part_number', erp: 'Material', type: 'STRING', required: true },
        { canonical: 'quantity', erp: 'TotalQuantity', type: 'DECIMAL', required: true },
      ],
    };
    const storeCalls: string[] = [];
    const before = await harness.rows();
    const result = await simulateMapping({
      records: [orderB, { ...orderB, SalesOrder: '4500099' }],
      mapping: parts,
      direction: 'inbound',
      connection: CONNECTION,
      source: SOURCE,
      store: spied(harness.store, storeCalls),
    });
    expect(result.records[0]).toMatchObject({ action: 'create', output: { job_external_id: 'mes-job-17' } });
    expect(result.records[1]).toMatchObject({
      action: 'error',
      issues: [expect.objectContaining({ code: 'MAPPING_REFERENCE_UNRESOLVED', path: 'job_external_id' })],
    });
    expect(new Set(storeCalls)).toEqual(new Set(['getIdMappings']));
    expect(await harness.rows()).toEqual(before);
  });
});

describe('simulateMapping without a store', () => {
  it('predicts create for every record that maps, and error for the rest', async () => {
    const result = await simulateMapping({ records: RECORDS, mapping: ORDERS, direction: 'inbound' });
    expect(result.summary.byAction).toEqual({ create: 4, update: 0, unchanged: 0, conflict: 0, error: 1 });
    expect(result.records[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.records[0]?.output).toMatchObject({ external_id: '1000123', quantity: '500' });
  });

  it('outbound: validates the canonical input, and cannot read a target whose key the output lacks', async () => {
    const sap = new LoggingConnector([descriptor('ProdnOrdConf2', ['ConfirmationGroup', 'ConfirmationCount'])], {});
    const confirmation = {
      external_id: 'MES-CONF-1',
      external_source: 'mes-line-1',
      work_order_external_id: '1000123',
      good_quantity: '40',
    };
    const result = await simulateMapping({
      records: [confirmation, { ...confirmation, external_id: 'MES-CONF-2', good_quantity: 40 }],
      mapping: fromPreset('sap/API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2'),
      direction: 'outbound',
      target: sap,
    });
    expect(result.records[0]).toMatchObject({
      action: 'create',
      externalId: 'MES-CONF-1',
      output: { OrderID: '1000123', ConfirmationYieldQuantity: '40' },
    });
    expect(result.records[0]?.reason).toContain('lacks its key fields');
    expect(result.records[1]).toMatchObject({
      action: 'error',
      issues: [expect.objectContaining({ code: 'RECORD_INVALID', path: 'good_quantity' })],
    });
    expect(sap.calls.map((call) => call.method)).toEqual(['entities']);
  });

  it('refuses a store without a connection, and a target entity the target does not know', async () => {
    await expect(
      simulateMapping({ records: [], mapping: ORDERS, direction: 'inbound', store: new MemoryStateStore() }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(
      simulateMapping({
        records: [],
        mapping: ORDERS,
        direction: 'inbound',
        target: mesTarget(),
        targetEntity: 'jobs',
      }),
    ).rejects.toMatchObject({ code: 'ENTITY_UNKNOWN' });
  });
});
