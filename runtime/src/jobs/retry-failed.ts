import { TaktError } from '../errors';
import type { ErrorRecord, StateStore, SyncJob } from '../state';
import type { Clock } from '../time';
import { startJob, type JobRun } from './job-run';

/** One record a job failed on, as its per-record error kept it. */
export interface FailedRecord {
  /** The record's index in the failed job's input. */
  readonly index: number;
  /** The input record as stored (redacted); undefined when the engine did not keep it. */
  readonly payload: unknown;
  readonly entity: string | undefined;
  readonly externalId: string | undefined;
  readonly targetId: string | undefined;
  readonly error: ErrorRecord;
}

const PAGE = 500;

/** Every per-record error of a job, in record order, read page by page. */
export async function failedRecords(store: StateStore, jobId: string): Promise<FailedRecord[]> {
  const records: FailedRecord[] = [];
  let afterIndex: number | undefined;
  for (;;) {
    const page = await store.listJobErrors(jobId, { limit: PAGE, ...(afterIndex !== undefined ? { afterIndex } : {}) });
    for (const e of page) {
      records.push({
        index: e.recordIndex,
        payload: e.payload,
        entity: e.entity,
        externalId: e.externalId,
        targetId: e.targetId,
        error: { code: e.code, message: e.message, retryable: e.retryable },
      });
    }
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return records;
    afterIndex = last.recordIndex;
  }
}

export interface RetryFailedOptions {
  readonly id?: string;
  readonly clock?: Clock;
}

export interface RetryOutcome<T> {
  /** The child job, finished: success when every retried record succeeded. */
  readonly job: SyncJob;
  readonly result: T;
  /** The records that were fed to `run`. */
  readonly records: readonly FailedRecord[];
}

/**
 * Retries a failed job over the records it failed on, as a child job (same connection, entity, kind and
 * direction; `parentJobId` pointing at the failed one) whose total is the number of failed records. `run`
 * gets only those records and the child's JobRun, and commits its counters through CommitUnit.job as any
 * engine does. When `run` throws, the child ends failed (or cancelled) and the error is rethrown.
 * Records whose payload was not kept are still handed over: `run` decides whether it can re-read them.
 */
export async function retryFailedRecords<T>(
  store: StateStore,
  jobId: string,
  run: (records: readonly FailedRecord[], job: JobRun) => Promise<T>,
  options: RetryFailedOptions = {},
): Promise<RetryOutcome<T>> {
  const parent = await store.getJob(jobId);
  if (!parent) {
    throw new TaktError('CONFIG_INVALID', `Sync job "${jobId}" does not exist, so it cannot be retried.`, {
      details: { jobId },
    });
  }
  if (parent.status !== 'failed') {
    throw new TaktError(
      'CONFIG_INVALID',
      `Sync job "${jobId}" is ${parent.status}; only a failed job is retried over its failed records.`,
      { details: { jobId, status: parent.status } },
    );
  }
  const records = await failedRecords(store, jobId);
  const child = await startJob(store, {
    connection: parent.connection,
    entity: parent.entity,
    kind: parent.kind,
    direction: parent.direction,
    parentJobId: parent.id,
    total: records.length,
    params: { retryOf: parent.id },
    ...(options.id !== undefined ? { id: options.id } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  let result: T;
  try {
    result = await run(records, child);
  } catch (error) {
    await child.finish({ error });
    throw error;
  }
  return { job: await child.finish(), result, records };
}
