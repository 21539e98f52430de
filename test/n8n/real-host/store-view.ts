import { pullStreamName, SqliteStateStore, type CursorState, type Delivery } from '@takt/runtime';

/**
 * What the blueprints left in Takt's state store, read with the runtime's own SqliteStateStore (here on the
 * runner's Node; n8n wrote the same file through Node 24's node:sqlite).
 */
export interface StoreView {
  readonly cursor: CursorState | undefined;
  /** Deliveries still waiting for their ACK (or expired), and those acknowledged. */
  readonly pending: readonly Delivery[];
  readonly acked: readonly Delivery[];
  readonly idMappings: ReadonlyMap<string, number>;
}

export async function readStore(file: string, connection: string, entity: string, target: string): Promise<StoreView> {
  const store = await SqliteStateStore.open({ file });
  try {
    const stream = pullStreamName(connection, entity);
    return {
      cursor: await store.getCursor(stream),
      pending: await store.listDeliveries(stream, { limit: 1000 }),
      acked: await store.listDeliveries(stream, { status: 'acked', limit: 1000 }),
      idMappings: await store.countIdMappings(target),
    };
  } finally {
    await store.close();
  }
}

export async function withStore<T>(file: string, body: (store: SqliteStateStore) => Promise<T>): Promise<T> {
  const store = await SqliteStateStore.open({ file });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}
