import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import {
  chain,
  HarnessNodeTypes,
  pollTrigger,
  releaseAll,
  runNode,
  sapBasicCredential,
  standInNodeTypes,
  startTestSimulator,
  StateFolder,
  TAKT_PACKAGE,
  workflowNode,
  type CredentialMap,
  type TestSimulator,
  type WorkflowDefinition,
} from '../../../test/n8n/harness';
import { TaktAcknowledge } from '../../TaktAcknowledge/TaktAcknowledge.node';
import { TaktSyncStatus } from '../../TaktSyncStatus/TaktSyncStatus.node';
import { TaktSapTrigger } from '../TaktSapTrigger.node';

const nodeTypes = new HarnessNodeTypes(
  [new TaktSapTrigger(), new TaktAcknowledge(), new TaktSyncStatus()],
  standInNodeTypes(),
);
const ORDERS = 12;

let sim: TestSimulator<'sap'>;
let folder: StateFolder;

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 11, size: ORDERS, services: ['sap'] });
  folder = StateFolder.create('sap-trigger');
});

afterAll(() => releaseAll(sim, folder));

function credentials(password?: string): CredentialMap {
  return { taktSapApi: sapBasicCredential(sim, password), taktStateStore: folder.storeCredential() };
}

/** SAP Trigger → Takt Acknowledge (or the trigger alone), as an imported workflow. */
function workflow(options: INodeParameters = {}, acknowledge = true): WorkflowDefinition {
  const trigger = workflowNode({
    name: 'SAP Trigger',
    type: `${TAKT_PACKAGE}.taktSapTrigger`,
    parameters: { entity: 'production-orders', maxRecords: 5, options },
  });
  const ack = workflowNode({ name: 'Acknowledge', type: `${TAKT_PACKAGE}.taktAcknowledge`, parameters: {} });
  return {
    id: 'wf-sap-trigger',
    nodes: acknowledge ? [trigger, ack] : [trigger],
    connections: acknowledge ? chain('SAP Trigger', 'Acknowledge') : {},
  };
}

function orderIds(items: readonly { json: IDataObject }[]): string[] {
  return items.map((item) => String(item.json['ManufacturingOrder']));
}

describe('SAP Trigger (Takt) through the n8n engine', () => {
  it('hands out changed orders a delivery at a time; Acknowledge commits each, and then nothing is new', async () => {
    const creds = credentials();
    const definition = workflow();
    const seen: string[] = [];
    for (const expected of [5, 5, 2]) {
      const { items, run } = await pollTrigger({ nodeTypes, workflow: definition, credentials: creds });
      const batch = items?.[0] ?? [];
      expect(batch).toHaveLength(expected);
      const tokens = new Set(batch.map((item) => (item.json['_takt'] as IDataObject)['token']));
      expect(tokens.size).toBe(1);
      expect(batch[0]?.json['_takt']).toMatchObject({
        deliveryKind: 'pull',
        stream: 'pull/sap/production-orders',
        change: 'created',
        externalId: batch[0]?.json['ManufacturingOrder'],
      });
      const acked = run?.output('Acknowledge') ?? [];
      expect(acked.map((item) => [item.pairedItem, item.json['status'], item.json['kind']])).toEqual(
        batch.map((_item, index) => [{ item: index }, 'acked', 'pull']),
      );
      expect(acked[0]?.json['records']).toBe(expected);
      seen.push(...orderIds(batch));
    }
    expect(new Set(seen).size).toBe(ORDERS);
    expect((await pollTrigger({ nodeTypes, workflow: definition, credentials: creds })).items).toBeNull();

    // An order changed in SAP comes back once, as an update.
    const orders = sim.sap.data.store('ProductionOrders');
    const id = seen[3] ?? '';
    const current = orders.get({ ManufacturingOrder: id }) ?? {};
    orders.put({ ...current, TotalQuantity: '999', LastChangeDateTime: sapTimestamp(Date.now() - 120_000) });
    const changed = await pollTrigger({ nodeTypes, workflow: definition, credentials: creds });
    expect(
      changed.items?.[0]?.map((item) => [
        item.json['ManufacturingOrder'],
        (item.json['_takt'] as IDataObject)['change'],
      ]),
    ).toEqual([[id, 'updated']]);

    // Sync Status sees the polls as incremental jobs of the connection.
    const status = await runNode({
      nodeTypes,
      type: `${TAKT_PACKAGE}.taktSyncStatus`,
      parameters: { view: 'statistics', connectionName: 'sap' },
      credentials: creds,
      input: [{ json: {} }],
    });
    expect(status.thrown).toBeUndefined();
    expect(status.items.map((item) => [item.json['entity'], item.json['records'], item.pairedItem])).toEqual([
      ['production-orders', ORDERS, { item: 0 }],
    ]);
  });

  it('an unacknowledged delivery blocks the stream until it expires, then the same orders come again', async () => {
    const creds = credentials();
    const definition = workflow({ deliveryTtlSeconds: 1 }, false);
    const first = await pollTrigger({ nodeTypes, workflow: definition, credentials: creds, mode: 'manual' });
    const firstIds = orderIds(first.items?.[0] ?? []);
    expect(firstIds).toHaveLength(5);
    expect((await pollTrigger({ nodeTypes, workflow: definition, credentials: creds })).items).toBeNull();
    // In the editor, "Fetch Test Event" says why nothing came instead of showing nothing.
    const blocked = await pollTrigger({ nodeTypes, workflow: definition, credentials: creds, mode: 'manual' }).catch(
      (error: unknown) => error,
    );
    expect(blocked).toBeInstanceOf(NodeOperationError);
    expect((blocked as NodeOperationError).message).toMatch(
      /^An earlier delivery of 5 record\(s\) awaits its acknowledgement; nothing new is handed out until it is acknowledged or expires at /,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await pollTrigger({ nodeTypes, workflow: definition, credentials: creds });
    expect(orderIds(again.items?.[0] ?? [])).toEqual(firstIds);
    const token = (again.items?.[0]?.[0]?.json['_takt'] as IDataObject)['token'];
    expect(token).not.toBe((first.items?.[0]?.[0]?.json['_takt'] as IDataObject)['token']);
  });

  it('a wrong password fails the poll with an API error naming the logon, and hands nothing out', async () => {
    const creds = credentials('wrong-password');
    const failure = await pollTrigger({ nodeTypes, workflow: workflow(), credentials: creds }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NodeApiError);
    expect((failure as NodeApiError).context['taktCode']).toBe('AUTH_FAILED');
    expect((failure as NodeApiError).message).not.toContain('wrong-password');
  });
});

/** SAP's 14-character UTC timestamp (yyyyMMddHHmmss) of production orders. */
function sapTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
