import { TaktError } from '../../errors';
import type { StateStore } from '../../state';

export type DeliveryAckResult =
  /** Applied now: the cursor's new version when the delivery carried a cursor. */
  | { readonly status: 'acked'; readonly cursorVersion: number | undefined }
  /** Applied by an earlier ACK of the same token; nothing changed now. */
  | { readonly status: 'already_acked' };

/**
 * The host's ACK of a delivery: applies the cursor compare-and-set, the content hashes and the job counters the
 * delivery recorded, in one transaction. Safe to repeat (`already_acked`). Throws DELIVERY_UNKNOWN for a token
 * the store never saw, and CURSOR_VERSION_CONFLICT, applying nothing, when a newer delivery of the stream was
 * acknowledged first (a redelivery after this one expired): those records went out again and were
 * acknowledged there.
 */
export async function acknowledgeDelivery(store: StateStore, token: string): Promise<DeliveryAckResult> {
  if (typeof token !== 'string' || token.length === 0) throw unknownDelivery();
  const result = await store.ackDelivery(token);
  if (result.status === 'unknown') throw unknownDelivery();
  return result;
}

function unknownDelivery(): TaktError {
  // The token itself is a capability and stays out of the message.
  return new TaktError(
    'DELIVERY_UNKNOWN',
    'No delivery has this token in the state store: it was never handed out by this store (another store, ' +
      'or an autoAck delivery, which needs no acknowledgement).',
  );
}
