import { TaktError } from '../errors';
import { failClosed } from '../events/fail-closed';
import type { DeadLetter, DeadLetterStatus, ErrorRecord, StateStore } from '../state';
import { encodeAckToken } from './ack-token';
import type { TaktItemMeta } from './item-meta';

/** A dead letter as a node shows it: plain JSON, times as ISO 8601. Payloads were redacted when stored. */
export interface DeadLetterRow {
  readonly id: number;
  readonly scope: string;
  /** The event id (or business key) it was stored under. */
  readonly key: string;
  readonly status: DeadLetterStatus;
  readonly attempts: number;
  readonly error: ErrorRecord;
  readonly payload: unknown;
  readonly jobId: string | null;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
}

export interface ListDeadLettersOptions {
  /** One webhook endpoint or feed; every scope when omitted. */
  readonly scope?: string;
  /** 'open' (waiting for a replay), 'resolved', or 'all'. */
  readonly status: DeadLetterStatus | 'all';
  /** At most this many, oldest first (1–1000). */
  readonly limit: number;
  /** Keyset paging: only ids above this. */
  readonly afterId?: number;
}

export const MAX_DEAD_LETTER_ROWS = 1000;

export async function listDeadLetters(store: StateStore, options: ListDeadLettersOptions): Promise<DeadLetterRow[]> {
  const limit = checkedLimit(options.limit);
  if (!['open', 'resolved', 'all'].includes(options.status)) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Dead letters are listed by status "open", "resolved" or "all", not "${String(options.status)}".`,
    );
  }
  const letters = await failClosed('list dead letters', () =>
    store.listDeadLetters({
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.status !== 'all' ? { status: options.status } : {}),
      ...(options.afterId !== undefined ? { afterId: options.afterId } : {}),
      limit,
    }),
  );
  return letters.map(deadLetterRow);
}

export function deadLetterRow(letter: DeadLetter): DeadLetterRow {
  return {
    id: letter.id,
    scope: letter.scope,
    key: letter.key,
    status: letter.status,
    attempts: letter.attempts,
    error: { code: letter.error.code, message: letter.error.message, retryable: letter.error.retryable },
    payload: letter.payload,
    jobId: letter.jobId ?? null,
    createdAt: new Date(letter.createdAt).toISOString(),
    resolvedAt: letter.resolvedAt === undefined ? null : new Date(letter.resolvedAt).toISOString(),
    resolution: letter.resolution ?? null,
  };
}

/** Where a replay holds a dead letter against a concurrent replay: the same lock `replay()` in events/ takes. */
export function replayLockScope(scope: string): string {
  return `${scope}#replay`;
}

export interface BeginReplayOptions {
  readonly scope: string;
  /** Only these dead letters (ids); every open one of the scope up to `limit` otherwise. */
  readonly ids?: readonly number[];
  readonly limit: number;
  /** Who replays: the claim owner the replay tokens carry. */
  readonly owner: string;
  /** How long the flow has to acknowledge a replayed item before another replay may take it. Default 15 min. */
  readonly claimTtlMs?: number;
}

export interface ReplayedItem {
  readonly payload: unknown;
  readonly meta: TaktItemMeta;
  readonly deadLetter: DeadLetterRow;
}

export interface BeginReplayResult {
  readonly items: readonly ReplayedItem[];
  /** Chosen dead letters another replay holds right now, or that were resolved meanwhile. */
  readonly skipped: readonly number[];
}

export const DEFAULT_REPLAY_CLAIM_TTL_MS = 15 * 60_000;

/**
 * Hands open dead letters out again as items for a flow, each claimed for this replay (the lock replay() in
 * events/ uses, so the two never apply one letter concurrently) and re-read as open after the claim. Each item
 * carries a replay token: Acknowledge ACK resolves the letter, NACK leaves it open and gives the claim back. A
 * flow that never acknowledges leaves the letter open; its claim expires after `claimTtlMs`.
 */
export async function beginReplay(store: StateStore, options: BeginReplayOptions): Promise<BeginReplayResult> {
  if (!options.scope) {
    throw new TaktError('CONFIG_INVALID', 'A replay needs the scope (webhook path or feed) of its dead letters.');
  }
  if (!options.owner) throw new TaktError('CONFIG_INVALID', 'A replay needs an owner name for its claims.');
  const limit = checkedLimit(options.limit);
  const ttl = options.claimTtlMs ?? DEFAULT_REPLAY_CLAIM_TTL_MS;
  const candidates = await chosen(store, options.scope, options.ids, limit);
  const items: ReplayedItem[] = [];
  const skipped: number[] = [];
  const lockScope = replayLockScope(options.scope);
  for (const letter of candidates) {
    const lock = String(letter.id);
    const claim = await failClosed('claim the dead letter', () => store.claim(lockScope, lock, options.owner, ttl));
    if (claim.status !== 'claimed') {
      skipped.push(letter.id);
      continue;
    }
    if (!(await stillOpen(store, letter))) {
      await failClosed('release the dead letter', () => store.releaseClaim(lockScope, lock, options.owner));
      skipped.push(letter.id);
      continue;
    }
    const token = encodeAckToken({
      kind: 'replay',
      scope: options.scope,
      deadLetterId: letter.id,
      eventId: letter.key,
      owner: options.owner,
    });
    items.push({
      payload: letter.payload,
      meta: { token, deliveryKind: 'replay', deadLetterId: letter.id, eventId: letter.key },
      deadLetter: deadLetterRow(letter),
    });
  }
  return { items, skipped };
}

async function chosen(
  store: StateStore,
  scope: string,
  ids: readonly number[] | undefined,
  limit: number,
): Promise<DeadLetter[]> {
  const wanted = ids && ids.length > 0 ? new Set(ids) : undefined;
  const letters: DeadLetter[] = [];
  const page = 200;
  let afterId: number | undefined;
  for (;;) {
    const batch = await failClosed('list dead letters', () =>
      store.listDeadLetters({ scope, status: 'open', limit: page, ...(afterId !== undefined ? { afterId } : {}) }),
    );
    for (const letter of batch) {
      if (wanted && !wanted.has(letter.id)) continue;
      letters.push(letter);
      if (letters.length >= limit) return letters;
    }
    const last = batch[batch.length - 1];
    if (batch.length < page || !last) return letters;
    afterId = last.id;
  }
}

async function stillOpen(store: StateStore, letter: DeadLetter): Promise<boolean> {
  const [current] = await failClosed('re-read the dead letter', () =>
    store.listDeadLetters({ scope: letter.scope, status: 'open', afterId: letter.id - 1, limit: 1 }),
  );
  return current?.id === letter.id;
}

function checkedLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_DEAD_LETTER_ROWS) {
    throw new TaktError(
      'CONFIG_INVALID',
      `The limit is a whole number from 1 to ${MAX_DEAD_LETTER_ROWS}, not ${String(limit)}.`,
    );
  }
  return limit;
}
