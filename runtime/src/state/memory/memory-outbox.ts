import type { ListOptions, OutboxEntry, OutboxInsert, OutboxStatus, OutboxUpdate } from '../types';
import { listLimit, storedError } from '../validate';

/**
 * The outbox of the memory store, in insertion order (= id order), which is the order every listing and the
 * per-key ordering rely on. Payloads are copied through JSON, as a real store serialises them.
 */
export class MemoryOutbox {
  private readonly entries: OutboxEntry[] = [];

  /** `nextId` is the store's id sequence, shared with dead letters as a SQL store's would not be: ids only grow. */
  constructor(private readonly nextId: () => number) {}

  /** Inserts, or with `coalesce` replaces the payload of the key's newest entry while that one is pending. */
  insert(entry: OutboxInsert, now: number): number {
    if (entry.coalesce) {
      const index = this.entries.findLastIndex(
        (e) => e.connection === entry.connection && e.orderKey === entry.orderKey,
      );
      const newest = this.entries[index];
      if (newest && newest.status === 'pending') {
        this.entries[index] = {
          ...newest,
          idempotencyKey: entry.idempotencyKey,
          payload: jsonCopy(entry.payload),
          revision: newest.revision + 1,
          updatedAt: now,
        };
        return newest.id;
      }
    }
    const id = this.nextId();
    this.entries.push({
      connection: entry.connection,
      entity: entry.entity,
      orderKey: entry.orderKey,
      idempotencyKey: entry.idempotencyKey,
      payload: jsonCopy(entry.payload),
      id,
      revision: 1,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: undefined,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  /** A different revision means the entry took a newer payload after this one was sent: it stays pending. */
  update(update: OutboxUpdate, now: number): void {
    const index = this.entries.findIndex((entry) => entry.id === update.id);
    const entry = this.entries[index];
    if (!entry || entry.revision !== update.revision) return;
    this.entries[index] = {
      ...entry,
      status: update.status,
      attempts: entry.attempts + 1,
      nextAttemptAt:
        update.status === 'pending' ? update.nextAttemptAt : update.status === 'dead' ? now : entry.nextAttemptAt,
      lastError: update.status === 'sent' ? entry.lastError : storedError(update.error),
      updatedAt: now,
    };
  }

  due(connection: string, limit: number, now: number): OutboxEntry[] {
    const headOfKey = new Set<string>();
    const due: OutboxEntry[] = [];
    for (const entry of this.entries) {
      if (entry.connection !== connection || entry.status !== 'pending' || headOfKey.has(entry.orderKey)) continue;
      headOfKey.add(entry.orderKey);
      if (entry.nextAttemptAt <= now) due.push(entry);
    }
    return due.slice(0, listLimit(limit));
  }

  /** Sent entries last updated before `before`; pending and dead ones stay. */
  prune(before: number): number {
    return removeWhere(this.entries, (e) => e.status === 'sent' && e.updatedAt < before);
  }

  list(filter: { connection?: string; status?: OutboxStatus } & ListOptions): OutboxEntry[] {
    return this.entries
      .filter(
        (e) =>
          (filter.connection === undefined || e.connection === filter.connection) &&
          (filter.status === undefined || e.status === filter.status) &&
          e.id > (filter.afterId ?? 0),
      )
      .slice(0, listLimit(filter.limit));
  }
}

/** Removes, in place, the items `doomed` picks; returns how many went. */
export function removeWhere<T>(items: T[], doomed: (item: T) => boolean): number {
  const kept = items.filter((item) => !doomed(item));
  const removed = items.length - kept.length;
  items.splice(0, items.length, ...kept);
  return removed;
}

export function jsonCopy(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
