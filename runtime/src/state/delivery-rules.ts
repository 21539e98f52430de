import { TaktError, redactValue } from '../errors';
import type { DeliveryInsert, DeliveryStatus } from './types';
import { requireText, requireVersion, storedError } from './validate';

/** The commit a delivery carries: everything a CommitUnit holds except the lease, which an ACK cannot present. */
export type DeliveryCommit = DeliveryInsert['commit'];

export function requireDelivery(delivery: DeliveryInsert): void {
  requireText('delivery.token', delivery.token);
  requireText('delivery.stream', delivery.stream);
  if (!Number.isFinite(delivery.expiresAt)) {
    throw new TaktError('CONFIG_INVALID', `Delivery "${delivery.stream}": expiresAt must be a time in epoch ms.`);
  }
  if (!Number.isInteger(delivery.records) || delivery.records < 0) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Delivery on "${delivery.stream}": records must be an integer ≥ 0, got ${delivery.records}.`,
    );
  }
  const { cursor } = delivery.commit;
  if (cursor) {
    requireText('cursor.stream', cursor.stream);
    requireVersion(cursor.expectedVersion);
  }
}

/**
 * The commit as it may rest on disk until the ACK: errors and job-error payloads redacted now, as applying them
 * would, so a delivery that is never acknowledged cannot keep a secret the job log would have masked (I7).
 * Outbox and dead-letter payloads are the records themselves and stay as they are, as in `commit`.
 */
export function storableCommit(commit: DeliveryCommit): DeliveryCommit {
  return {
    ...commit,
    ...(commit.outboxUpdates && {
      outboxUpdates: commit.outboxUpdates.map((u) => (u.status === 'sent' ? u : { ...u, error: storedError(u.error) })),
    }),
    ...(commit.deadLetters && {
      deadLetters: commit.deadLetters.map((dl) => ({ ...dl, error: storedError(dl.error) })),
    }),
    ...(commit.job && {
      job: {
        ...commit.job,
        ...(commit.job.errors && {
          errors: commit.job.errors.map((e) => ({
            ...e,
            ...storedError(e),
            ...(e.payload !== undefined && { payload: redactValue(e.payload) }),
          })),
        }),
      },
    }),
  };
}

/** `expired` is not stored: a pending delivery is expired from its `expiresAt` on, by the store's clock. */
export function deliveryStatus(stored: 'pending' | 'acked', expiresAt: number, now: number): DeliveryStatus {
  return stored === 'pending' && expiresAt <= now ? 'expired' : stored;
}

/** The token is a bearer of the ACK, so it is not repeated in the error. */
export function deliveryExists(stream: string): TaktError {
  return new TaktError(
    'CONFIG_INVALID',
    `A delivery on "${stream}" with this token already exists; tokens must be unique (random).`,
    { details: { stream } },
  );
}
