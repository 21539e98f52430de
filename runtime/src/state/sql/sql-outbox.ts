import type { OutboxInsert, OutboxUpdate } from '../types';
import { storedError } from '../validate';
import type { SqlSession } from './driver';

/**
 * The outbox's writes inside a commit. Each is one statement whose WHERE is its guard, so a sender on another
 * connection that marks an entry sent meanwhile is never overwritten by a coalesce, nor a coalesce by a send.
 */

/** Inserts, or with `coalesce` gives the key's newest entry, while it is still pending, the new payload. */
export async function insertOutbox(tx: SqlSession, entry: OutboxInsert, now: number): Promise<number> {
  if (entry.coalesce) {
    // Only the newest entry of the key may take the payload: an older pending one would then carry a newer
    // state than an entry queued after it. Once it is sent (or dead) the new state needs a row of its own.
    const { rows } = await tx.query(
      `UPDATE takt_outbox SET idempotency_key = ?, payload = ?, revision = revision + 1, updated_at = ?
       WHERE id = (SELECT MAX(id) FROM takt_outbox WHERE connection = ? AND order_key = ?) AND status = 'pending'
       RETURNING id`,
      [entry.idempotencyKey, jsonText(entry.payload), now, entry.connection, entry.orderKey],
    );
    if (rows[0]) return Number(rows[0].id);
  }
  const { rows } = await tx.query(
    `INSERT INTO takt_outbox (connection, entity, order_key, idempotency_key, payload, revision, status, attempts,
       next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 1, 'pending', 0, ?, ?, ?) RETURNING id`,
    [entry.connection, entry.entity, entry.orderKey, entry.idempotencyKey, jsonText(entry.payload), now, now, now],
  );
  return Number(rows[0]?.id);
}

/** Records a send's outcome unless the entry was coalesced since (its revision moved): then it stays pending. */
export async function updateOutbox(tx: SqlSession, update: OutboxUpdate, now: number): Promise<void> {
  if (update.status === 'sent') {
    await tx.query(
      `UPDATE takt_outbox SET status = 'sent', attempts = attempts + 1, updated_at = ? WHERE id = ? AND revision = ?`,
      [now, update.id, update.revision],
    );
    return;
  }
  await tx.query(
    `UPDATE takt_outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ?
     WHERE id = ? AND revision = ?`,
    [
      update.status,
      update.status === 'pending' ? update.nextAttemptAt : now,
      JSON.stringify(storedError(update.error)),
      now,
      update.id,
      update.revision,
    ],
  );
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
