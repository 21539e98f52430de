import { createHash } from 'node:crypto';
import { contentHash } from '../sync/content-hash';

/** What identifies one logical outbound write. */
export interface IdempotencyKeyInput {
  readonly connection: string;
  readonly entity: string;
  readonly orderKey: string;
  readonly payload: unknown;
  /**
   * The source's version of the record (a modified time, a change number), when it has one. Without it the
   * key is a function of the content alone, so a key that returns to an earlier state (running → stopped →
   * running) would reuse the first write's key, and a target that still remembers that key (Stripe keeps
   * them 24 h) would answer the old result instead of applying the change. With a version it does not.
   */
  readonly version?: string;
}

/**
 * A deterministic idempotency key: `tk1-` + sha256 (hex) over the connection, entity, order key, version and
 * the payload's canonical content hash, each length-prefixed so that no two inputs share a key by
 * concatenation. The same write enqueued twice (a host redelivering its input) gets the same key; the key is
 * stored with the outbox entry, so every re-send of the entry after a crash carries it (I1).
 */
export function outboxIdempotencyKey(input: IdempotencyKeyInput): string {
  const hash = createHash('sha256');
  for (const part of [
    input.connection,
    input.entity,
    input.orderKey,
    input.version ?? '',
    contentHash(input.payload),
  ]) {
    hash.update(`${Buffer.byteLength(part, 'utf8')}:${part};`, 'utf8');
  }
  return `tk1-${hash.digest('hex')}`;
}
