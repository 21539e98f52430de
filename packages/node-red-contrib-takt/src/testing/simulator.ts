import { OAUTH_TOKEN_PATH, startSimulator, type RunningSimulator, type SimulatorOptions } from '@takt/erp-simulator';
import { SapConnector, type Connector } from '@takt/runtime';

/**
 * Config node ids must not equal any of their own field values (Node-RED reads such a value as a reference to
 * a config node and reports a circular dependency), hence `sap-conn`, not `sap`.
 *
 * Flow fragments for the ERP simulator's well-known credentials (they only exist on the loopback simulator),
 * shared by the node tests of this package.
 */

export { startSimulator, type RunningSimulator };

export const SAP_USER = 'TAKT_USER';
export const SAP_PASSWORD = 'Welcome1!';
export const OAUTH_CLIENT_ID = 'takt-client';
export const OAUTH_CLIENT_SECRET = 'takt-secret';

/**
 * Starts the simulator before the calling `describe`'s tests and closes it after them; the returned function
 * gives the running simulator (inside tests and hooks, not while the suite is declared).
 */
export function useSimulator(options: SimulatorOptions): () => RunningSimulator {
  let sim: RunningSimulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator(options);
  });
  afterAll(async () => {
    await sim?.close();
  });
  return () => {
    if (sim === undefined) throw new Error('the simulator is not running (use it inside a test or hook)');
    return sim;
  };
}

/** A runtime SAP connector on the simulator (Basic, no proxy), for tests that read or poll SAP themselves. */
export function sapTestConnector(sim: RunningSimulator, id: string): Connector {
  return new SapConnector({
    id,
    baseUrl: sim.url,
    client: '100',
    auth: { type: 'basic', username: SAP_USER, password: SAP_PASSWORD },
    proxy: 'none',
  });
}

/** The first `count` production orders as the SAP connector reads them (plain copies, safe to change). */
export async function readSampleOrders(sim: RunningSimulator, count: number): Promise<Record<string, unknown>[]> {
  const connector = sapTestConnector(sim, `nr-sample-orders-${process.pid}`);
  try {
    const orders: Record<string, unknown>[] = [];
    for await (const page of connector.read('production-orders', { pageSize: count })) {
      orders.push(...page.records.map((record) => ({ ...record })));
      if (orders.length >= count) break;
    }
    return orders.slice(0, count);
  } finally {
    await connector.close();
  }
}

/** A takt-sap-connection config node with Basic auth against the simulator, and its credentials. */
export function sapConnection(
  sim: RunningSimulator,
  id = 'sap-conn',
  overrides: Readonly<Record<string, unknown>> = {},
): { node: { id: string; type: string; [key: string]: unknown }; credentials: Record<string, string> } {
  return {
    node: {
      id,
      type: 'takt-sap-connection',
      connectionName: 'sap',
      baseUrl: sim.url,
      authType: 'basic',
      sapClient: '100',
      odataVersion: 'v2',
      rejectUnauthorized: true,
      ...overrides,
    },
    credentials: { user: SAP_USER, password: SAP_PASSWORD },
  };
}

/** The OAuth2 client-credentials variant (the editor's defaults otherwise, as `sapConnection`). */
export function sapOAuthConnection(
  sim: RunningSimulator,
  id = 'sap-conn',
): { node: { id: string; type: string; [key: string]: unknown }; credentials: Record<string, string> } {
  const { node } = sapConnection(sim, id, { authType: 'oauth2', tokenUrl: `${sim.url}${OAUTH_TOKEN_PATH}` });
  return { node, credentials: { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET } };
}

/** A takt-mes-connection config node on the simulator's MES sync API (no key configured). */
export function mesConnection(
  sim: RunningSimulator,
  id = 'mes-conn',
): { id: string; type: string; [key: string]: unknown } {
  return {
    id,
    type: 'takt-mes-connection',
    connectionName: 'mes',
    baseUrl: `${sim.url}/mes/api/v1`,
    profile: 'mes-sync-api',
    authType: 'none',
  };
}
