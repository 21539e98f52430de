import { randomUUID } from 'node:crypto';
import type { Connector, WriteItem, WriteMode } from '../connectors';
import { TaktError, toTaktError } from '../errors';
import { backoffDelay, type RetryPolicy } from '../http';
import { startJob, type JobRun } from '../jobs';
import { silentLogger, type Logger } from '../log';
import type { OutboxEntry, StateStore, SyncJob } from '../state';
import { abortError, systemClock, type Clock } from '../time';
import { closeInterruptedPushJobs } from './interrupted-jobs';
import { outboxRetryPolicy } from './outbox-policy';
import { PushLease } from './push-lease';
import { planFromFailure, planFromResults, type PushContext, type PushPlan } from './push-outcome';

export interface OutboxPusherOptions {
  readonly store: StateStore;
  readonly connector: Connector;
  /** The connection whose outbox this pusher drains: every entity of it, one pusher at a time (lease). */
  readonly connection: string;
  /** The entity named on the push job (the pusher sends every entity of the connection); default "*". */
  readonly entity?: string;
  /** How entries are written; default upsert, which repeats safely. */
  readonly mode?: WriteMode;
  /** Entries per round (and per connector call); default 500. */
  readonly batchSize?: number;
  /** Backoff and give-up rules (see DEFAULT_OUTBOX_RETRY_POLICY). */
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: Clock;
  /** Jitter source in [0, 1); tests fix it. */
  readonly random?: () => number;
  /** The job that counts this pusher's work; `run` starts its own push job when absent. */
  readonly job?: JobRun;
  readonly logger?: Logger;
  /** The push lease's TTL: how long a crashed pusher blocks the next one. Default 60 s. */
  readonly leaseMs?: number;
  /** Names this pusher as lease owner; a random id by default. */
  readonly owner?: string;
}

/** What one round did. */
export interface PushRound {
  readonly due: number;
  readonly sent: number;
  readonly retrying: number;
  readonly dead: number;
  /** Another pusher holds the connection's lease: nothing was read or sent. */
  readonly held: boolean;
  /** Sends are held until then (a Retry-After, a down target's backoff), epoch ms; 0 when not paused. */
  readonly pausedUntil: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** `drained` (default): return once nothing is pending. `stopped`: run until the signal (a host's loop). */
  readonly until?: 'drained' | 'stopped';
  /** How long to wait before looking again when nothing is due. Default 1 s. */
  readonly idleMs?: number;
}

export interface PushSummary {
  readonly rounds: number;
  readonly sent: number;
  /** Entries put back to wait (each failed attempt counts once). */
  readonly retried: number;
  readonly dead: number;
  /** Rounds that could not read or commit because the store failed: nothing was sent or marked in them. */
  readonly storeFailures: number;
  readonly job: SyncJob;
}

const DEFAULT_BATCH = 500;
const STORE_PAUSE_MS = 1_000;

/**
 * Drains a connection's outbox into its connector. Each round: take the due head entry of every order key
 * (so a key's entries go out one at a time, in order), write them with their stored idempotency keys, and
 * commit what happened (sent / waiting with backoff / dead with a dead letter, job counters and per-record
 * errors) in one unit that names the revision sent. Fail closed (I8): a store that cannot be read or written
 * stops the round; nothing is sent that could not be read as due, and a write whose outcome could not be
 * committed is simply sent again later under the same idempotency key.
 */
export class OutboxPusher {
  private readonly store: StateStore;
  private readonly connector: Connector;
  private readonly connection: string;
  private readonly entity: string;
  private readonly mode: WriteMode;
  private readonly batchSize: number;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly lease: PushLease;
  private job: JobRun | undefined;
  /** Whole-call failures in a row: the connection's backoff grows with them and resets on any answer. */
  private failuresInARow = 0;
  private pausedUntil = 0;

  constructor(options: OutboxPusherOptions) {
    if (!options.connection) throw new TaktError('CONFIG_INVALID', 'An outbox pusher needs a connection name.');
    this.store = options.store;
    this.connector = options.connector;
    this.connection = options.connection;
    this.entity = options.entity ?? '*';
    this.mode = options.mode ?? 'upsert';
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH));
    this.policy = outboxRetryPolicy(options.retry);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.logger = (options.logger ?? silentLogger).child({ connection: options.connection, component: 'outbox' });
    this.job = options.job;
    this.lease = new PushLease(
      this.store,
      `outbox/${options.connection}`,
      options.owner ?? `pusher-${randomUUID()}`,
      options.leaseMs ?? 60_000,
      this.clock,
    );
  }

  /**
   * One round. Throws what the store throws (STORE_UNAVAILABLE, LEASE_LOST…) and ABORTED; everything the
   * target answers, including a failed call, is recorded instead.
   */
  async pushOnce(signal?: AbortSignal): Promise<PushRound> {
    const idle = { due: 0, sent: 0, retrying: 0, dead: 0, held: false, pausedUntil: this.pausedUntil };
    if (this.pausedUntil > this.clock.now()) return idle;
    const lease = await this.lease.hold();
    if (!lease) return { ...idle, held: true };
    const due = await this.store.dueOutbox(this.connection, this.batchSize);
    let sent = 0;
    let retrying = 0;
    let dead = 0;
    for (const [entity, entries] of groupByEntity(due)) {
      if (signal?.aborted) break;
      const plan = await this.pushGroup(entity, entries, signal);
      await this.store.commit({
        lease,
        outboxUpdates: plan.updates,
        deadLetters: plan.deadLetters,
        ...(this.job ? { job: { id: this.job.id, counters: plan.counters, errors: plan.errors } } : {}),
      });
      sent += plan.sent;
      retrying += plan.retrying;
      dead += plan.dead;
    }
    return { due: due.length, sent, retrying, dead, held: false, pausedUntil: this.pausedUntil };
  }

  /**
   * Rounds until nothing is pending (or until the signal, with `until: 'stopped'`), as one push job. A store
   * failure pauses the pusher, which tries again after a second and sends nothing meanwhile; any other thrown
   * error ends the run and its job (failed, or cancelled for ABORTED).
   */
  async run(options: RunOptions = {}): Promise<PushSummary> {
    const { signal } = options;
    const until = options.until ?? 'drained';
    const idleMs = options.idleMs ?? 1_000;
    await this.waitForLease(signal);
    const ownJob = this.job === undefined;
    const parent = await closeInterruptedPushJobs(this.store, this.connection, this.job?.id);
    const job =
      this.job ??
      (await startJob(this.store, {
        connection: this.connection,
        entity: this.entity,
        kind: 'push',
        direction: 'outbound',
        params: { mode: this.mode, batchSize: this.batchSize },
        ...(parent ? { parentJobId: parent.id } : {}),
        clock: this.clock,
      }));
    this.job = job;
    const totals = { rounds: 0, sent: 0, retried: 0, dead: 0, storeFailures: 0, due: 0 };
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        let round: PushRound;
        try {
          await job.checkCancelled();
          round = await this.pushOnce(signal);
          this.logger.debug('push round', { ...round });
        } catch (error) {
          if (!isStoreTrouble(error)) throw error;
          totals.storeFailures += 1;
          if (TaktError.is(error) && error.code === 'LEASE_LOST') this.lease.drop();
          this.logger.warn('state store failed; pushing paused (nothing is sent or marked)', {
            code: toTaktError(error).code,
          });
          await this.clock.sleep(STORE_PAUSE_MS, signal);
          continue;
        }
        totals.rounds += 1;
        totals.due += round.due;
        totals.sent += round.sent;
        totals.retried += round.retrying;
        totals.dead += round.dead;
        if (round.due > 0 && round.pausedUntil <= this.clock.now()) continue;
        if (until === 'drained' && !round.held && (await this.nothingPending())) break;
        const wake = Math.max(round.pausedUntil - this.clock.now(), 0);
        await this.clock.sleep(wake > 0 ? Math.min(wake, idleMs * 10) : idleMs, signal);
      }
    } catch (error) {
      await this.settle(ownJob, () => job.finish({ error }));
      throw error;
    }
    const finished = await this.settle(ownJob, () =>
      totals.due === 0 ? job.skip('Nothing was due in the outbox.') : job.finish(),
    );
    return { ...totals, job: finished ?? (await this.jobView(job)) };
  }

  private async pushGroup(entity: string, entries: readonly OutboxEntry[], signal?: AbortSignal): Promise<PushPlan> {
    const context: PushContext = {
      connection: this.connection,
      entity,
      mode: this.mode,
      policy: this.policy,
      now: this.clock.now(),
      random: this.random,
      pausedUntil: this.pausedUntil,
      ...(this.job ? { jobId: this.job.id } : {}),
    };
    const items: WriteItem[] = entries.map((entry) => ({
      data: entry.payload as Readonly<Record<string, unknown>>,
      idempotencyKey: entry.idempotencyKey,
    }));
    try {
      const results = await this.connector.write(entity, items, {
        mode: this.mode,
        batchSize: this.batchSize,
        ...(signal ? { signal } : {}),
      });
      this.failuresInARow = 0;
      return planFromResults({ ...context, now: this.clock.now() }, entries, results);
    } catch (caught) {
      const error = toTaktError(caught);
      // Cancelled mid-call: record nothing; the entries stay due and go out again under the same keys.
      if (error.code === 'ABORTED') throw error;
      const now = this.clock.now();
      if (!error.retryable) return planFromFailure({ ...context, now }, entries, error, now);
      this.failuresInARow += 1;
      const backoff = backoffDelay(this.policy, Math.min(this.failuresInARow, 60), this.random);
      const waitUntil = Math.max(now + backoff, error.retryAt?.getTime() ?? 0);
      this.pausedUntil = waitUntil;
      this.logger.info('target call failed; entries wait', {
        code: error.code,
        entries: entries.length,
        waitMs: waitUntil - now,
      });
      return planFromFailure({ ...context, now }, entries, error, waitUntil);
    }
  }

  private async waitForLease(signal?: AbortSignal): Promise<void> {
    for (;;) {
      try {
        if (await this.lease.hold()) return;
      } catch (error) {
        if (!isStoreTrouble(error)) throw error;
      }
      await this.clock.sleep(STORE_PAUSE_MS, signal);
    }
  }

  private async nothingPending(): Promise<boolean> {
    const pending = await this.store.listOutbox({ connection: this.connection, status: 'pending', limit: 1 });
    return pending.length === 0;
  }

  /** Ends our own job and gives the lease back; a store still failing here must not hide the run's error. */
  private async settle(ownJob: boolean, finish: () => Promise<SyncJob>): Promise<SyncJob | undefined> {
    let finished: SyncJob | undefined;
    try {
      if (ownJob) finished = await finish();
      await this.lease.release();
    } catch (error) {
      this.logger.warn('could not close the push job or release the lease', { code: toTaktError(error).code });
    }
    if (ownJob) this.job = undefined;
    return finished;
  }

  private async jobView(job: JobRun): Promise<SyncJob> {
    const view = await this.store.getJob(job.id);
    if (!view) throw new TaktError('INTERNAL', `Push job "${job.id}" disappeared from the store.`);
    return view;
  }
}

/** Store failures that pause the pusher rather than end it: the store is (temporarily) unusable. */
function isStoreTrouble(error: unknown): boolean {
  return TaktError.is(error) && ['STORE_UNAVAILABLE', 'STORE_BUSY', 'LEASE_LOST'].includes(error.code);
}

function groupByEntity(entries: readonly OutboxEntry[]): Map<string, OutboxEntry[]> {
  const groups = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.entity);
    if (group) group.push(entry);
    else groups.set(entry.entity, [entry]);
  }
  return groups;
}
