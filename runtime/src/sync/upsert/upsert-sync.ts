import { TaktError } from '../../errors';
import type { ErrorRecord } from '../../state';
import { abortError } from '../../time';
import { chunkInput, effectiveBatchSize, type Chunk } from './batches';
import { commitUnitOf } from './commit-unit';
import { findSuperseded } from './duplicates';
import { flatten, type FlatNode } from './flatten';
import { resolveLevels } from './nesting';
import { runBatch, type RunContext, type RunState } from './run-batch';
import type { Settled } from './settle';
import { errorRecordOf } from './target-io';
import {
  CONFLICT_STRATEGIES,
  type UpsertRecordResult,
  type UpsertSummary,
  type UpsertSyncOptions,
  type UpsertSyncResult,
} from './types';

/**
 * Upserts canonical records (nested children included) into a connector entity: per record create / update /
 * unchanged / conflict by the id map's content hashes, in batches of parents before children, each batch
 * written with deterministic idempotency keys and then committed locally in one transaction (id map, job
 * counters and errors, stream cursor). See README.md for the protocol and where a crash can fall.
 *
 * Returns one result per record in input order. Throws only when the run cannot go on safely: invalid
 * options, or a store failure (unreachable, lease lost, cursor moved by another writer) — state is never
 * committed past what the target acknowledged, so a re-run after any throw is safe.
 */
export async function upsertSync(options: UpsertSyncOptions): Promise<UpsertSyncResult> {
  const strategy = options.strategy ?? 'source_wins';
  if (!CONFLICT_STRATEGIES.includes(strategy)) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Unknown conflict strategy "${String(strategy)}" (${CONFLICT_STRATEGIES.join(', ')}).`,
    );
  }
  const batchSize = effectiveBatchSize(options.batchSize);
  const descriptors = options.connector.entities();
  const levels = resolveLevels(options, descriptors);
  const nodes = flatten(options.records, levels);
  const modifiedField = options.modifiedField ?? 'changed_at';
  const context: RunContext = {
    options,
    batchSize,
    descriptors,
    plan: {
      connection: options.connection,
      strategy,
      modifiedField,
      targetModifiedField: options.targetModifiedField ?? modifiedField,
      idempotencyKeys: options.idempotencyKeys ?? true,
    },
  };
  const state: RunState = {
    results: new Array<UpsertRecordResult | undefined>(nodes.length).fill(undefined),
    outcomes: new Map(),
    superseded: findSuperseded(nodes),
    cursorVersion: options.stream ? ((await options.store.getCursor(options.stream.name))?.version ?? 0) : 0,
    cursorFrozen: false,
    watermark: undefined,
    batches: 0,
    writeCalls: 0,
    readCalls: 0,
    commits: 0,
    stoppedBy: undefined,
  };

  const chunks = chunkInput(nodes, options.records.length, batchSize);
  let cancelled: ErrorRecord | undefined;
  for (const [chunkNumber, chunk] of chunks.entries()) {
    for (const [position, batch] of chunk.batches.entries()) {
      if (state.stoppedBy) break;
      cancelled = await cancellation(options);
      if (cancelled) break;
      const completes = position === chunk.batches.length - 1;
      const cursor = completes ? cursorOf(options, chunk, chunkNumber === chunks.length - 1) : undefined;
      await runBatch(batch, cursor, context, state);
    }
    if (state.stoppedBy || cancelled) break;
  }

  const unsettled = nodes.filter((node) => state.results[node.ordinal] === undefined);
  if (cancelled) {
    for (const node of unsettled) {
      state.results[node.ordinal] = notAttempted(
        node,
        'skipped',
        cancelled,
        'The run was cancelled before this record.',
      );
    }
  } else if (state.stoppedBy && unsettled.length > 0) {
    await failRemaining(unsettled, state.stoppedBy, options, state);
  }
  const results = state.results.filter((result): result is UpsertRecordResult => result !== undefined);
  return { results, summary: summarize(results, state, cancelled) };
}

/** ABORTED when the job was asked to cancel or the signal fired: checked between batches, never inside one. */
async function cancellation(options: UpsertSyncOptions): Promise<ErrorRecord | undefined> {
  if (options.signal?.aborted) return errorRecordOf(abortError(options.signal));
  try {
    await options.job?.checkCancelled();
  } catch (error) {
    if (TaktError.is(error) && error.code === 'ABORTED') return errorRecordOf(error);
    throw error;
  }
  return undefined;
}

/** The cursor a chunk's last commit carries: its last record's, or the input's own on the last chunk. */
function cursorOf(options: UpsertSyncOptions, chunk: Chunk, lastChunk: boolean): string | undefined {
  const stream = options.stream;
  if (!stream) return undefined;
  if (stream.cursorOf) {
    const record = options.records[chunk.lastIndex];
    return record === undefined ? undefined : stream.cursorOf(record, chunk.lastIndex);
  }
  return lastChunk ? stream.cursor : undefined;
}

/**
 * After a whole target call failed, the records not yet attempted fail with the same error (so a retry of
 * the job has them), recorded in one commit of job errors; the cursor does not move.
 */
async function failRemaining(
  nodes: readonly FlatNode[],
  cause: ErrorRecord,
  options: UpsertSyncOptions,
  state: RunState,
): Promise<void> {
  const error: ErrorRecord = {
    code: cause.code,
    message: `Not attempted: an earlier target call of this run failed (${cause.code}).`,
    retryable: cause.retryable,
  };
  const settled: Settled[] = nodes.map((node) => {
    const result = notAttempted(node, 'error', error);
    return {
      node,
      result,
      jobError: {
        recordIndex: node.index,
        entity: node.spec.entity,
        code: error.code,
        message: node.level > 0 ? `${node.path}: ${error.message}` : error.message,
        retryable: error.retryable,
        ...(result.externalId === undefined ? {} : { externalId: result.externalId }),
        payload: node.level > 0 ? node.data : node.input,
      },
    };
  });
  for (const entry of settled) state.results[entry.node.ordinal] = entry.result;
  const unit = commitUnitOf({ settled, jobId: options.job?.id, lease: options.lease, cursor: undefined });
  if (unit) {
    await options.store.commit(unit);
    state.commits += 1;
  }
}

function notAttempted(
  node: FlatNode,
  action: 'skipped' | 'error',
  error: ErrorRecord,
  reason?: string,
): UpsertRecordResult {
  const key = node.key;
  return {
    index: node.index,
    path: node.path,
    entity: node.spec.entity,
    action,
    ...('externalId' in key ? { externalId: key.externalId } : {}),
    ...(reason === undefined ? {} : { reason }),
    error,
  };
}

function summarize(
  results: readonly UpsertRecordResult[],
  state: RunState,
  cancelled: ErrorRecord | undefined,
): UpsertSummary {
  const count = (action: UpsertRecordResult['action']): number =>
    results.filter((result) => result.action === action).length;
  return {
    total: results.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    conflict: count('conflict'),
    error: count('error'),
    writeCalls: state.writeCalls,
    readCalls: state.readCalls,
    commits: state.commits,
    watermark: state.watermark,
    stoppedBy: cancelled ?? state.stoppedBy,
  };
}
