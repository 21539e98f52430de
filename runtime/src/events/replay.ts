import { randomUUID } from 'node:crypto';
import { TaktError, toTaktError } from '../errors';
import { errorRecord, startJob, type JobRun } from '../jobs';
import type { DeadLetter, StateStore, SyncJob } from '../state';
import type { Clock } from '../time';
import { failClosed } from './fail-closed';

export interface ReplaySelection {
  readonly scope: string;
  /** Dead letters by id; with neither `ids` nor `keys`, every open dead letter of the scope. */
  readonly ids?: readonly number[];
  /** Dead letters by event id. */
  readonly keys?: readonly string[];
}

/** What a replay handler is told besides the payload. */
export interface ReplayContext {
  readonly deadLetter: DeadLetter;
  readonly job: JobRun;
}

export type ReplayHandler = (payload: unknown, context: ReplayContext) => Promise<unknown> | unknown;

export interface ReplayOptions {
  /** Count into this job instead of a new one of kind 'replay' (which replay then also finishes). */
  readonly jobRun?: JobRun;
  /** Connection and entity of the replay job; default the scope and 'event'. */
  readonly connection?: string;
  readonly entity?: string;
  readonly owner?: string;
  /** How long one replay holds its dead letter against a concurrent replay. Default 5 min. */
  readonly claimTtlMs?: number;
  readonly clock?: Clock;
}

export type ReplayItemStatus = 'replayed' | 'failed' | 'skipped';

export interface ReplayItem {
  readonly deadLetterId: number;
  readonly key: string;
  readonly status: ReplayItemStatus;
  readonly error?: TaktError;
}

export interface ReplayResult {
  readonly jobId: string;
  /** The finished replay job, when replay started it. */
  readonly job: SyncJob | undefined;
  readonly items: readonly ReplayItem[];
  readonly replayed: number;
  readonly failed: number;
  readonly skipped: number;
}

const PAGE = 200;

/**
 * Re-delivers the chosen OPEN dead letters once each (see README.md). Success resolves the dead letter
 * ('replayed'); its event id stays done, so copies from the sender still answer duplicate. Failure leaves it
 * open, with the new error in the replay job's log. Resolved dead letters are never chosen, so a second
 * replay of processed ones does nothing. A dead letter is claimed for the replay, and re-read as open after
 * the claim, so two concurrent replays do not both apply it. The job counts read, updated (replayed),
 * failed and skipped (held by a concurrent replay).
 *
 * At-least-once: a crash between a successful handler and the resolution replays that one letter again, so
 * the handler must apply idempotently (an idempotency key per event id, or an upsert).
 */
export async function replay(
  store: StateStore,
  selection: ReplaySelection,
  handler: ReplayHandler,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const letters = await chosen(store, selection);
  const own = options.jobRun === undefined;
  const job =
    options.jobRun ??
    (await startJob(store, {
      connection: options.connection ?? selection.scope,
      entity: options.entity ?? 'event',
      kind: 'replay',
      direction: 'inbound',
      total: letters.length,
      params: { scope: selection.scope, deadLetters: letters.length },
      ...(options.clock ? { clock: options.clock } : {}),
    }));
  const owner = options.owner ?? `replay-${randomUUID()}`;
  const lockScope = `${selection.scope}#replay`;
  const items: ReplayItem[] = [];
  try {
    for (const [index, letter] of letters.entries()) {
      await job.checkCancelled();
      const lock = String(letter.id);
      const claim = await failClosed('claim the dead letter', () =>
        store.claim(lockScope, lock, owner, options.claimTtlMs ?? 5 * 60_000),
      );
      if (claim.status !== 'claimed' || !(await stillOpen(store, letter))) {
        if (claim.status === 'claimed')
          await failClosed('release the dead letter', () => store.releaseClaim(lockScope, lock, owner));
        items.push({ deadLetterId: letter.id, key: letter.key, status: 'skipped' });
        await failClosed('count the replay', () =>
          store.commit({ job: { id: job.id, counters: { read: 1, skipped: 1 } } }),
        );
        continue;
      }
      try {
        await handler(letter.payload, { deadLetter: letter, job });
      } catch (thrown) {
        const error = toTaktError(thrown);
        items.push({ deadLetterId: letter.id, key: letter.key, status: 'failed', error });
        await failClosed('release the dead letter', () => store.releaseClaim(lockScope, lock, owner));
        await failClosed('log the replay failure', () =>
          store.commit({
            job: {
              id: job.id,
              counters: { read: 1, failed: 1 },
              errors: [{ ...errorRecord(error), recordIndex: index, externalId: letter.key, payload: letter.payload }],
            },
          }),
        );
        continue;
      }
      await failClosed('resolve the dead letter', () => store.resolveDeadLetters([letter.id], 'replayed'));
      await failClosed('count the replay', () =>
        store.commit({ job: { id: job.id, counters: { read: 1, updated: 1 } } }),
      );
      await failClosed('release the dead letter', () => store.releaseClaim(lockScope, lock, owner));
      items.push({ deadLetterId: letter.id, key: letter.key, status: 'replayed' });
    }
  } catch (error) {
    if (own) await job.finish({ error }).catch(() => undefined);
    throw error;
  }
  const count = (status: ReplayItemStatus): number => items.filter((item) => item.status === status).length;
  return {
    jobId: job.id,
    job: own ? await job.finish() : undefined,
    items,
    replayed: count('replayed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

/** Open dead letters of the scope, oldest first, narrowed to the selection. */
async function chosen(store: StateStore, selection: ReplaySelection): Promise<DeadLetter[]> {
  if (!selection.scope) throw new TaktError('CONFIG_INVALID', 'A replay needs the scope of its dead letters.');
  const ids = selection.ids ? new Set(selection.ids) : undefined;
  const keys = selection.keys ? new Set(selection.keys) : undefined;
  const all = !ids && !keys;
  const letters: DeadLetter[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await failClosed('list dead letters', () =>
      store.listDeadLetters({
        scope: selection.scope,
        status: 'open',
        limit: PAGE,
        ...(afterId !== undefined ? { afterId } : {}),
      }),
    );
    letters.push(...page.filter((dl) => all || ids?.has(dl.id) || keys?.has(dl.key)));
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return letters;
    afterId = last.id;
  }
}

async function stillOpen(store: StateStore, letter: DeadLetter): Promise<boolean> {
  const [current] = await failClosed('re-read the dead letter', () =>
    store.listDeadLetters({
      scope: letter.scope,
      status: 'open',
      afterId: letter.id - 1,
      limit: 1,
    }),
  );
  return current?.id === letter.id;
}
