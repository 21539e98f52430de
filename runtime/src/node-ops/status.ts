import { TaktError } from '../errors';
import {
  DEFAULT_STALE_AFTER_MS,
  connectionStatistics,
  failedRecords,
  jobView,
  markStaleJobs,
  type JobView,
} from '../jobs';
import type { JobStatus, StateStore } from '../state';
import { JOB_COUNTERS, TERMINAL_JOB_STATUSES } from '../state';
import { systemClock, type Clock } from '../time';

export type StatusView = 'jobs' | 'statistics' | 'failed-records' | 'stale-jobs' | 'summary';
export const STATUS_VIEWS: readonly StatusView[] = ['jobs', 'statistics', 'failed-records', 'stale-jobs', 'summary'];

export interface SyncStatusOptions {
  readonly view: StatusView;
  /** The connection name ("sap", "mes"); required by statistics and summary. */
  readonly connection?: string;
  readonly entity?: string;
  /** jobs: only this status. */
  readonly status?: JobStatus;
  /** Rows at most (1–1000). */
  readonly limit: number;
  /** jobs: this one job; failed-records: this job's records (else those of the newest failed jobs). */
  readonly jobId?: string;
  /** stale-jobs and summary: silence after which a running job counts as stale. Default 2 h. */
  readonly staleAfterMs?: number;
  readonly clock?: Pick<Clock, 'now'>;
}

/** A JSON row: no undefined, times as ISO 8601 or null. */
export type StatusRow = Record<string, unknown>;

const MAX_ROWS = 1000;
const JOB_STATUSES: readonly string[] = ['pending', 'in_progress', ...TERMINAL_JOB_STATUSES];

/**
 * What a Sync Status node outputs, one row per job / entity / record:
 * - jobs: the job log, newest first, with processed / success / error counts, progress and duration;
 * - statistics: one row per entity of the connection (records synced, last full and incremental sync) plus the
 *   recent failures and the newest job, as connectionStatistics reads them;
 * - failed-records: per-record errors of a job (or of the newest failed jobs), payloads as stored (redacted);
 * - stale-jobs: marks jobs whose worker stopped reporting as failed (JOB_STALE) and lists them; a sweep over the
 *   whole store, since a dead worker's job belongs to no live connection;
 * - summary: one row, see summarizeStatus.
 */
export async function syncStatus(store: StateStore, options: SyncStatusOptions): Promise<StatusRow[]> {
  const limit = checkedLimit(options.limit);
  const now = (options.clock ?? systemClock).now();
  const connection = options.connection?.trim() || undefined;
  const entity = options.entity?.trim() || undefined;
  switch (options.view) {
    case 'jobs': {
      if (options.jobId) {
        const job = await store.getJob(options.jobId);
        if (!job) throw unknownJob(options.jobId);
        return [jobRow(jobView(job, now))];
      }
      if (options.status !== undefined && !JOB_STATUSES.includes(options.status)) {
        throw new TaktError(
          'CONFIG_INVALID',
          `Job status filter "${String(options.status)}" is not one of ${JOB_STATUSES.join(', ')}.`,
        );
      }
      const jobs = await store.listJobs({
        ...(connection ? { connection } : {}),
        ...(entity ? { entity } : {}),
        ...(options.status ? { status: options.status } : {}),
        limit,
      });
      return [...jobs].sort((a, b) => b.createdAt - a.createdAt).map((job) => jobRow(jobView(job, now)));
    }
    case 'statistics': {
      const name = requireConnection(connection, 'statistics');
      const stats = await connectionStatistics(store, name, { clock: { now: () => now } });
      return Object.entries(stats.entities)
        .filter(([entityName]) => !entity || entityName === entity)
        .slice(0, limit)
        .map(([entityName, entry]) => ({
          connection: name,
          entity: entityName,
          records: entry.records,
          lastFullSync: entry.lastFullSync ? jobRow(entry.lastFullSync) : null,
          lastIncrementalSync: entry.lastIncrementalSync ? jobRow(entry.lastIncrementalSync) : null,
          recentFailures: stats.recentFailures
            .filter((failure) => failure.entity === entityName)
            .map((failure) => ({
              jobId: failure.jobId,
              kind: failure.kind,
              finishedAt: iso(failure.finishedAt),
              error: failure.error ?? null,
              failedRecords: failure.failedRecords,
            })),
        }));
    }
    case 'failed-records':
      return failedRecordRows(store, { connection, entity, jobId: options.jobId, limit });
    case 'stale-jobs': {
      const marked = await markStaleJobs(store, {
        clock: { now: () => now },
        ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
      });
      return marked.slice(0, limit).map((job) => jobRow(jobView(job, now)));
    }
    case 'summary':
      return [
        await summarizeStatus(store, {
          connection: requireConnection(connection, 'summary'),
          ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
          clock: { now: () => now },
        }),
      ];
    default:
      throw new TaktError(
        'CONFIG_INVALID',
        `Sync status view "${String(options.view)}" is not one of ${STATUS_VIEWS.join(', ')}.`,
      );
  }
}

export interface SummaryOptions {
  readonly connection: string;
  readonly staleAfterMs?: number;
  readonly clock?: Pick<Clock, 'now'>;
}

/**
 * One dashboard-friendly row for a connection: `state` (ok | warning | error | idle), a one-line `text` both
 * hosts can show as a status (n8n output, Node-RED node status), and the figures behind it. error: the newest
 * job failed or a job is stale; warning: failures in the last 24 h or open dead letters; idle: no job yet. Read
 * only: stale jobs are counted, not marked (the stale-jobs view marks them).
 */
export async function summarizeStatus(store: StateStore, options: SummaryOptions): Promise<StatusRow> {
  const connection = requireConnection(options.connection.trim() || undefined, 'summary');
  const now = (options.clock ?? systemClock).now();
  const stats = await connectionStatistics(store, connection, { clock: { now: () => now } });
  const running = await store.listJobs({ connection, status: 'in_progress', limit: MAX_ROWS });
  const staleBefore = now - (options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  const stale = running.filter((job) => job.heartbeatAt < staleBefore);
  const openDeadLetters = (await store.listDeadLetters({ status: 'open', limit: MAX_ROWS })).length;
  const records = Object.values(stats.entities).reduce((sum, entry) => sum + entry.records, 0);
  const last = stats.lastJob;

  const state =
    last === undefined
      ? 'idle'
      : last.status === 'failed' || stale.length > 0
        ? 'error'
        : stats.recentFailures.length > 0 || openDeadLetters > 0
          ? 'warning'
          : 'ok';
  const parts = [
    last
      ? `last ${last.kind} ${last.entity} ${last.status} (${last.success} ok, ${last.errorCount} failed)`
      : 'no sync job yet',
    `${records} record(s) synced`,
    ...(stats.recentFailures.length > 0 ? [`${stats.recentFailures.length} failed job(s) in 24 h`] : []),
    ...(stale.length > 0 ? [`${stale.length} stale job(s)`] : []),
    ...(openDeadLetters > 0 ? [`${openDeadLetters} open dead letter(s)`] : []),
  ];
  return {
    connection,
    state,
    text: `${connection}: ${parts.join(', ')}`,
    records,
    entities: Object.keys(stats.entities).length,
    running: running.length - stale.length,
    staleJobs: stale.length,
    recentFailures: stats.recentFailures.length,
    openDeadLetters,
    lastJob: last ? jobRow(last) : null,
    checkedAt: new Date(now).toISOString(),
  };
}

async function failedRecordRows(
  store: StateStore,
  options: { connection?: string; entity?: string; jobId?: string; limit: number },
): Promise<StatusRow[]> {
  let jobIds: string[];
  if (options.jobId) {
    if (!(await store.getJob(options.jobId))) throw unknownJob(options.jobId);
    jobIds = [options.jobId];
  } else {
    const failed = await store.listJobs({
      ...(options.connection ? { connection: options.connection } : {}),
      ...(options.entity ? { entity: options.entity } : {}),
      status: 'failed',
      limit: 50,
    });
    jobIds = [...failed].sort((a, b) => b.createdAt - a.createdAt).map((job) => job.id);
  }
  const rows: StatusRow[] = [];
  for (const jobId of jobIds) {
    for (const record of await failedRecords(store, jobId)) {
      rows.push({
        jobId,
        index: record.index,
        entity: record.entity ?? null,
        externalId: record.externalId ?? null,
        targetId: record.targetId ?? null,
        error: record.error,
        payload: record.payload ?? null,
      });
      if (rows.length >= options.limit) return rows;
    }
  }
  return rows;
}

/** A job as JSON: every field present, counters flat, times ISO 8601 or null. */
export function jobRow(job: JobView): StatusRow {
  return {
    id: job.id,
    connection: job.connection,
    entity: job.entity,
    kind: job.kind,
    direction: job.direction,
    status: job.status,
    parentJobId: job.parentJobId ?? null,
    total: job.total ?? null,
    ...Object.fromEntries(JOB_COUNTERS.map((name) => [name, job.counters[name]])),
    processed: job.processed,
    success: job.success,
    errorCount: job.errorCount,
    progressPercent: job.progressPercent ?? null,
    durationMs: job.durationMs ?? null,
    error: job.error ?? null,
    params: job.params,
    createdAt: iso(job.createdAt),
    startedAt: iso(job.startedAt),
    heartbeatAt: iso(job.heartbeatAt),
    finishedAt: iso(job.finishedAt),
  };
}

function iso(time: number | undefined): string | null {
  return time === undefined ? null : new Date(time).toISOString();
}

function requireConnection(connection: string | undefined, view: string): string {
  if (!connection) {
    throw new TaktError('CONFIG_INVALID', `The ${view} view needs a connection name (for example "sap" or "mes").`);
  }
  return connection;
}

function unknownJob(jobId: string): TaktError {
  return new TaktError('CONFIG_INVALID', `Sync job "${jobId}" does not exist in this state store.`, {
    details: { jobId },
  });
}

function checkedLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_ROWS) {
    throw new TaktError('CONFIG_INVALID', `The limit is a whole number from 1 to ${MAX_ROWS}, not ${String(limit)}.`);
  }
  return limit;
}
