import { TaktError } from '../errors';
import type { StateStore, SyncJob } from '../state';

/**
 * Push jobs of this connection still marked in progress while we hold the connection's push lease: their
 * pusher died mid-run (only the lease holder runs a push job, and the lease was free or expired). They are
 * closed as failed (JOB_STALE), and the newest one is returned so the new run names it as its parent: the job
 * log then reads "run 1 interrupted → run 2 re-sent its entries", the recovered retry.
 */
export async function closeInterruptedPushJobs(
  store: StateStore,
  connection: string,
  exceptId?: string,
): Promise<SyncJob | undefined> {
  const running = await store.listJobs({ connection, kind: 'push', status: 'in_progress', limit: 100 });
  let newest: SyncJob | undefined;
  for (const job of running.filter((candidate) => candidate.id !== exceptId)) {
    const error = new TaktError(
      'JOB_STALE',
      `Push job "${job.id}" was interrupted (its pusher stopped without finishing); a later run re-sends its entries.`,
    );
    const closed = await store.updateJob(job.id, {
      status: 'failed',
      error: { code: error.code, message: error.message, retryable: error.retryable },
    });
    if (!newest || closed.createdAt >= newest.createdAt) newest = closed;
  }
  return newest;
}
