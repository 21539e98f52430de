import { createHash } from 'node:crypto';
import type { RecordKey } from './record-key';

/**
 * The idempotency key of one outbound write: sha256 (hex) over connection, entity, source, external id, the
 * content hash last committed for the record ("" before the first write) and the content hash being sent.
 *
 * Deterministic, so a batch re-sent after a crash (written, not yet committed) carries the same keys and a
 * target that honours them answers the first result without applying anything twice. The previous hash is
 * part of it so that a record changed back to an earlier content (A → B → A) is a new write rather than a
 * replay of the first A, which the target would answer without applying. Never random per attempt: that is
 * a retry storm with extra steps.
 */
export function idempotencyKey(
  connection: string,
  key: RecordKey,
  previousHash: string | undefined,
  contentHash: string,
): string {
  return createHash('sha256')
    .update(
      [connection, key.entity, key.source, key.externalId, previousHash ?? '', contentHash].join('\u0000'),
      'utf8',
    )
    .digest('hex');
}
