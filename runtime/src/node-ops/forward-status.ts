/**
 * What a store-and-forward sender reports to its host, and the short line a host shows under its node.
 */
export type ForwardState = 'idle' | 'sending' | 'offline' | 'retrying' | 'store-error' | 'stopped';

export interface ForwardStatus {
  readonly state: ForwardState;
  /** Entries waiting in the store (pending), as last counted; capped at COUNT_CAP. */
  readonly queued: number;
  /** Entries the target accepted since start. */
  readonly sent: number;
  /** Entries dead-lettered since start. */
  readonly dead: number;
  /** When sending resumes (epoch ms), while offline or retrying. */
  readonly retryAt?: number;
  readonly lastError?: { readonly code: string; readonly message: string };
}

/** Pending entries are counted up to this many. */
export const COUNT_CAP = 10_000;
/** Short status text for a host: "sent 300", "queued 120 offline", "retry in 3 s". */
export function forwardStatusText(status: ForwardStatus, now: number): string {
  const wait = status.retryAt !== undefined ? Math.max(1, Math.ceil((status.retryAt - now) / 1_000)) : undefined;
  switch (status.state) {
    case 'offline':
      return `queued ${status.queued} offline${wait !== undefined ? `, retry in ${wait} s` : ''}`;
    case 'retrying':
      return wait !== undefined ? `retry in ${wait} s (${status.queued} queued)` : `queued ${status.queued}`;
    case 'sending':
      return `sending, queued ${status.queued}, sent ${status.sent}`;
    case 'store-error':
      return `store unavailable, queued ${status.queued}`;
    case 'stopped':
      return 'stopped';
    case 'idle':
      return status.dead > 0 ? `sent ${status.sent}, ${status.dead} dead` : `sent ${status.sent}`;
  }
}
