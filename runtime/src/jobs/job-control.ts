import { TaktError } from '../errors';
import type { StateStore, SyncJob } from '../state';
import { systemClock, type Clock } from '../time';
import { errorRecord } from './job-run';

/** A worker that has not reported for this long is presumed dead (issue 3: default 2 h). */
export const DEFAULT_STALE_AFTER_MS = 2 * 3600_000;

/**
 * Asks a running job to stop. Cancellation is cooperative: the worker sees the request at its next
 * `checkCancelled()` (between batches) and ends the job `cancelled`; a batch already committing finishes.
 * Returns false when the job is unknown or no longer running.
 */
export function requestCancel(store: StateStore, jobId: string): Promise<boolean> {
  return store.requestJobCancel(jobId);
}

export interface StaleJobOptions {
  readonly staleAfterMs?: number;
  readonly clock?: Pick<Clock, 'now'>;
  /** Jobs examined per status in one sweep. Default 1000. */
  readonly limit?: number;
}

/**
 * Marks pending and in_progress jobs whose heartbeat is older than `staleAfterMs` as failed with JOB_STALE
 * and returns them as they are now. A crashed worker never finishes its job; without this sweep the log
 * would show it running forever. The sweep is not a compare-and-set: a worker that was merely paused past
 * the threshold finds its job failed at its next `checkCancelled()` and stops.
 */
export async function markStaleJobs(store: StateStore, options: StaleJobOptions = {}): Promise<SyncJob[]> {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const now = (options.clock ?? systemClock).now();
  const heartbeatBefore = now - staleAfterMs;
  const limit = options.limit ?? 1000;
  const candidates = [
    ...(await store.listJobs({ status: 'in_progress', heartbeatBefore, limit })),
    ...(await store.listJobs({ status: 'pending', heartbeatBefore, limit })),
  ];
  const marked: SyncJob[] = [];
  for (const job of candidates) {
    const silentForMs = now - job.heartbeatAt;
    const error = new TaktError(
      'JOB_STALE',
      `Sync job "${job.id}" (${job.kind} ${job.entity} on ${job.connection}) has not reported for ` +
        `${Math.round(silentForMs / 60_000)} min (limit ${Math.round(staleAfterMs / 60_000)} min): its worker ` +
        'stopped or lost the store. Start the sync again; its committed batches are kept.',
      { details: { jobId: job.id, silentForMs } },
    );
    try {
      marked.push(await store.updateJob(job.id, { status: 'failed', error: errorRecord(error) }));
    } catch (failure) {
      // It finished between the listing and now (a finished job's record is final): not stale after all.
      const current = await store.getJob(job.id);
      if (current && !['pending', 'in_progress'].includes(current.status)) continue;
      throw failure;
    }
  }
  return marked;
}
