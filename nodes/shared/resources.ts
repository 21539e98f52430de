import {
  acquireMesConnector,
  acquireSapConnector,
  acquireStore,
  defaultN8nStoreDir,
  parseSapConnectionConfig,
  type Connector,
  type PoolLease,
  type SapConnectionConfig,
  type SapEntityConfig,
  type StateStore,
} from '@takt/runtime';

import { getMesConnection, getSapConnection, getStoreConfig, type TaktContext } from './credentials';

/**
 * Connectors and stores for one execution, taken from the runtime's process-wide pool and given back in
 * `finally`, so the next execution (or the next poll) reuses the warm connection, its tokens and its store.
 */

/** Runs `fn` with the node's state store (the `taktStateStore` credential, or the default SQLite file). */
export async function withStore<T>(ctx: TaktContext, fn: (store: StateStore) => Promise<T>): Promise<T> {
  const config = await getStoreConfig(ctx);
  return using(await acquireStore(config, { defaultDir: defaultN8nStoreDir(process.env), env: process.env }), fn);
}

/**
 * Runs `fn` with the SAP connector of the credential the node's `authentication` parameter selects, plus the
 * entity sets the user typed ("Any Entity Set"). `adjust` overrides credential values for this node (its
 * sap-client option); the adjusted config is validated again.
 */
export async function withSapConnector<T>(
  ctx: TaktContext,
  fn: (connector: Connector, connectionName: string) => Promise<T>,
  customEntities: readonly SapEntityConfig[] = [],
  adjust?: (config: SapConnectionConfig) => SapConnectionConfig,
): Promise<T> {
  const base = await getSapConnection(ctx);
  const config = adjust ? parseSapConnectionConfig(adjust(base)) : base;
  return using(await acquireSapConnector(config, customEntities), (connector) => fn(connector, config.connectionName));
}

/** Runs `fn` with the shop-floor REST connector of the node's `taktMesApi` credential. */
export async function withMesConnector<T>(
  ctx: TaktContext,
  fn: (connector: Connector, connectionName: string) => Promise<T>,
): Promise<T> {
  const config = await getMesConnection(ctx);
  return using(await acquireMesConnector(config), (connector) => fn(connector, config.connectionName));
}

async function using<R, T>(lease: PoolLease<R>, fn: (value: R) => Promise<T>): Promise<T> {
  try {
    return await fn(lease.value);
  } finally {
    lease.release();
  }
}
