import type { SyncJob } from '../state';

/**
 * What a job log shows for one job, derived from its stored counters so it can never disagree with them:
 * - processed: every record the run decided about (all counters except `read`, which counts what it saw);
 * - success: created + updated + unchanged; error: failed + conflict; skip: skipped;
 * - progressPercent: processed / total, capped at 100, undefined when the total is not known;
 * - durationMs: finished − started, or now − started while it runs; undefined while pending.
 */
export interface JobView extends SyncJob {
  readonly processed: number;
  readonly success: number;
  readonly errorCount: number;
  readonly skip: number;
  readonly progressPercent: number | undefined;
  readonly durationMs: number | undefined;
}

export function jobView(job: SyncJob, now: number): JobView {
  const c = job.counters;
  const success = c.created + c.updated + c.unchanged;
  const errorCount = c.failed + c.conflict;
  const processed = success + errorCount + c.skipped;
  const progressPercent =
    job.total === undefined
      ? undefined
      : job.total === 0
        ? 100
        : Math.min(100, Math.round((processed / job.total) * 1000) / 10);
  const durationMs = job.startedAt === undefined ? undefined : (job.finishedAt ?? now) - job.startedAt;
  return { ...job, processed, success, errorCount, skip: c.skipped, progressPercent, durationMs };
}
