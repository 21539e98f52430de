import { TaktError } from '../errors';
import type { CommitResult, OutboxInsert, StateStore } from '../state';
import { outboxIdempotencyKey } from './idempotency-key';

/** One outbound record to queue. */
export interface OutboxRecord {
  /**
   * Entries with the same order key go out one at a time, in enqueue order: use the record's key in the
   * target ("4711", or "4711|sap-prd" for a composite key). Order keys share one namespace per connection.
   */
  readonly orderKey: string;
  /** The record in the target's shape (a JSON object): what the pusher hands to `connector.write`. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Overrides the derived key, for a caller that already has one (an event id, say). */
  readonly idempotencyKey?: string;
  /** The source's version of the record; goes into the derived key (see `outboxIdempotencyKey`). */
  readonly version?: string;
}

export interface EnqueueOptions {
  readonly connection: string;
  /** The connector entity the records are written to. */
  readonly entity: string;
  readonly records: readonly OutboxRecord[];
  /**
   * Default true: a record whose key already has a pending entry replaces that entry's payload (the store
   * raises its revision) instead of queueing behind it, so the target receives each key's newest state once.
   * False queues every record (an event log whose every step the target must see, in order).
   */
  readonly coalesce?: boolean;
  /** The job whose `read` counter counts the records queued, in the same transaction. */
  readonly job?: { readonly id: string };
}

export interface EnqueueResult {
  /** The outbox entry ids the store reports, in the order the inserts were applied. */
  readonly ids: readonly number[];
  /** Records handed to the store (after collapsing repeats of one key inside this call when coalescing). */
  readonly queued: number;
}

/**
 * Queues outbound records durably, in one store commit: after it resolves they survive a crash and a
 * restart, and the pusher sends them when the target is reachable. Nothing is sent here.
 */
export async function enqueue(store: StateStore, options: EnqueueOptions): Promise<EnqueueResult> {
  const coalesce = options.coalesce ?? true;
  const inserts: OutboxInsert[] = [];
  const slotOfKey = new Map<string, number>();
  options.records.forEach((record, index) => {
    if (typeof record.orderKey !== 'string' || record.orderKey.length === 0) {
      throw new TaktError('KEY_MISSING', `Outbox record ${index} has no order key.`, { details: { index } });
    }
    if (typeof record.payload !== 'object' || record.payload === null || Array.isArray(record.payload)) {
      throw new TaktError('RECORD_INVALID', `Outbox record ${index} (${record.orderKey}) is not a JSON object.`, {
        details: { index, orderKey: record.orderKey },
      });
    }
    const insert: OutboxInsert = {
      connection: options.connection,
      entity: options.entity,
      orderKey: record.orderKey,
      idempotencyKey:
        record.idempotencyKey ??
        outboxIdempotencyKey({
          connection: options.connection,
          entity: options.entity,
          orderKey: record.orderKey,
          payload: record.payload,
          ...(record.version !== undefined ? { version: record.version } : {}),
        }),
      payload: record.payload,
      coalesce,
    };
    // Repeats of one key inside one call collapse here already: only the newest would survive the store's
    // coalescing anyway, and it saves the rows.
    const slot = coalesce ? slotOfKey.get(record.orderKey) : undefined;
    if (slot !== undefined) inserts[slot] = insert;
    else {
      slotOfKey.set(record.orderKey, inserts.length);
      inserts.push(insert);
    }
  });
  if (inserts.length === 0) return { ids: [], queued: 0 };
  const result: CommitResult = await store.commit({
    outbox: inserts,
    ...(options.job ? { job: { id: options.job.id, counters: { read: options.records.length } } } : {}),
  });
  return { ids: result.outboxIds, queued: inserts.length };
}
