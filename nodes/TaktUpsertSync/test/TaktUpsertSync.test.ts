import { openStore, resourcePool, type Connector } from '@takt/runtime';
import { Client } from 'pg';
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import {
  chain,
  HarnessNodeTypes,
  mesCredential,
  readSampleOrders,
  releaseAll,
  runNode,
  runWorkflow,
  sapBasicCredential,
  sapTestConnector,
  standInNodeTypes,
  startTestSimulator,
  StateFolder,
  TAKT_PACKAGE,
  workflowNode,
  type CredentialMap,
  type TestSimulator,
} from '../../../test/n8n/harness';
import { describeWithPostgres, POSTGRES_TEST_URL, uniqueSchemaName } from '../../../runtime/src/testing/services';
import { TaktMap } from '../../TaktMap/TaktMap.node';
import { TaktUpsertSync } from '../TaktUpsertSync.node';

const UPSERT = `${TAKT_PACKAGE}.taktUpsertSync`;
const MAP = `${TAKT_PACKAGE}.taktMap`;
const SOURCE = 'sap-sim';
const nodeTypes = new HarnessNodeTypes([new TaktMap(), new TaktUpsertSync()], standInNodeTypes());

/** A SAP production order (as the SAP connector reads it) → an MES job with one part and two operations. */
const ORDER_TO_JOB = `{
  "external_source": "${SOURCE}",
  "external_id": ManufacturingOrder,
  "job_number": "JOB-" & ManufacturingOrder,
  "notes": Material,
  "parts": [{
    "external_id": ManufacturingOrder & "-1",
    "part_number": Material,
    "quantity": $max([1, $round($number(TotalQuantity))]),
    "operations": [
      { "external_id": ManufacturingOrder & "-1-0010", "operation_name": "Cut", "cell_name": "Cutting", "sequence": 1 },
      { "external_id": ManufacturingOrder & "-1-0020", "operation_name": "Bend", "cell_name": "Bending", "sequence": 2 }
    ]
  }]
}`;

let sim: TestSimulator<'sap' | 'mes'>;
let sap: Connector;
let orders: Record<string, unknown>[];
let folder: StateFolder;

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 7, size: 40, services: ['sap', 'mes'], mes: { size: 0 } });
  sap = sapTestConnector(sim, 'upsert-sync-test');
  orders = await readSampleOrders(sap, 5);
  folder = StateFolder.create('upsert-node');
});

afterAll(() => releaseAll(sap, sim, folder));

/** MES and SAP credentials against the simulator, and a state store of its own per test. */
function credentials(): CredentialMap {
  return {
    taktMesApi: mesCredential(sim),
    taktSapApi: sapBasicCredential(sim),
    taktStateStore: folder.storeCredential(),
  };
}

const cells: IDataObject[] = ['Cutting', 'Bending'].map((name) => ({
  external_source: SOURCE,
  external_id: `WC-${name.toUpperCase()}`,
  name,
}));

async function syncCells(creds: CredentialMap): Promise<void> {
  const { items, thrown } = await runNode({
    nodeTypes,
    type: UPSERT,
    parameters: { system: 'mes', mesEntity: 'cells' },
    credentials: creds,
    input: cells.map((json) => ({ json })),
  });
  expect(thrown).toBeUndefined();
  expect(items.map((item) => item.json['action'])).toEqual(['created', 'created']);
  expect(sim.mes.record('cells', 'WC-BENDING', SOURCE)?.fields).toMatchObject({ name: 'Bending' });
}

function delivery(records: readonly Record<string, unknown>[], token = 'dlv-1'): INodeExecutionData[] {
  return records.map((json) => ({ json: { ...json, _takt: { token, deliveryKind: 'pull' } } as IDataObject }));
}

function orderId(index: number): string {
  return String(orders[index]?.['ManufacturingOrder']);
}

describe('Takt Upsert Sync through the n8n engine', () => {
  it('SAP production orders → Map → MES jobs with parts and operations, once; a rerun changes nothing', async () => {
    const creds = credentials();
    await syncCells(creds);
    const workflow = {
      nodes: [
        workflowNode({ name: 'Map', type: MAP, parameters: { mappingSource: 'jsonata', expression: ORDER_TO_JOB } }),
        workflowNode({ name: 'Upsert', type: UPSERT, parameters: { system: 'mes', mesEntity: 'jobs', batchSize: 2 } }),
      ],
      connections: chain('Map', 'Upsert'),
    };
    const before = sim.mes.counts('jobs').created;
    const run = await runWorkflow({
      nodeTypes,
      workflow,
      credentials: creds,
      startNode: 'Map',
      input: delivery(orders),
    });
    expect(run.status).toBe('success');
    const out = run.output('Upsert');
    expect(out).toHaveLength(5);
    out.forEach((item, index) => {
      const id = orderId(index);
      const job = sim.mes.record('jobs', id, SOURCE);
      expect(item.pairedItem).toEqual({ item: index });
      expect(item.json).toMatchObject({
        action: 'created',
        externalId: id,
        targetId: job?.id,
        _takt: { token: 'dlv-1', deliveryKind: 'pull' },
      });
      expect(
        (item.json['children'] as IDataObject[]).map((child) => [child['path'], child['entity'], child['action']]),
      ).toEqual([
        [`${index}.parts[0]`, 'parts', 'created'],
        [`${index}.parts[0].operations[0]`, 'operations', 'created'],
        [`${index}.parts[0].operations[1]`, 'operations', 'created'],
      ]);
      expect(job?.fields).toMatchObject({ job_number: `JOB-${id}`, notes: orders[index]?.['Material'] });
      const part = sim.mes.record('parts', `${id}-1`, SOURCE);
      expect(part?.parentId).toBe(job?.id);
      expect(sim.mes.record('operations', `${id}-1-0020`, SOURCE)).toMatchObject({
        parentId: part?.id,
        fields: { operation_name: 'Bend', cell_name: 'Bending', sequence: 2 },
      });
    });
    expect(sim.mes.counts('jobs').created - before).toBe(5);
    const effects = sim.mes.effects().length;

    const again = await runWorkflow({
      nodeTypes,
      workflow,
      credentials: creds,
      startNode: 'Map',
      input: delivery(orders, 'dlv-2'),
    });
    expect(again.json('Upsert').map((json) => json['action'])).toEqual(Array(5).fill('unchanged'));
    expect(again.json('Upsert')[4]?.['_takt']).toEqual({ token: 'dlv-2', deliveryKind: 'pull' });
    expect(sim.mes.effects()).toHaveLength(effects);
  });

  /** Three new jobs; the second has no job_number, which the MES requires. */
  const jobs = (prefix = 'BAD-TEST'): IDataObject[] =>
    [1, 2, 3].map((n) => ({
      external_source: SOURCE,
      external_id: `${prefix}-${n}`,
      ...(n === 2 ? {} : { job_number: `JOB-B${n}` }),
    }));

  it('a bad record fails the node with its itemIndex after the others were synced', async () => {
    const creds = credentials();
    const { thrown, items } = await runNode({
      nodeTypes,
      type: UPSERT,
      parameters: { system: 'mes', mesEntity: 'jobs' },
      credentials: creds,
      input: jobs().map((json) => ({ json })),
    });
    expect(items).toEqual([]);
    expect(thrown).toBeInstanceOf(NodeOperationError);
    const error = thrown as NodeOperationError;
    expect(error.context['itemIndex']).toBe(1);
    expect(error.context['taktCode']).toBe('ERP_REJECTED');
    expect(error.message).toMatch(
      /^Record 1 \(BAD-TEST-2\) was not synced: jobs BAD-TEST-2 was rejected: job_number is required\. 1 of 3 records failed, 2 were synced \(job [0-9a-f-]+\)\./,
    );
    expect(sim.mes.record('jobs', 'BAD-TEST-1', SOURCE)).toBeDefined();
    expect(sim.mes.record('jobs', 'BAD-TEST-2', SOURCE)).toBeUndefined();
    expect(sim.mes.record('jobs', 'BAD-TEST-3', SOURCE)).toBeDefined();
  });

  it('Continue On Fail passes the failed record on, paired to its input', async () => {
    const { thrown, items } = await runNode({
      nodeTypes,
      type: UPSERT,
      parameters: { system: 'mes', mesEntity: 'jobs' },
      credentials: credentials(),
      onError: 'continueRegularOutput',
      input: jobs('CONTINUE').map((json, index) => ({ json: { ...json, _takt: { token: `evt-${index}` } } })),
    });
    expect(thrown).toBeUndefined();
    expect(
      items.map((item) => [item.pairedItem, item.json['action'], (item.json['_takt'] as IDataObject)['token']]),
    ).toEqual([
      [{ item: 0 }, 'created', 'evt-0'],
      [{ item: 1 }, 'error', 'evt-1'],
      [{ item: 2 }, 'created', 'evt-2'],
    ]);
    expect(items[1]?.json['error']).toEqual({
      code: 'ERP_REJECTED',
      message: 'jobs CONTINUE-2 was rejected: job_number is required',
      retryable: false,
    });
  });

  it('Separate Outputs: done, conflicts and errors each on their own output', async () => {
    const { thrown, outputs } = await runNode({
      nodeTypes,
      type: UPSERT,
      parameters: { system: 'mes', mesEntity: 'jobs', separateOutputs: true },
      credentials: credentials(),
      input: jobs('SEPARATE').map((json) => ({ json })),
    });
    expect(thrown).toBeUndefined();
    expect(outputs).toHaveLength(3);
    expect(outputs[0]?.map((item) => [item.pairedItem, item.json['action']])).toEqual([
      [{ item: 0 }, 'created'],
      [{ item: 2 }, 'created'],
    ]);
    expect(outputs[1]).toEqual([]);
    expect(outputs[2]?.map((item) => [item.pairedItem, item.json['action'], item.json['externalId']])).toEqual([
      [{ item: 1 }, 'error', 'SEPARATE-2'],
    ]);
  });

  it('SAP target, manual strategy: a change on both sides is a conflict on the conflicts output', async () => {
    const creds = credentials();
    const id = orderId(0);
    const parameters = {
      system: 'sap',
      authentication: 'basic',
      sapEntity: 'production-orders',
      keyFields: 'ManufacturingOrder',
      keySource: 'mes-plan',
      strategy: 'manual',
      separateOutputs: true,
    };
    const write = (version: string) =>
      runNode({
        nodeTypes,
        type: UPSERT,
        parameters,
        credentials: creds,
        input: [{ json: { ManufacturingOrder: id, ProductionVersion: version } }],
      });
    const first = await write('0002');
    expect(first.thrown).toBeUndefined();
    expect(first.outputs[0]?.map((item) => item.json['action'])).toEqual(['updated']);
    const store = sim.sap.data.store('ProductionOrders');
    const current = store.get({ ManufacturingOrder: id });
    expect(current?.['ProductionVersion']).toBe('0002');

    store.put({ ...current, ProductionVersion: '0007' });
    const second = await write('0003');
    expect(second.thrown).toBeUndefined();
    expect(second.outputs[0]).toEqual([]);
    expect(second.outputs[1]?.map((item) => [item.pairedItem, item.json['action']])).toEqual([
      [{ item: 0 }, 'conflict'],
    ]);
    expect(second.outputs[1]?.[0]?.json['error']).toMatchObject({ code: 'SYNC_CONFLICT' });
    expect(store.get({ ManufacturingOrder: id })?.['ProductionVersion']).toBe('0007');
  });

  it('refuses a strategy that needs to read the target when the MES cannot be read, before anything is sent', async () => {
    const requests = sim.requests.list({ service: 'mes' }).length;
    const { thrown } = await runNode({
      nodeTypes,
      type: UPSERT,
      parameters: { system: 'mes', mesEntity: 'jobs', strategy: 'merge' },
      credentials: credentials(),
      input: jobs('MERGE').map((json) => ({ json })),
    });
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).message).toBe(
      'Conflict strategy "merge" compares with the target\'s record, but "jobs" cannot be read back from this target: use source_wins.',
    );
    expect(sim.requests.list({ service: 'mes' })).toHaveLength(requests);
  });

  it('names what to fix: custom key fields without a key source fail before anything is sent', async () => {
    const requests = sim.requests.list({ service: 'mes' }).length;
    const { thrown } = await runNode({
      nodeTypes,
      type: UPSERT,
      parameters: { system: 'mes', mesEntity: 'jobs', keyFields: 'job_number' },
      credentials: credentials(),
      input: jobs().map((json) => ({ json })),
    });
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).message).toBe(
      'Custom Key Fields need a Key Source: name the system the keys come from.',
    );
    expect((thrown as NodeOperationError).context['itemIndex']).toBeUndefined();
    expect(sim.requests.list({ service: 'mes' })).toHaveLength(requests);
  });
});

describeWithPostgres('Takt Upsert Sync on the shared PostgreSQL store', () => {
  const schema = uniqueSchemaName('takt_upsert_node');

  afterAll(async () => {
    await resourcePool().closeAll();
    const client = new Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('what one execution committed, the next (another worker in queue mode) finds unchanged', async () => {
    const creds: CredentialMap = {
      ...credentials(),
      taktStateStore: { storeType: 'postgres', connectionString: POSTGRES_TEST_URL, schema },
    };
    const records = [4, 5].map((n) => ({ external_source: SOURCE, external_id: `PG-${n}`, job_number: `JOB-PG${n}` }));
    const run = (token: string) =>
      runNode({
        nodeTypes,
        type: UPSERT,
        parameters: { system: 'mes', mesEntity: 'jobs' },
        credentials: creds,
        input: delivery(records, token),
      });
    const first = await run('a');
    expect(first.items.map((item) => item.json['action'])).toEqual(['created', 'created']);
    await resourcePool().closeAll();
    const second = await run('b');
    expect(second.items.map((item) => item.json['action'])).toEqual(['unchanged', 'unchanged']);
    expect(sim.mes.counts('jobs').unchanged).toBe(0);

    const store = await openStore(
      { kind: 'postgres', connectionString: POSTGRES_TEST_URL, schema },
      { defaultDir: folder.path, env: {} },
    );
    try {
      const jobs = await store.listJobs({ connection: 'mes' });
      expect(jobs.map((job) => [job.entity, job.kind, job.status, job.total])).toEqual([
        ['jobs', 'push', 'success', 2],
        ['jobs', 'push', 'success', 2],
      ]);
    } finally {
      await store.close();
    }
  });
});
