import type { Connector, EntityDescriptor, WriteItem, WriteResult } from '../../connectors';
import { toTaktError } from '../../errors';
import type { ErrorRecord } from '../../state';
import type { WriteDecision } from './plan';

export type WriteAnswer =
  /** One result per write, by position; undefined where the connector answered nothing for a record. */
  | { readonly ok: true; readonly results: readonly (WriteResult | undefined)[] }
  /** The call as a whole failed: nothing can be assumed applied or not, so nothing is committed for it. */
  | { readonly ok: false; readonly error: ErrorRecord };

/** One upsert call for a batch's writes, each with its idempotency key. */
export async function writeToTarget(
  connector: Connector,
  entity: string,
  writes: readonly WriteDecision[],
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<WriteAnswer> {
  const items: WriteItem[] = writes.map((write) => ({
    data: write.data,
    ...(write.idempotencyKey === undefined ? {} : { idempotencyKey: write.idempotencyKey }),
  }));
  try {
    const answered = await connector.write(entity, items, {
      mode: 'upsert',
      batchSize,
      ...(signal ? { signal } : {}),
    });
    const results: (WriteResult | undefined)[] = new Array<WriteResult | undefined>(writes.length).fill(undefined);
    for (const result of answered) {
      if (result.index >= 0 && result.index < writes.length) results[result.index] = result;
    }
    return { ok: true, results };
  } catch (error) {
    return { ok: false, error: errorRecordOf(error) };
  }
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
