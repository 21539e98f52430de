import type { ErrorRecord, JobKind, StateStore } from '../state';
import { systemClock, type Clock } from '../time';
import { jobView, type JobView } from './job-view';

export interface ConnectionStatisticsOptions {
  /** How far back "recent failures" reach. Default 24 h. */
  readonly failureWindowMs?: number;
  /** At most this many recent failures. Default 20. */
  readonly failureLimit?: number;
  readonly clock?: Pick<Clock, 'now'>;
}

export interface EntitySyncStatistics {
  /** Id-map rows: records this connection has synced for the entity. */
  readonly records: number;
  /** The newest successful full sync of the entity, when there was one. */
  readonly lastFullSync: JobView | undefined;
  readonly lastIncrementalSync: JobView | undefined;
}

export interface JobFailure {
  readonly jobId: string;
  readonly entity: string;
  readonly kind: JobKind;
  readonly finishedAt: number | undefined;
  /** The job's own error, when it stopped on one; undefined when only some records failed. */
  readonly error: ErrorRecord | undefined;
  /** Records that failed or conflicted. */
  readonly failedRecords: number;
}

export interface ConnectionStatistics {
  readonly connection: string;
  readonly entities: Readonly<Record<string, EntitySyncStatistics>>;
  /** Failed jobs that finished inside the window, newest first. */
  readonly recentFailures: readonly JobFailure[];
  /** The newest job of the connection with its counts, whatever its state. */
  readonly lastJob: JobView | undefined;
}

const DEFAULT_FAILURE_WINDOW_MS = 24 * 3600_000;
const RECENT_JOBS = 500;

/**
 * A dashboard's view of one connection: records by entity, the last full and incremental sync of each, the
 * failures of the recent window and the counts of the newest job. Every figure is read from the store, so
 * all workers sharing a PostgreSQL store see the same statistics.
 */
export async function connectionStatistics(
  store: StateStore,
  connection: string,
  options: ConnectionStatisticsOptions = {},
): Promise<ConnectionStatistics> {
  const now = (options.clock ?? systemClock).now();
  const since = now - (options.failureWindowMs ?? DEFAULT_FAILURE_WINDOW_MS);
  const [counts, recent, failed] = await Promise.all([
    store.countIdMappings(connection),
    store.listJobs({ connection, limit: RECENT_JOBS }),
    store.listJobs({ connection, status: 'failed', limit: options.failureLimit ?? 20 }),
  ]);
  const newestFirst = [...recent].sort((a, b) => b.createdAt - a.createdAt);
  const names = [...new Set([...counts.keys(), ...newestFirst.map((job) => job.entity)])].sort();

  const lastSuccess = async (entity: string, kind: JobKind): Promise<JobView | undefined> => {
    const jobs = await store.listJobs({ connection, entity, kind, status: 'success', limit: 1 });
    const job = jobs[0];
    return job ? jobView(job, now) : undefined;
  };
  const entities: Record<string, EntitySyncStatistics> = {};
  for (const entity of names) {
    entities[entity] = {
      records: counts.get(entity) ?? 0,
      lastFullSync: await lastSuccess(entity, 'full'),
      lastIncrementalSync: await lastSuccess(entity, 'incremental'),
    };
  }

  const recentFailures = failed
    .filter((job) => (job.finishedAt ?? job.heartbeatAt) >= since)
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
    .map((job) => ({
      jobId: job.id,
      entity: job.entity,
      kind: job.kind,
      finishedAt: job.finishedAt,
      error: job.error,
      failedRecords: job.counters.failed + job.counters.conflict,
    }));
  const newest = newestFirst[0];
  return { connection, entities, recentFailures, lastJob: newest ? jobView(newest, now) : undefined };
}
