import type { Connector, EntityDescriptor, WriteItem, WriteResult } from '../../connectors';
import { toTaktError } from '../../errors';
import type { ErrorRecord } from '../../state';
import type { WriteDecision } from './plan';

export type WriteAnswer =
  /** One result per write, by position; undefined where the connector answered nothing for a record. */
  | { readonly ok: true; readonly results: readonly (WriteResult | undefined)[] }
  /** The call as a whole failed: nothing can be assumed applied or not, so nothing is committed for it. */
  | { readonly ok: false; readonly error: ErrorRecord };

/**
 * The batch's writes, each with its idempotency key: one upsert call, or, for an append-only target (it can
 * create but not update, like SAP production order confirmations), a create call for the records the id map
 * does not know and an update call for those it knows, which such a target refuses record by record.
 */
export async function writeToTarget(
  connector: Connector,
  entity: string,
  writes: readonly WriteDecision[],
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<WriteAnswer> {
  const results: (WriteResult | undefined)[] = new Array<WriteResult | undefined>(writes.length).fill(undefined);
  for (const call of writeCalls(connector, entity, writes)) {
    if (call.indexes.length === 0) continue;
    const items: WriteItem[] = call.indexes.map((index) => itemOf(writes[index] as WriteDecision));
    try {
      const answered = await connector.write(entity, items, {
        mode: call.mode,
        batchSize,
        ...(signal ? { signal } : {}),
      });
      for (const result of answered) {
        const index = call.indexes[result.index];
        if (index !== undefined) results[index] = { ...result, index };
      }
    } catch (error) {
      if (call.mode !== 'update') return { ok: false, error: errorRecordOf(error) };
      for (const index of call.indexes) results[index] = { index, action: 'error', error: errorRecordOf(error) };
    }
  }
  return { ok: true, results };
}

interface WriteCall {
  readonly mode: 'upsert' | 'create' | 'update';
  readonly indexes: readonly number[];
}

function writeCalls(connector: Connector, entity: string, writes: readonly WriteDecision[]): WriteCall[] {
  const capabilities = connector.entities().find((descriptor) => descriptor.name === entity)?.capabilities;
  const all = writes.map((_, index) => index);
  if (!capabilities || !capabilities.create || capabilities.update) return [{ mode: 'upsert', indexes: all }];
  return [
    { mode: 'create', indexes: all.filter((index) => writes[index]?.previous === undefined) },
    { mode: 'update', indexes: all.filter((index) => writes[index]?.previous !== undefined) },
  ];
}

function itemOf(write: WriteDecision): WriteItem {
  return {
    data: write.data,
    ...(write.idempotencyKey === undefined ? {} : { idempotencyKey: write.idempotencyKey }),
  };
}

/**
 * The target's current record for a key, or undefined when it has none. The key is read with the target
 * descriptor's key fields when the connector lists the entity, else with the record's own key fields.
 */
export async function readTarget(
  connector: Connector,
  descriptor: EntityDescriptor | undefined,
  entity: string,
  data: Readonly<Record<string, unknown>>,
  keyFields: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  const key: Record<string, string> = {};
  for (const field of descriptor?.keyFields ?? keyFields) key[field] = String(data[field] ?? '');
  for await (const page of connector.read(entity, { key, pageSize: 1, ...(signal ? { signal } : {}) })) {
    const first = page.records[0];
    if (first) return first;
  }
  return undefined;
}

export function errorRecordOf(error: unknown): ErrorRecord {
  const failure = toTaktError(error);
  return { code: failure.code, message: failure.message, retryable: failure.retryable };
}
