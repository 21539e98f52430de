import { TaktError } from '../errors';
import type { Lease } from './types';

/**
 * The errors every adapter raises for the same refusal (a lost lease, a stale cursor, a claim not held, an
 * unknown or duplicate job), so hosts see one code and one wording whatever the store; each names what
 * happened and what the caller should do.
 */
export function leaseLost(lease: Lease, current: Lease | undefined, now: number): TaktError {
  const why = !current
    ? 'no lease exists for the stream any more'
    : current.fence !== lease.fence || current.owner !== lease.owner
      ? `it is now held by "${current.owner}" (fence ${current.fence})`
      : `it expired ${now - current.expiresAt} ms ago`;
  return new TaktError(
    'LEASE_LOST',
    `Lease lost on stream "${lease.stream}" (owner "${lease.owner}", fence ${lease.fence}): ${why}. ` +
      'This worker must drop its batch; the current lease holder continues the stream.',
    { details: { stream: lease.stream, owner: lease.owner, fence: lease.fence } },
  );
}

export function cursorConflict(stream: string, expectedVersion: number, actualVersion: number | undefined): TaktError {
  return new TaktError(
    'CURSOR_VERSION_CONFLICT',
    `Cursor of stream "${stream}" is at version ${actualVersion ?? 0}, not ${expectedVersion}: another writer ` +
      'committed since it was read. Re-read the cursor and redo the batch.',
    { details: { stream, expectedVersion, actualVersion: actualVersion ?? 0 } },
  );
}

export function claimNotOwned(scope: string, key: string, owner: string): TaktError {
  return new TaktError(
    'CLAIM_NOT_OWNED',
    `Claim "${key}" in "${scope}" is not held by "${owner}": it expired and was taken again, or was released.`,
    { details: { scope, key, owner } },
  );
}

export function jobNotFound(id: string): TaktError {
  return new TaktError('CONFIG_INVALID', `Sync job "${id}" does not exist in this state store.`, {
    details: { jobId: id },
  });
}

export function jobExists(id: string): TaktError {
  return new TaktError('CONFIG_INVALID', `Sync job "${id}" already exists; job ids must be unique.`, {
    details: { jobId: id },
  });
}
