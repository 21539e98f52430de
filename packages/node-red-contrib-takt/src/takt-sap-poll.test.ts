import { acknowledge } from '@takt/runtime';

import type { TaktStoreNode } from './shared/config-node';
import type { NodeMessage } from './shared/node-red';
import { messages, nextCall, node, receive, statusWhere, useRedSuite } from './testing/red';
import { sapConnection, useSimulator } from './testing/simulator';
import taktSapConnection from './takt-sap-connection';
import taktSapPoll from './takt-sap-poll';
import taktStore from './takt-store';

type Row = Record<string, unknown>;

describe('takt-sap-poll', () => {
  const ctx = useRedSuite({ taktPollMinIntervalS: 1 });
  const sim = useSimulator({ seed: 5, size: 40 });
  let run = 0;

  /** sap-conn + store-conf (a fresh SQLite file per test) → p1 (takt-sap-poll) → out */
  async function load(config: Row): Promise<void> {
    run += 1;
    const connection = sapConnection(sim(), 'sap-conn');
    await ctx.load(
      [taktSapConnection, taktStore, taktSapPoll],
      [
        connection.node,
        { id: 'store-conf', type: 'takt-store', storeType: 'sqlite', file: `poll-${run}.sqlite` },
        {
          id: 'p1',
          type: 'takt-sap-poll',
          connection: 'sap-conn',
          store: 'store-conf',
          entity: 'production-orders',
          mode: 'incremental',
          interval: 3600,
          maxRecords: 25,
          ackTimeout: 15,
          output: 'delivery',
          pollOnStart: false,
          wires: [['out']],
          ...config,
        },
        { id: 'out', type: 'helper' },
      ],
      { 'sap-conn': connection.credentials },
    );
  }

  function trigger(): void {
    receive('p1', { payload: 'poll' });
  }

  async function ack(msg: NodeMessage | undefined): Promise<void> {
    const store = await node<TaktStoreNode>('store-conf').store();
    const result = await acknowledge(store, msg?._takt?.token, { outcome: 'ack' });
    expect(result.status).toBe('acked');
  }

  it('hands out changed orders as deliveries and moves on only after the ack', async () => {
    await load({});
    const first = messages('out');
    trigger();
    const [delivery] = await first;
    const records = delivery?.payload as Row[];
    expect(records).toHaveLength(25);
    for (const order of records) {
      expect(
        sim().sap?.data.get('ProductionOrders', { ManufacturingOrder: String(order.ManufacturingOrder) }),
      ).toBeDefined();
    }
    expect(delivery?._takt).toEqual({
      token: expect.any(String) as string,
      deliveryKind: 'pull',
      stream: delivery?.topic,
    });
    expect(delivery?.stats).toMatchObject({ emitted: 25, hasMore: true });

    // Not acknowledged yet: the next poll hands out nothing and says why.
    const waiting = statusWhere('p1', (s) => s.text === 'takt-sap-poll.status.waitingForAck');
    trigger();
    expect(await waiting).toMatchObject({ fill: 'yellow', shape: 'dot' });

    await ack(delivery);
    const second = messages('out');
    trigger();
    const [rest] = await second;
    const restRecords = rest?.payload as Row[];
    expect(restRecords).toHaveLength(15);
    const all = new Set([...records, ...restRecords].map((order) => order.ManufacturingOrder));
    expect(all.size).toBe(40);

    await ack(rest);
    const nothing = statusWhere('p1', (s) => s.text === 'takt-sap-poll.status.nothingNew');
    trigger();
    expect(await nothing).toMatchObject({ fill: 'green', shape: 'dot' });
  });

  it('emits one message per record with parts for a join node', async () => {
    await load({ output: 'record', maxRecords: 5 });
    const received = messages('out', 5);
    trigger();
    const msgs = await received;
    const token = msgs[0]?._takt?.token;
    expect(typeof token).toBe('string');
    expect(msgs.map((m) => (m.parts as Row).index)).toEqual([0, 1, 2, 3, 4]);
    for (const msg of msgs) {
      expect(msg.parts).toMatchObject({ id: token, count: 5, type: 'array' });
      expect(msg._takt).toMatchObject({ token, deliveryKind: 'pull', change: 'created' });
      expect(msg._takt?.externalId).toBe(String((msg.payload as Row).ManufacturingOrder));
    }
  });

  it('polls on deploy when asked to', async () => {
    await load({ pollOnStart: true, maxRecords: 3 });
    // The first poll needs the store and a round trip to SAP: it cannot have finished before load() resolved.
    const [msg] = await messages('out');
    expect(msg?.payload).toHaveLength(3);
  });

  it('shows "retry in …" while SAP answers 503 and fails the triggering message', async () => {
    await load({});
    sim().faults.add({ action: { type: 'unavailable' }, scope: { service: 'sap' } });
    try {
      const retrying = statusWhere('p1', (s) => s.text?.startsWith('takt-sap-poll.status.retry') === true, 30_000);
      const failed = nextCall('p1', 'error', (arg) => arg instanceof Error, 30_000);
      trigger();
      expect(await retrying).toMatchObject({ fill: 'yellow', shape: 'ring' });
      expect((await failed) as Error).toMatchObject({ code: 'HTTP_UNAVAILABLE' });
    } finally {
      sim().faults.clear();
    }
  }, 40_000);
});
