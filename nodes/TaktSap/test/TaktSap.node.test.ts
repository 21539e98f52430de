import { OAUTH_TOKEN_PATH, SAP_DEFAULTS } from '@takt/erp-simulator';
import {
  NodeApiError,
  NodeOperationError,
  type ICredentialsDecrypted,
  type ICredentialTestFunctions,
  type IDataObject,
  type INodeExecutionData,
  type INodeParameters,
} from 'n8n-workflow';

import {
  HarnessNodeTypes,
  releaseAll,
  runNode,
  sapBasicCredential,
  standInNodeTypes,
  startTestSimulator,
  TAKT_PACKAGE,
  type CredentialMap,
  type TestSimulator,
} from '../../../test/n8n/harness';
import { credentialTests } from '../../shared/credential-tests';
import { SAP_CONNECTION_TEST } from '../../shared/descriptions';
import { TaktSap } from '../TaktSap.node';

const SAP = `${TAKT_PACKAGE}.taktSap`;
const nodeTypes = new HarnessNodeTypes([new TaktSap()], standInNodeTypes());

let sim: TestSimulator<'sap'>;

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 23, size: 40, services: ['sap'] });
});

afterAll(() => releaseAll(sim));

function credentials(): CredentialMap {
  const [client] = SAP_DEFAULTS.oauthClients;
  return {
    taktSapApi: sapBasicCredential(sim),
    taktSapOAuth2Api: {
      connectionName: 'sap',
      baseUrl: sim.url,
      sapClient: SAP_DEFAULTS.client,
      tokenUrl: `${sim.url}${OAUTH_TOKEN_PATH}`,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
    },
  };
}

function items(rows: readonly IDataObject[]): INodeExecutionData[] {
  return rows.map((json, index) => ({ json: { ...json, _takt: { token: `dlv-${index}` } } }));
}

function order(number: string): Record<string, unknown> | undefined {
  return sim.sap.data.get('ProductionOrders', { ManufacturingOrder: number }) ?? undefined;
}

async function run(parameters: INodeParameters, input?: INodeExecutionData[], continueOnFail = false) {
  return runNode({
    nodeTypes,
    type: SAP,
    parameters,
    credentials: credentials(),
    ...(input ? { input } : {}),
    ...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
  });
}

describe('Get Many', () => {
  it('reads production orders up to the limit, each paired to the input item', async () => {
    const { items: out, thrown } = await run({ resource: 'productionOrder', operation: 'getMany', limit: 3 });
    expect(thrown).toBeUndefined();
    expect(out).toHaveLength(3);
    for (const item of out) {
      expect(item.pairedItem).toEqual({ item: 0 });
      const number = String(item.json.ManufacturingOrder);
      expect(item.json.Material).toBe(order(number)?.Material);
      expect(item.json.TotalQuantity).toBe(order(number)?.TotalQuantity);
    }
  });

  it('filters by equality and returns all matches, through the OAuth2 credential', async () => {
    const all = await run({ resource: 'productionOrder', operation: 'getMany', returnAll: true });
    expect(all.items).toHaveLength(40);
    const plant = String(all.items[0]?.json.ProductionPlant);
    const { items: out, thrown } = await run({
      authentication: 'oAuth2',
      resource: 'productionOrder',
      operation: 'getMany',
      returnAll: true,
      filters: { conditions: [{ field: 'ProductionPlant', value: plant }] },
    });
    expect(thrown).toBeUndefined();
    expect(out.length).toBe(all.items.filter((item) => item.json.ProductionPlant === plant).length);
    expect(out.every((item) => item.json.ProductionPlant === plant)).toBe(true);
    expect(sim.requests.list({ path: /\/oauth2\/token/ }).length).toBeGreaterThan(0);
  });

  it('reads an entity set the user names', async () => {
    const { items: out, thrown } = await run({
      resource: 'anyEntitySet',
      operation: 'getMany',
      service: 'API_MAINTNOTIFICATION',
      entitySet: 'MaintenanceNotification',
      keyFields: 'MaintenanceNotification',
      limit: 2,
    });
    expect(thrown).toBeUndefined();
    expect(out).toHaveLength(2);
    expect(typeof out[0]?.json.MaintenanceNotification).toBe('string');
  });

  it('applies the sap-client override: a client the system lacks fails logon', async () => {
    const { thrown } = await run({
      resource: 'workCenter',
      operation: 'getMany',
      limit: 1,
      options: { sapClient: '999' },
    });
    expect(thrown).toBeInstanceOf(NodeApiError);
    expect((thrown as NodeApiError).httpCode).toBe('401');
    expect((thrown as NodeApiError).context.taktCode).toBe('AUTH_FAILED');
  });
});

describe('Get', () => {
  const input = items([{ order: '1000003' }, { order: '1999999' }, { order: '1000004' }]);
  const parameters = { resource: 'productionOrder', operation: 'get', key: '={{ $json.order }}' };

  it('reads one record per item by key and keeps each item’s _takt', async () => {
    const { items: out, thrown } = await run(parameters, [
      input[0] as INodeExecutionData,
      input[2] as INodeExecutionData,
    ]);
    expect(thrown).toBeUndefined();
    expect(out.map((item) => item.json.ManufacturingOrder)).toEqual(['1000003', '1000004']);
    expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    expect(out[1]?.json._takt).toEqual({ token: 'dlv-2' });
    expect(out[0]?.json.Material).toBe(order('1000003')?.Material);
  });

  it('stops on a missing record with a 404 naming the key and the item', async () => {
    const { thrown } = await run(parameters, input);
    expect(thrown).toBeInstanceOf(NodeApiError);
    const error = thrown as NodeApiError;
    expect(error.httpCode).toBe('404');
    expect(error.context.itemIndex).toBe(1);
    expect(error.message).toBe('No production-orders record with ManufacturingOrder=1999999.');
  });

  it('with Continue On Fail, outputs the error paired to its item and goes on', async () => {
    const { items: out, thrown } = await run(parameters, input, true);
    expect(thrown).toBeUndefined();
    expect(out).toHaveLength(3);
    expect(out[1]).toEqual({
      json: {
        error: { code: 'HTTP_NOT_FOUND', message: 'No production-orders record with ManufacturingOrder=1999999.' },
        _takt: { token: 'dlv-1' },
      },
      pairedItem: { item: 1 },
    });
    expect(out[2]?.json.ManufacturingOrder).toBe('1000004');
    expect(out[2]?.pairedItem).toEqual({ item: 2 });
  });

  it('reads equipment by its composite key (number and validity date)', async () => {
    const { items: out, thrown } = await run({
      resource: 'equipment',
      operation: 'get',
      key: 'Equipment=10000002, ValidityEndDate=9999-12-31',
    });
    expect(thrown).toBeUndefined();
    expect(out).toHaveLength(1);
    expect(out[0]?.json.Equipment).toBe('10000002');
    expect(out[0]?.json.ValidityEndDate).toBe('9999-12-31T00:00:00.000Z');
  });

  it('asks for every part of a composite key', async () => {
    const { thrown } = await run({ resource: 'equipment', operation: 'get', key: '10000001' });
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).message).toBe(
      'This entity has a composite key; enter Equipment=…, ValidityEndDate=…',
    );
    expect((thrown as NodeOperationError).context.itemIndex).toBe(0);
  });
});

describe('writes', () => {
  const good = {
    ManufacturingOrderType: 'PP01',
    Material: 'FG-GEARBOX-100',
    ProductionPlant: '1010',
    TotalQuantity: '7',
  };
  const bad = {
    ManufacturingOrderType: 'PP01',
    Material: 'NO-SUCH-MATERIAL',
    ProductionPlant: '1010',
    TotalQuantity: '1',
  };

  it('creates one order per item, answers per item, and reports a rejected one with Continue On Fail', async () => {
    const { items: out, thrown } = await run(
      { resource: 'productionOrder', operation: 'create', options: { batchSize: 10 } },
      items([good, bad]),
      true,
    );
    expect(thrown).toBeUndefined();
    expect(out).toHaveLength(2);
    expect(out[0]?.json).toMatchObject({ action: 'created', targetId: expect.any(String), _takt: { token: 'dlv-0' } });
    expect(order(String(out[0]?.json.targetId))?.TotalQuantity).toBe('7');
    expect(out[1]?.pairedItem).toEqual({ item: 1 });
    expect(out[1]?.json.error).toEqual({
      code: 'ERP_REJECTED',
      message: expect.stringContaining('Material NO-SUCH-MATERIAL does not exist'),
    });
  });

  it('stops on a rejected record with its itemIndex, saying the others were written', async () => {
    const { thrown } = await run({ resource: 'productionOrder', operation: 'create' }, items([good, bad]));
    expect(thrown).toBeInstanceOf(NodeOperationError);
    const error = thrown as NodeOperationError;
    expect(error.context.itemIndex).toBe(1);
    expect(error.message).toContain('Material NO-SUCH-MATERIAL does not exist');
    expect(error.message).toContain('(1 of 2 records failed; 1 other was written)');
  });

  it('updates from a JSON parameter and creates-or-updates from the item', async () => {
    const updated = await run(
      {
        resource: 'productionOrder',
        operation: 'update',
        recordSource: 'json',
        recordJson: '={{ JSON.stringify({ ManufacturingOrder: $json.order, TotalQuantity: "12" }) }}',
      },
      items([{ order: '1000010' }]),
    );
    expect(updated.thrown).toBeUndefined();
    expect(updated.items[0]?.json).toMatchObject({ action: 'updated' });
    expect(order('1000010')?.TotalQuantity).toBe('12');

    const upserted = await run(
      { resource: 'productionOrder', operation: 'createOrUpdate' },
      items([
        { ManufacturingOrder: '1000010', TotalQuantity: '12' },
        { ManufacturingOrder: '1000011', TotalQuantity: '99' },
      ]),
    );
    expect(upserted.thrown).toBeUndefined();
    expect(upserted.items.map((item) => item.json.action)).toEqual(['unchanged', 'updated']);
    expect(order('1000011')?.TotalQuantity).toBe('99');
  });

  it('offers only the operations an entity allows', async () => {
    const { thrown } = await run({ resource: 'workCenter', operation: 'create' });
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).message).toBe(
      'Operation "create" is not available for workCenter; choose one of get, getMany',
    );
  });
});

describe('credential test', () => {
  const test = credentialTests[SAP_CONNECTION_TEST] as NonNullable<(typeof credentialTests)[string]>;
  const call = (credential: ICredentialsDecrypted) => test.call({} as ICredentialTestFunctions, credential);

  it('connects with the right password', async () => {
    const result = await call({ id: '1', name: 'SAP', type: 'taktSapApi', data: sapBasicCredential(sim) });
    expect(result.status).toBe('OK');
    expect(result.message).toMatch(
      /^Connected to .* in \d+ ms: service API_PRODUCTION_ORDER_2_SRV \(OData V2\), client 100/,
    );
  });

  it('names the problem for a wrong password, without the password', async () => {
    const result = await call({
      id: '1',
      name: 'SAP',
      type: 'taktSapApi',
      data: sapBasicCredential(sim, 'Wrong-Passw0rd'),
    });
    expect(result.status).toBe('Error');
    expect(result.message).toContain('[AUTH_FAILED]');
    expect(result.message).not.toContain('Wrong-Passw0rd');
  });

  it('names the field for a bad base URL', async () => {
    const result = await call({
      id: '1',
      name: 'SAP',
      type: 'taktSapApi',
      data: { ...sapBasicCredential(sim), baseUrl: 'localhost' },
    });
    expect(result).toEqual({
      status: 'Error',
      message: 'Invalid SAP connection: baseUrl: Base URL must start with http:// or https://',
    });
  });
});
