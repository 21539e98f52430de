import { join } from 'node:path';

import { SqliteStateStore, startJob } from '@takt/runtime';
import { NodeOperationError } from 'n8n-workflow';

import {
  HarnessNodeTypes,
  releaseAll,
  runNode,
  standInNodeTypes,
  StateFolder,
  TAKT_PACKAGE,
  type CredentialMap,
} from '../../../test/n8n/harness';
import { TaktSyncStatus } from '../TaktSyncStatus.node';

const nodeTypes = new HarnessNodeTypes([new TaktSyncStatus()], standInNodeTypes());
const STATUS = `${TAKT_PACKAGE}.taktSyncStatus`;

let folder: StateFolder;
let creds: CredentialMap;

/** A store with one finished SAP pull, one SAP push that failed on a record, and one MES push still running. */
beforeAll(async () => {
  folder = StateFolder.create('status-node');
  const file = join(folder.path, 'state.sqlite');
  const store = await SqliteStateStore.open({ file });
  try {
    const pull = await startJob(store, {
      id: 'pull-1',
      connection: 'sap',
      entity: 'production-orders',
      kind: 'incremental',
      direction: 'inbound',
    });
    await store.commit({
      job: { id: pull.id, counters: { read: 4, created: 3, updated: 1 } },
      idMap: ['1', '2', '3', '4'].map((externalId) => ({
        connection: 'sap',
        entity: 'production-orders',
        source: 'sap',
        externalId,
        targetId: externalId,
        contentHash: 'h',
      })),
    });
    await pull.finish();
    const push = await startJob(store, {
      id: 'push-1',
      connection: 'sap',
      entity: 'confirmations',
      kind: 'push',
      direction: 'outbound',
    });
    await store.commit({
      job: {
        id: push.id,
        counters: { read: 2, created: 1, failed: 1 },
        errors: [
          {
            code: 'ERP_REJECTED',
            message: 'Order 1000007 is technically completed',
            retryable: false,
            recordIndex: 1,
            externalId: 'CONF-2',
            payload: { order: '1000007', yield: 5 },
          },
        ],
      },
    });
    await push.finish();
    await startJob(store, { id: 'mes-1', connection: 'mes', entity: 'jobs', kind: 'push', direction: 'outbound' });
  } finally {
    await store.close();
  }
  creds = { taktStateStore: { storeType: 'sqlite', sqliteFile: file } };
});

afterAll(() => releaseAll(folder));

describe('Takt Sync Status through the n8n engine', () => {
  it('Jobs: one run per input item, the connection from an expression, rows paired to their item', async () => {
    const { items, thrown } = await runNode({
      nodeTypes,
      type: STATUS,
      parameters: { view: 'jobs', connectionName: '={{ $json.connection }}' },
      credentials: creds,
      input: [{ json: { connection: 'sap' } }, { json: { connection: 'mes' } }],
    });
    expect(thrown).toBeUndefined();
    expect(items.map((item) => [item.pairedItem, item.json['id'], item.json['status'], item.json['success']])).toEqual([
      [{ item: 0 }, 'push-1', 'failed', 1],
      [{ item: 0 }, 'pull-1', 'success', 4],
      [{ item: 1 }, 'mes-1', 'in_progress', 0],
    ]);
  });

  it('Failed Records and Summary', async () => {
    const failed = await runNode({
      nodeTypes,
      type: STATUS,
      parameters: { view: 'failed-records', connectionName: 'sap' },
      credentials: creds,
      input: [{ json: {} }],
    });
    expect(failed.items.map((item) => item.json)).toEqual([
      {
        jobId: 'push-1',
        index: 1,
        entity: null,
        externalId: 'CONF-2',
        targetId: null,
        error: { code: 'ERP_REJECTED', message: 'Order 1000007 is technically completed', retryable: false },
        payload: { order: '1000007', yield: 5 },
      },
    ]);
    const summary = await runNode({
      nodeTypes,
      type: STATUS,
      parameters: { view: 'summary', connectionName: 'sap' },
      credentials: creds,
      input: [{ json: {} }],
    });
    expect(summary.items[0]?.json).toMatchObject({
      connection: 'sap',
      state: 'error',
      records: 4,
      recentFailures: 1,
      staleJobs: 0,
      text: 'sap: last push confirmations failed (1 ok, 1 failed), 4 record(s) synced, 1 failed job(s) in 24 h',
    });
  });

  it('a view that needs a connection fails that item: with Continue On Fail as an error item, else with itemIndex', async () => {
    const parameters = { view: 'statistics', connectionName: '={{ $json.connection }}' };
    const input = [{ json: { connection: 'sap' } }, { json: { connection: '' } }];
    const tolerated = await runNode({
      nodeTypes,
      type: STATUS,
      parameters,
      credentials: creds,
      input,
      onError: 'continueRegularOutput',
    });
    expect(tolerated.items.map((item) => [item.pairedItem, item.json['entity'] ?? item.json['error']])).toEqual([
      [{ item: 0 }, 'confirmations'],
      [{ item: 0 }, 'production-orders'],
      [
        { item: 1 },
        {
          code: 'CONFIG_INVALID',
          message: 'The statistics view needs a connection name (for example "sap" or "mes").',
        },
      ],
    ]);
    const stopped = await runNode({ nodeTypes, type: STATUS, parameters, credentials: creds, input });
    expect(stopped.thrown).toBeInstanceOf(NodeOperationError);
    expect((stopped.thrown as NodeOperationError).context['itemIndex']).toBe(1);
  });
});
