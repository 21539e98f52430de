import { TaktError, type Connector, type Page } from '@takt/runtime';

import type { ConfigUsers, TaktMesConnectionNode, TaktSapConnectionNode } from './shared/config-node';
import type { NodeStatus } from './shared/node-red';
import { nextCall, node, useRedSuite } from './testing/red';
import { mesConnection, sapConnection, sapOAuthConnection, useSimulator } from './testing/simulator';
import taktMesConnection from './takt-mes-connection';
import taktSapConnection from './takt-sap-connection';

async function firstPage(connector: Connector, entity: string): Promise<Page> {
  for await (const page of connector.read(entity, { pageSize: 5 })) return page;
  throw new Error(`${entity}: no page`);
}

/** A stand-in user node that records the statuses its config node fans out. */
function recordingUser(users: ConfigUsers): NodeStatus[] {
  const seen: NodeStatus[] = [];
  users.register({ id: 'user-1', type: 'takt-sap', status: (s: NodeStatus) => seen.push(s) } as never);
  return seen;
}

describe('takt-sap-connection and takt-mes-connection', () => {
  const ctx = useRedSuite();
  const sim = useSimulator({ seed: 7, size: 50 });

  it('reads SAP production orders with Basic auth and the configured sap-client', async () => {
    const { node: config, credentials } = sapConnection(sim(), 'sap-conn', { connectionName: 'plant-1' });
    await ctx.load([taktSapConnection], [config], { 'sap-conn': credentials });
    const sap = node<TaktSapConnectionNode>('sap-conn');
    expect(sap.connectionName).toBe('plant-1');

    const page = await firstPage(await sap.connector(), 'production-orders');
    expect(page.records).toHaveLength(5);
    const first = page.records[0] as { ManufacturingOrder: string };
    expect(sim().sap?.data.get('ProductionOrders', { ManufacturingOrder: first.ManufacturingOrder })).toBeDefined();
    const reads = sim()
      .requests.list({ method: 'GET' })
      .filter((r) => r.path.includes('A_ProductionOrder_2'));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.query['sap-client'] === '100')).toBe(true);
  });

  it('authenticates with OAuth2 client credentials at the token URL', async () => {
    const { node: config, credentials } = sapOAuthConnection(sim());
    await ctx.load([taktSapConnection], [config], { 'sap-conn': credentials });
    const connector = await node<TaktSapConnectionNode>('sap-conn').connector();
    const result = await connector.test();
    expect(result.ok).toBe(true);
    expect(
      sim()
        .requests.list({ method: 'POST' })
        .some((r) => r.path === '/sap/bc/sec/oauth2/token'),
    ).toBe(true);
  });

  it('shows a failed deploy-time test on every user with a red ring, without the password', async () => {
    const { node: config } = sapConnection(sim());
    const loaded = ctx.load([taktSapConnection], [config], {
      'sap-conn': { user: 'TAKT_USER', password: 'wrong-secret-42' },
    });
    await loaded;
    const warning = String(await nextCall('sap-conn', 'warn'));
    expect(warning).toMatch(/SAP connection 127\.0\.0\.1:\d+ client 100: /);
    expect(warning).toContain('AUTH_FAILED');
    expect(warning).not.toContain('wrong-secret-42');
    const seen = recordingUser(node<TaktSapConnectionNode>('sap-conn').users);
    expect(seen).toEqual([{ fill: 'red', shape: 'ring', text: 'AUTH_FAILED' }]);
  });

  it('refuses an invalid configuration, naming the field to fix', async () => {
    const { node: config, credentials } = sapConnection(sim(), 'sap-conn', { baseUrl: 'sim.local', sapClient: '1' });
    await ctx.load([taktSapConnection], [config], { 'sap-conn': credentials });
    const error: unknown = await node<TaktSapConnectionNode>('sap-conn')
      .connector()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(TaktError.is(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toMatch(/baseUrl: Base URL must start with http/);
  });

  it('passes its connection test against the MES sync API', async () => {
    await ctx.load([taktMesConnection], [mesConnection(sim())]);
    const mes = node<TaktMesConnectionNode>('mes-conn');
    expect(mes.connectionName).toBe('mes');
    const connector = await mes.connector();
    const before = sim().requests.list({ path: /^\/mes\/api\/v1\// }).length;
    expect((await connector.test()).ok).toBe(true);
    expect(sim().requests.list({ path: /^\/mes\/api\/v1\// }).length).toBeGreaterThan(before);
  });
});
