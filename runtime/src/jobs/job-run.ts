import { randomUUID } from 'node:crypto';
import { TaktError, toTaktError } from '../errors';
import {
  TERMINAL_JOB_STATUSES,
  type ErrorRecord,
  type JobCreate,
  type JobDirection,
  type JobKind,
  type StateStore,
  type SyncJob,
} from '../state';
import { systemClock, type Clock } from '../time';

export interface StartJobOptions {
  readonly connection: string;
  readonly entity: string;
  readonly kind: JobKind;
  readonly direction: JobDirection;
  /** Records the run will process, when known up front; drives the progress percent. */
  readonly total?: number;
  /** Non-secret parameters of the run; the store redacts them all the same. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The job this run retries or replays. */
  readonly parentJobId?: string;
  /** A caller-chosen id (a host's execution id, say); a random UUID otherwise. */
  readonly id?: string;
  /** Paces the heartbeat that `checkCancelled` writes on the way; the store's own clock stamps the rows. */
  readonly clock?: Clock;
  /** `checkCancelled` also heartbeats when the last heartbeat is older than this. Default 30 s. */
  readonly heartbeatEveryMs?: number;
}

export interface FinishOptions {
  /** Why the run stopped early: any thrown value, classified with toTaktError. */
  readonly error?: unknown;
}

/**
 * One running sync job. Engines call `checkCancelled()` between batches (cooperative cancel: a cancel
 * request takes effect at the next batch boundary, never inside a batch's commit) and `finish()` once.
 * Counters and per-record errors are NOT written here: they travel in each batch's CommitUnit `job` field,
 * so they commit in the same transaction as the id map and cursor they describe.
 */
export interface JobRun {
  readonly id: string;
  /**
   * Throws ABORTED when a cancel was requested, JOB_STALE when the job was ended meanwhile (marked stale);
   * heartbeats on the way when one is due.
   */
  checkCancelled(): Promise<void>;
  /** Tells stale-job detection that this worker is alive. */
  heartbeat(): Promise<void>;
  setTotal(total: number): Promise<void>;
  /**
   * Ends the run. Without an error: `success` when no record failed or conflicted, `failed` otherwise (its
   * per-record errors are what "retry failed records" works on). With an error: `cancelled` for ABORTED,
   * `failed` for anything else, the error stored redacted.
   */
  finish(options?: FinishOptions): Promise<SyncJob>;
  /** Ends the run as `skipped` (another worker held the stream, nothing was due), the reason kept. */
  skip(reason: string | TaktError): Promise<SyncJob>;
}

const DEFAULT_HEARTBEAT_EVERY_MS = 30_000;

/** Creates the job (pending) and moves it to in_progress: the row exists before any work starts. */
export async function startJob(store: StateStore, options: StartJobOptions): Promise<JobRun> {
  const create: JobCreate = {
    id: options.id ?? randomUUID(),
    connection: options.connection,
    entity: options.entity,
    kind: options.kind,
    direction: options.direction,
    ...(options.total !== undefined ? { total: options.total } : {}),
    ...(options.params !== undefined ? { params: options.params } : {}),
    ...(options.parentJobId !== undefined ? { parentJobId: options.parentJobId } : {}),
  };
  const created = await store.createJob(create);
  await store.updateJob(created.id, { status: 'in_progress' });
  return new StoredJobRun(store, created.id, options.clock ?? systemClock, options.heartbeatEveryMs);
}

/** The error record a stopped job keeps: code, redacted message, retryable. */
export function errorRecord(error: unknown): ErrorRecord {
  const taktError = toTaktError(error);
  return { code: taktError.code, message: taktError.message, retryable: taktError.retryable };
}

class StoredJobRun implements JobRun {
  private lastHeartbeat: number;
  private finished: SyncJob | undefined;

  constructor(
    private readonly store: StateStore,
    readonly id: string,
    private readonly clock: Clock,
    private readonly heartbeatEveryMs = DEFAULT_HEARTBEAT_EVERY_MS,
  ) {
    this.lastHeartbeat = clock.now();
  }

  async checkCancelled(): Promise<void> {
    const job = await this.store.getJob(this.id);
    if (job && job.status !== 'in_progress') {
      // Stale-job detection (or an operator) ended the job while this worker was paused: its batches would no
      // longer be accounted to a running job, so the worker stops.
      throw new TaktError(
        'JOB_STALE',
        `Sync job "${this.id}" is ${job.status}, not running: it was ended while this worker was not reporting.`,
        { details: { jobId: this.id, status: job.status } },
      );
    }
    if (job?.cancelRequested) {
      throw new TaktError('ABORTED', `Sync job "${this.id}" was cancelled on request.`, {
        details: { jobId: this.id, reason: 'cancel_requested' },
      });
    }
    if (this.clock.now() - this.lastHeartbeat >= this.heartbeatEveryMs) await this.heartbeat();
  }

  async heartbeat(): Promise<void> {
    await this.store.heartbeatJob(this.id);
    this.lastHeartbeat = this.clock.now();
  }

  async setTotal(total: number): Promise<void> {
    if (!Number.isInteger(total) || total < 0) {
      throw new TaktError('CONFIG_INVALID', `A job total must be a whole number ≥ 0, not ${total}.`);
    }
    await this.store.updateJob(this.id, { total });
  }

  async finish(options: FinishOptions = {}): Promise<SyncJob> {
    if (this.finished) return this.finished;
    const current = await this.store.getJob(this.id);
    // Ended elsewhere (stale-job detection while this worker was paused): a finished job's record is final.
    if (current && TERMINAL_JOB_STATUSES.includes(current.status)) return (this.finished = current);
    if (options.error !== undefined) {
      const error = toTaktError(options.error);
      const status = error.code === 'ABORTED' ? 'cancelled' : 'failed';
      this.finished = await this.store.updateJob(this.id, { status, error: errorRecord(error) });
      return this.finished;
    }
    const bad = current ? current.counters.failed + current.counters.conflict : 0;
    this.finished = await this.store.updateJob(this.id, { status: bad > 0 ? 'failed' : 'success' });
    return this.finished;
  }

  async skip(reason: string | TaktError): Promise<SyncJob> {
    if (this.finished) return this.finished;
    // A skip is not a failure, so a plain reason is kept under the neutral code SKIPPED rather than a code of
    // the error table; a TaktError (LEASE_HELD, say) keeps its own code.
    const error: ErrorRecord =
      typeof reason === 'string' ? { code: 'SKIPPED', message: reason, retryable: false } : errorRecord(reason);
    this.finished = await this.store.updateJob(this.id, { status: 'skipped', error });
    return this.finished;
  }
}
