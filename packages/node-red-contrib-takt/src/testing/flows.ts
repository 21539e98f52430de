import type { FlowNode } from './red';

/**
 * Flow fragments the node tests share. Ids follow the tests' convention: the store config node is `st`, the
 * connections are `sap-conn` / `mes-conn` (testing/simulator.ts), the node under test is `upsert`.
 */

/** A takt-store config node on a SQLite file (a relative file resolves against the userDir). */
export function sqliteStoreNode(file: string, id = 'st'): FlowNode {
  return { id, type: 'takt-store', storeType: 'sqlite', file };
}

/** A takt-upsert-sync node `upsert` writing `entity` to the SAP or MES connection through the store `st`. */
export function upsertSyncNode(
  target: 'sap' | 'mes',
  entity: string,
  wires: readonly (readonly string[])[],
  fields: Readonly<Record<string, unknown>> = {},
): FlowNode {
  const connection = target === 'sap' ? { sap: 'sap-conn' } : { mes: 'mes-conn' };
  return { id: 'upsert', type: 'takt-upsert-sync', target, ...connection, store: 'st', entity, wires, ...fields };
}

/** The downtime outbox: store-and-forward creates of SAP maintenance notifications, in order per machine. */
export function downtimeOutboxNode(wires: readonly (readonly string[])[]): FlowNode {
  return upsertSyncNode('sap', 'maintenance-notifications', wires, {
    delivery: 'store-and-forward',
    writeMode: 'create',
    keyFields: 'TechnicalObject',
  });
}

/** Node-RED test helper nodes (message sinks), one per id. */
export function helperNodes(...ids: readonly string[]): FlowNode[] {
  return ids.map((id) => ({ id, type: 'helper' }));
}
