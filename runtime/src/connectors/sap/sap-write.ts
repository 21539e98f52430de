import { TaktError, toTaktError } from '../../errors';
import type { WriteItem, WriteMode, WriteOptions, WriteResult } from '../types';
import {
  MAX_OPERATIONS_LIMIT,
  planBatches,
  toWriteResult,
  type BatchOperation,
  type OperationOutcome,
  type PlannedOperation,
} from './batch';
import type { SapEntity } from './entities';
import type { ServiceMetadataCache } from './metadata-cache';
import { recordEtag } from './odata-envelope';
import { readByKey } from './sap-read';
import type { SapHttp } from './sap-http';
import { endsTheRun, sendBatch, sendSingle, withVersionHeaders } from './write-send';
import { mayCarryDates, type WireDateType } from './v2-wire-values';
import { keyFor, planWrite, type Existing } from './write-plan';

export interface WriteRun {
  readonly http: SapHttp;
  readonly entity: SapEntity;
  /** Writes per changeset in a `$batch` (1: every record its own atomic unit). */
  readonly changesetSize: number;
  /** The service's date and time properties, for the V2 wire form of ISO values (v2-wire-values.ts). */
  readonly metadata: ServiceMetadataCache;
}

/**
 * Writes records and answers one result per record, in input order.
 *
 * 1. Plan: each record becomes an operation (write-plan.ts); upsert first reads the record by key. In V2, ISO dates
 *    and times go out in the wire form of their property's type, known from the service's `$metadata`
 *    (metadata-cache.ts); a value there that is no date fails its record alone with RECORD_INVALID.
 * 2. Send: in `$batch` requests of `batchSize` operations when the entity supports it and batchSize > 1,
 *    otherwise one request per record.
 * 3. 428 Precondition Required (reference A.8: Gateway demands If-Match on ETag-enabled entity sets): a record
 *    sent without an ETag is read, and sent once more on its own with the ETag just read, together with the
 *    records its changeset rolled back. Choice: the caller gave no ETag, so it asked for no concurrency check;
 *    reading the current ETag honours that while satisfying the server, and a change between the read and
 *    the write still surfaces as 412 → `conflict`. A caller that wants optimistic concurrency passes `etag`.
 * 4. 412 → `conflict` with HTTP_PRECONDITION_FAILED; other rejections → `error` with SAP's message.
 *
 * The call throws only when nothing was written: auth, configuration, or the server unreachable on the first
 * request. Once a record was answered, such a failure becomes the result of every record not yet answered.
 */
export async function writeRecords(
  run: WriteRun,
  records: readonly WriteItem[],
  options: WriteOptions,
): Promise<WriteResult[]> {
  assertSupported(run.entity, options.mode);
  const results = new Array<WriteResult | undefined>(records.length).fill(undefined);
  const pending: Pending[] = [];
  try {
    const dates = await dateProperties(run, records, options);
    const existing = options.mode === 'upsert' ? await lookUp(run, records, options.signal) : undefined;
    records.forEach((item, index) => {
      const planned = planWrite(run.entity, options.mode, index, item, existing?.[index], dates);
      if ('result' in planned) results[index] = planned.result;
      else
        pending.push({
          index,
          key: keyFor(run.entity, item),
          operation: withVersionHeaders(run.entity, planned.operation),
        });
    });
    await send(run, pending, options, (index, result) => {
      results[index] = { ...result, index };
    });
  } catch (error) {
    const failure = toTaktError(error);
    if (results.every((result) => result === undefined) || !endsTheRun(failure)) throw failure;
    fillUnanswered(results, failure);
  }
  return results.map((result, index) => result ?? notAnswered(index));
}

/**
 * The date and time properties of a V2 entity set, when the records may carry ISO values for them; V4 takes
 * ISO as it is, and a delete has no body. Undefined: send the values as given.
 */
async function dateProperties(
  run: WriteRun,
  records: readonly WriteItem[],
  options: WriteOptions,
): Promise<ReadonlyMap<string, WireDateType> | undefined> {
  if (run.entity.odataVersion !== 'v2' || options.mode === 'delete') return undefined;
  if (!run.metadata.isKnown(run.entity) && !mayCarryDates(records)) return undefined;
  return run.metadata.dateProperties(run.entity, options.signal);
}

/** An operation still to send, with the record it came from and that record's key. */
interface Pending {
  readonly index: number;
  readonly key: Record<string, unknown> | undefined;
  readonly operation: BatchOperation;
}

type Report = (index: number, result: WriteResult) => void;

/** Sends in `$batch` requests or one by one, reporting each record's result as soon as it is known. */
async function send(run: WriteRun, pending: readonly Pending[], options: WriteOptions, report: Report): Promise<void> {
  const batchSize = Math.min(Math.max(1, Math.floor(options.batchSize ?? 1)), MAX_OPERATIONS_LIMIT);
  let answered = false;
  const failed = (failure: TaktError, items: readonly Pending[]): void => {
    if (!answered || endsTheRun(failure)) throw failure;
    for (const item of items) report(item.index, errorResult(item.index, failure));
  };
  if (run.entity.capabilities.batch && batchSize > 1 && pending.length > 1) {
    const plans = planBatches(
      pending.map((item) => item.operation),
      { maxOperations: batchSize, changesetSize: run.changesetSize },
    );
    for (const plan of plans) {
      const items = plan.operations.map((planned) => pending[planned.index]).filter((item) => item !== undefined);
      let outcomes: OperationOutcome[];
      try {
        outcomes = await sendBatch(run.http, run.entity, plan, options.signal);
      } catch (error) {
        // The request failed as a whole (a 5xx after retries): each of its records carries the failure.
        failed(toTaktError(error), items);
        continue;
      }
      answered = true;
      for (const outcome of outcomes) {
        const item = pending[outcome.planned.index];
        if (item !== undefined) report(item.index, await settle(run, item, outcome, options.signal));
      }
    }
    return;
  }
  for (const [position, item] of pending.entries()) {
    const planned: PlannedOperation = { index: position, contentId: String(position), operation: item.operation };
    try {
      const outcome = await sendSingle(run.http, run.entity, planned, options.signal);
      answered = true;
      report(item.index, await settle(run, item, outcome, options.signal));
    } catch (error) {
      failed(toTaktError(error), [item]);
    }
  }
}

/**
 * An outcome as the record's result, after step 3 of `writeRecords`: an operation that failed with 428, or was
 * rolled back because a sibling did, is sent again on its own; one that lacked an ETag gets the one read now.
 */
async function settle(
  run: WriteRun,
  item: Pending,
  outcome: OperationOutcome,
  signal: AbortSignal | undefined,
): Promise<WriteResult> {
  if (outcome.kind === 'unanswered' || outcome.response.status !== 428) return toWriteResult(outcome);
  let { operation } = item;
  if (operation.ifMatch === undefined && operation.method !== 'POST') {
    const etag = item.key === undefined ? undefined : await currentEtag(run, item.key, signal);
    if (etag === undefined) return toWriteResult(outcome);
    operation = { ...operation, ifMatch: etag };
  } else if (outcome.kind === 'answered') {
    // The server demanded If-Match of a request that had one, or of a create: sending again cannot help.
    return toWriteResult(outcome);
  }
  const again = await sendSingle(run.http, run.entity, { ...outcome.planned, operation }, signal);
  return toWriteResult(again);
}

/** The current ETag of an entity, read by key; undefined when it is absent or has none. */
async function currentEtag(
  run: WriteRun,
  key: Readonly<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const page = await readByKey(run.http, run.entity, key, signal);
  const record = page.records[0];
  return page.etag ?? (record === undefined ? undefined : recordEtag(record));
}

/** Upsert's read by key, one per record with a complete key; records without one will be created. */
async function lookUp(
  run: WriteRun,
  records: readonly WriteItem[],
  signal: AbortSignal | undefined,
): Promise<Existing[]> {
  const existing: Existing[] = [];
  for (const item of records) {
    const key = keyFor(run.entity, item);
    const page = key === undefined ? { records: [] } : await readByKey(run.http, run.entity, key, signal);
    const record = page.records[0];
    const etag = 'etag' in page && typeof page.etag === 'string' ? page.etag : record && recordEtag(record);
    existing.push(
      record === undefined ? { found: false } : { found: true, record, ...(etag === undefined ? {} : { etag }) },
    );
  }
  return existing;
}

function errorResult(index: number, failure: TaktError): WriteResult {
  return {
    index,
    action: failure.kind === 'conflict' ? 'conflict' : 'error',
    error: { code: failure.code, message: failure.message, retryable: failure.retryable },
  };
}

function notAnswered(index: number): WriteResult {
  return {
    index,
    action: 'error',
    error: {
      code: 'INTERNAL',
      message: `No result for record #${index}; it may or may not have been written.`,
      retryable: false,
    },
  };
}

function fillUnanswered(results: (WriteResult | undefined)[], failure: TaktError): void {
  for (let index = 0; index < results.length; index += 1) {
    results[index] ??= {
      index,
      action: 'error',
      error: {
        code: failure.code,
        message: `Not written: the run stopped before this record. ${failure.message}`,
        retryable: failure.retryable || failure.kind === 'auth' || failure.kind === 'transient',
      },
    };
  }
}

function assertSupported(entity: SapEntity, mode: WriteMode): void {
  const { capabilities } = entity;
  const ok =
    mode === 'create'
      ? capabilities.create
      : mode === 'update'
        ? capabilities.update
        : mode === 'delete'
          ? capabilities.delete
          : capabilities.create && capabilities.update;
  if (!ok) {
    throw new TaktError(
      'CONFIG_INVALID',
      `${entity.name} (${entity.service}/${entity.entitySet}) does not support ${mode}. Its API allows: ` +
        `${Object.entries(capabilities)
          .filter(([, on]) => on)
          .map(([name]) => name)
          .join(', ')}. For a custom ` +
        'service, declare what it supports in customEntities[].capabilities.',
      { details: { entity: entity.name, mode } },
    );
  }
}
