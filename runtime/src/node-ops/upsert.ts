import type { Connector } from '../connectors';
import { TaktError } from '../errors';
import { startJob } from '../jobs';
import type { ErrorRecord, StateStore } from '../state';
import {
  CONFLICT_STRATEGIES,
  MAX_UPSERT_BATCH_SIZE,
  upsertSync,
  type ConflictStrategy,
  type UpsertAction,
  type UpsertRecordResult,
  type UpsertSummary,
  type UpsertSyncResult,
} from '../sync';
import { withoutItemMeta } from './item-meta';

export interface RunUpsertOptions {
  readonly store: StateStore;
  readonly connector: Connector;
  /** The user-visible connection name ("mes"): id map, jobs and idempotency keys are kept under it. */
  readonly connection: string;
  /** The target entity ("jobs", "production-orders"). */
  readonly entity: string;
  /** One record per input item; `_takt` is dropped before anything is hashed or sent. */
  readonly records: readonly unknown[];
  /** Default external_source + external_id. */
  readonly keyFields?: readonly string[];
  /** Default `source_wins`. */
  readonly strategy?: ConflictStrategy;
  /** Records per target call; default 100, at most 1000. */
  readonly batchSize?: number;
  /** The id map's namespace for custom key fields ("sap-prd-100"). */
  readonly source?: string;
  /** A name kept with the job, so the job log says which workflow or flow ran it. */
  readonly jobName?: string;
  readonly signal?: AbortSignal;
  /** After each committed batch: top-level records settled so far, of all (for "synced 450/1000"). */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

/** A nested record's outcome ("3.parts[1].operations[0]"): the engine's record result without the input index. */
export type UpsertChildOutcome = Omit<UpsertRecordResult, 'index'>;

/** The outcome of one input item. */
export interface UpsertItemOutcome {
  readonly index: number;
  readonly action: UpsertAction;
  readonly externalId?: string;
  readonly targetId?: string;
  /** Why the record was skipped. */
  readonly reason?: string;
  /** For `error` and `conflict`. */
  readonly error?: ErrorRecord;
  /** Its nested records (parts, operations), depth first; absent when it has none. */
  readonly children?: readonly UpsertChildOutcome[];
}

export interface RunUpsertResult {
  readonly jobId: string;
  /** One per input item, in input order. */
  readonly results: readonly UpsertItemOutcome[];
  readonly summary: UpsertSummary;
}

/**
 * One Upsert Sync run as a job: starts a push job, upserts the records (nested children from the canonical
 * defaults: a job's parts and their operations), finishes the job (`success`, `failed` when a record failed,
 * `cancelled` when the signal or a cancel request stopped it) and answers one outcome per input item. An item
 * that is not a JSON object fails alone (RECORD_INVALID). A store failure throws after the job is finished as
 * failed: nothing is committed past what the target acknowledged, so running again is safe.
 */
export async function runUpsert(options: RunUpsertOptions): Promise<RunUpsertResult> {
  checkOptions(options);
  const positions: number[] = [];
  const records: Record<string, unknown>[] = [];
  options.records.forEach((record, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
    positions.push(index);
    records.push(withoutItemMeta(record as Record<string, unknown>));
  });
  const total = options.records.length;
  const job = await startJob(options.store, {
    connection: options.connection,
    entity: options.entity,
    kind: 'push',
    direction: 'outbound',
    total,
    params: {
      strategy: options.strategy ?? 'source_wins',
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.keyFields ? { keyFields: [...options.keyFields] } : {}),
      ...(options.jobName ? { name: options.jobName } : {}),
    },
  });
  let done = total - records.length;
  let outcome: UpsertSyncResult;
  try {
    outcome = await upsertSync({
      store: options.store,
      connector: options.connector,
      connection: options.connection,
      entity: options.entity,
      records,
      ...(options.keyFields && options.keyFields.length > 0 ? { keyFields: options.keyFields } : {}),
      ...(options.strategy ? { strategy: options.strategy } : {}),
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.source ? { source: options.source } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      job,
      onStage: (stage, batch) => {
        if (stage !== 'committed' || !options.onProgress) return;
        done = Math.max(done, total - records.length + batch.lastIndex + 1);
        options.onProgress({ done, total });
      },
    });
  } catch (error) {
    await job.finish({ error }).catch(() => undefined);
    throw error;
  }
  const stopped = outcome.summary.stoppedBy;
  await job.finish(stopped?.code === 'ABORTED' ? { error: new TaktError('ABORTED', stopped.message) } : {});
  return { jobId: job.id, results: perItem(options.records, positions, outcome.results), summary: outcome.summary };
}

function checkOptions(options: RunUpsertOptions): void {
  if (options.connection.trim() === '') {
    throw new TaktError('CONFIG_INVALID', 'The connection name is empty: name the connection (e.g. "mes").');
  }
  const known = options.connector.entities();
  const descriptor = known.find((candidate) => candidate.name === options.entity);
  if (!descriptor) {
    throw new TaktError(
      'ENTITY_UNKNOWN',
      `The target has no entity "${options.entity}"; pick one of: ${known.map((d) => d.name).join(', ')}.`,
      { details: { entity: options.entity } },
    );
  }
  if (options.strategy !== undefined && !CONFLICT_STRATEGIES.includes(options.strategy)) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Unknown conflict strategy "${String(options.strategy)}": use one of ${CONFLICT_STRATEGIES.join(', ')}.`,
    );
  }
  const strategy = options.strategy ?? 'source_wins';
  if (strategy !== 'source_wins' && !descriptor.capabilities.read) {
    // Every other strategy reads the target's record when the source changed; without a read it would fail
    // each changed record one by one instead of saying once what to change.
    throw new TaktError(
      'CONFIG_INVALID',
      `Conflict strategy "${strategy}" compares with the target's record, but "${options.entity}" cannot be read ` +
        'back from this target: use source_wins.',
      { details: { entity: options.entity, strategy } },
    );
  }
  const size = options.batchSize;
  if (size !== undefined && (!Number.isInteger(size) || size < 1)) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Batch size must be a whole number of at least 1, not ${String(size)} (more than ${MAX_UPSERT_BATCH_SIZE} is capped).`,
    );
  }
  if (options.keyFields?.some((field) => field.trim() === '')) {
    throw new TaktError('CONFIG_INVALID', 'A key field name is empty: list the fields that identify a record.');
  }
}

/** Groups the engine's results (children after their parent, indexes of the object records) per input item. */
function perItem(
  inputs: readonly unknown[],
  positions: readonly number[],
  results: readonly UpsertRecordResult[],
): UpsertItemOutcome[] {
  const top = new Map<number, UpsertRecordResult>();
  const children = new Map<number, UpsertChildOutcome[]>();
  for (const result of results) {
    if (result.path === String(result.index)) {
      top.set(result.index, result);
      continue;
    }
    const list = children.get(result.index) ?? [];
    list.push({
      path: result.path,
      entity: result.entity,
      action: result.action,
      ...optional(result),
    });
    children.set(result.index, list);
  }
  const byItem = new Map<number, number>(positions.map((item, position) => [item, position]));
  return inputs.map((_input, index) => {
    const position = byItem.get(index);
    const result = position === undefined ? undefined : top.get(position);
    if (position === undefined || !result) {
      const error: ErrorRecord =
        position === undefined
          ? {
              code: 'RECORD_INVALID',
              message: `Item ${index} is not a JSON object: Upsert Sync needs one record per item.`,
              retryable: false,
            }
          : { code: 'INTERNAL', message: `The sync engine returned no result for item ${index}.`, retryable: false };
      return { index, action: 'error', error };
    }
    const nested = children.get(position);
    return { index, action: result.action, ...optional(result), ...(nested ? { children: nested } : {}) };
  });
}

function optional(result: UpsertRecordResult): Pick<UpsertItemOutcome, 'externalId' | 'targetId' | 'reason' | 'error'> {
  return {
    ...(result.externalId !== undefined ? { externalId: result.externalId } : {}),
    ...(result.targetId !== undefined ? { targetId: result.targetId } : {}),
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
  };
}
