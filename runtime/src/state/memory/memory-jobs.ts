import { redactValue } from '../../errors';
import {
  OPEN_JOB_STATUSES,
  illegalJobTransition,
  isTerminalJobStatus,
  requireJobCreate,
  requireJobUpdate,
} from '../job-rules';
import { jobExists, jobNotFound } from '../store-errors';
import {
  JOB_COUNTERS,
  type CommitUnit,
  type JobCounters,
  type JobCreate,
  type JobFilter,
  type JobUpdate,
  type StoredJobRecordError,
  type SyncJob,
} from '../types';
import { listLimit, storedError } from '../validate';
import { jsonCopy, removeWhere } from './memory-outbox';

const zeroCounters = (): JobCounters => ({
  read: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  conflict: 0,
  failed: 0,
});

/** The sync-job log of the memory store: jobs, their counters and per-record errors. */
export class MemoryJobLog {
  private readonly jobs = new Map<string, SyncJob>();
  private readonly errors: StoredJobRecordError[] = [];

  create(job: JobCreate, now: number): SyncJob {
    requireJobCreate(job);
    if (this.jobs.has(job.id)) throw jobExists(job.id);
    const created: SyncJob = {
      id: job.id,
      connection: job.connection,
      entity: job.entity,
      kind: job.kind,
      direction: job.direction,
      parentJobId: job.parentJobId,
      params: redactValue(job.params ?? {}) as Record<string, unknown>,
      status: 'pending',
      total: job.total,
      counters: zeroCounters(),
      error: undefined,
      cancelRequested: false,
      createdAt: now,
      startedAt: undefined,
      heartbeatAt: now,
      finishedAt: undefined,
    };
    this.jobs.set(job.id, created);
    return created;
  }

  update(id: string, update: JobUpdate, now: number): SyncJob {
    requireJobUpdate(id, update);
    const job = this.require(id);
    if (!OPEN_JOB_STATUSES.includes(job.status)) throw illegalJobTransition(id, job.status, update.status);
    const status = update.status ?? job.status;
    const finished = isTerminalJobStatus(status);
    const updated: SyncJob = {
      ...job,
      status,
      total: 'total' in update && update.total !== undefined ? update.total : job.total,
      error: finished && 'error' in update && update.error ? storedError(update.error) : job.error,
      startedAt: status === 'in_progress' ? (job.startedAt ?? now) : job.startedAt,
      heartbeatAt: now,
      finishedAt: finished ? now : undefined,
    };
    this.jobs.set(id, updated);
    return updated;
  }

  heartbeat(id: string, now: number): void {
    this.jobs.set(id, { ...this.require(id), heartbeatAt: now });
  }

  requestCancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || !OPEN_JOB_STATUSES.includes(job.status)) return false;
    this.jobs.set(id, { ...job, cancelRequested: true });
    return true;
  }

  get(id: string): SyncJob | undefined {
    return this.jobs.get(id);
  }

  /** Throws like a commit would, so a unit naming an unknown job fails before anything is written. */
  require(id: string): SyncJob {
    const job = this.jobs.get(id);
    if (!job) throw jobNotFound(id);
    return job;
  }

  list(filter: JobFilter): SyncJob[] {
    return [...this.jobs.values()]
      .filter(
        (j) =>
          (filter.connection === undefined || j.connection === filter.connection) &&
          (filter.entity === undefined || j.entity === filter.entity) &&
          (filter.kind === undefined || j.kind === filter.kind) &&
          (filter.status === undefined || j.status === filter.status) &&
          (filter.heartbeatBefore === undefined || j.heartbeatAt < filter.heartbeatBefore),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .slice(0, listLimit(filter.limit));
  }

  listErrors(jobId: string, options: { limit?: number; afterIndex?: number }): StoredJobRecordError[] {
    return this.errors
      .filter((e) => e.jobId === jobId && e.recordIndex > (options.afterIndex ?? -1))
      .sort((a, b) => a.recordIndex - b.recordIndex)
      .slice(0, listLimit(options.limit));
  }

  /** Finished jobs that finished before `before`, with their record errors. */
  prune(before: number): { jobs: number; jobErrors: number } {
    const doomed = new Set(
      [...this.jobs.values()]
        .filter((j) => isTerminalJobStatus(j.status) && j.finishedAt !== undefined && j.finishedAt < before)
        .map((j) => j.id),
    );
    for (const id of doomed) this.jobs.delete(id);
    return { jobs: doomed.size, jobErrors: removeWhere(this.errors, (e) => doomed.has(e.jobId)) };
  }

  /** A commit's job effects; the caller checked with `require` that the job exists. */
  apply(effects: NonNullable<CommitUnit['job']>, now: number): void {
    const job = this.require(effects.id);
    const counters = Object.fromEntries(
      JOB_COUNTERS.map((name) => [name, job.counters[name] + (effects.counters?.[name] ?? 0)]),
    ) as JobCounters;
    this.jobs.set(job.id, { ...job, counters, heartbeatAt: now });
    for (const e of effects.errors ?? []) {
      this.errors.push({
        recordIndex: e.recordIndex,
        ...(e.entity !== undefined && { entity: e.entity }),
        ...(e.externalId !== undefined && { externalId: e.externalId }),
        ...(e.targetId !== undefined && { targetId: e.targetId }),
        // Through JSON as a real store would, after redaction: the payload is the record, secrets and all.
        ...(e.payload !== undefined && { payload: jsonCopy(redactValue(e.payload)) }),
        ...storedError(e),
        jobId: job.id,
        createdAt: now,
      });
    }
  }
}
