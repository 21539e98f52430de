import { pollOnce, type StateStore } from '@takt/runtime';

import type { TaktStoreNode } from './shared/config-node';

import { doneError } from './testing/done-error';
import { downtimeOutboxNode, helperNodes, sqliteStoreNode } from './testing/flows';
import { messages, node, receive, statusWhere, useRedSuite, type FlowNode } from './testing/red';
import { sapConnection, sapTestConnector, useSimulator } from './testing/simulator';
import taktAck from './takt-ack';
import taktSapConnection from './takt-sap-connection';
import taktStore from './takt-store';
import taktUpsertSync from './takt-upsert-sync';

const SCOPE = 'outbox:sap/maintenance-notifications';

describe('takt-ack', () => {
  const ctx = useRedSuite({ taktCloseTimeoutMs: 5_000 });
  const sim = useSimulator({ seed: 9, size: 30, services: ['sap'] });

  function flow(file: string): FlowNode[] {
    const { node: sap } = sapConnection(sim());
    return [
      sap,
      sqliteStoreNode(file),
      downtimeOutboxNode([[]]),
      { id: 'ack-list', type: 'takt-ack', store: 'st', operation: 'list', status: 'open', wires: [['listed']] },
      { id: 'ack-replay', type: 'takt-ack', store: 'st', operation: 'replay', scope: SCOPE, wires: [['replayed']] },
      { id: 'ack-ack', type: 'takt-ack', store: 'st', operation: 'ack', wires: [['acked']] },
      {
        id: 'ack-nack',
        type: 'takt-ack',
        store: 'st',
        operation: 'nack',
        nackMessage: 'Still the wrong type',
        wires: [['acked']],
      },
      ...helperNodes('listed', 'replayed', 'acked'),
    ];
  }

  async function load(file: string): Promise<void> {
    const { credentials } = sapConnection(sim());
    await ctx.load([taktSapConnection, taktStore, taktUpsertSync, taktAck], flow(file), {
      'sap-conn': credentials,
    });
  }

  it('lists a notification SAP rejected, replays it with a token, and resolves it with an ack', async () => {
    await load('dead.sqlite');
    // SAP refuses the notification type: not retryable, so the record becomes a dead letter.
    const dead = statusWhere('upsert', (s) => / 1 dead$/.test(s.text ?? ''), 15_000);
    receive('upsert', {
      payload: {
        NotificationType: 'ZZ',
        NotificationText: 'Unknown type',
        TechnicalObject: '66000001',
        MalfunctionStartDate: '/Date(1763683200000)/',
        MalfunctionStartTime: 'PT08H00M00S',
      },
    });
    await dead;

    const listed = messages('listed');
    receive('ack-list', { payload: true });
    const rows = (await listed)[0]?.payload as { id: number; scope: string; key: string; error: { code: string } }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ scope: SCOPE, key: '66000001', status: 'open' });
    expect(rows[0]?.error.code).toBe('ERP_REJECTED');

    // A replay the flow rejects stays open for the next one.
    const first = messages('replayed');
    receive('ack-replay', { payload: [rows[0]?.id] });
    const [rejected] = await first;
    const nacked = messages('acked');
    receive('ack-nack', rejected ?? {});
    expect((await nacked)[0]?.ack).toMatchObject({ status: 'left_open', kind: 'replay' });

    const replayed = messages('replayed');
    receive('ack-replay', { payload: { ids: [rows[0]?.id] } });
    const [item] = await replayed;
    expect(item?.payload).toMatchObject({ NotificationType: 'ZZ', TechnicalObject: '66000001' });
    expect(item?._takt).toMatchObject({ deliveryKind: 'replay', deadLetterId: rows[0]?.id });
    expect(String(item?._takt?.token)).toMatch(/^evt1\./);

    const acked = messages('acked');
    receive('ack-ack', item ?? {});
    const [ackMsg] = await acked;
    expect(ackMsg?.ack).toMatchObject({ status: 'resolved', kind: 'replay' });
    expect(ackMsg?.payload).toEqual(item?.payload);

    const after = messages('listed');
    receive('ack-list', { payload: true });
    expect((await after)[0]?.payload).toEqual([]);
  }, 30_000);

  it('acknowledges a poll delivery of SAP records once; a second ack says already acked', async () => {
    await load('poll.sqlite');
    const store: StateStore = await node<TaktStoreNode>('st').store();
    const connector = sapTestConnector(sim(), `nr-ack-${process.pid}`);
    try {
      const polled = await pollOnce({
        store,
        connector,
        connection: 'sap',
        entity: 'work-centers',
        mode: 'full',
        maxRecords: 5,
        owner: 'test',
      });
      expect(polled.status).toBe('delivered');
      const meta = polled.items[0]?.meta;
      expect(meta?.token).toBeDefined();

      const acked = messages('acked', 2);
      receive('ack-ack', { payload: polled.items[0]?.json, _takt: meta });
      receive('ack-ack', { payload: polled.items[1]?.json, _takt: polled.items[1]?.meta });
      const [first, second] = await acked;
      expect(first?.ack).toMatchObject({ status: 'acked', kind: 'pull', records: 5 });
      expect(second?.ack).toMatchObject({ status: 'already_acked' });
      expect(first?._takt).toEqual(meta);
    } finally {
      await connector.close();
    }
  });

  it('fails a message without a token, naming where it looked', async () => {
    await load('none.sqlite');
    const failed = doneError('ack-ack');
    receive('ack-ack', { payload: {} });
    const error = await failed;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('msg._takt.token is empty');
  });
});
