import type { EntityDescriptor } from '../../connectors';
import type { ErrorRecord } from '../../state';
import type { Batch } from './batches';
import { commitUnitOf } from './commit-unit';
import { resolveCheck } from './conflict';
import type { FlatNode } from './flatten';
import { lookup, resolveParents, type Outcome } from './parent-resolution';
import { planRecord, type Decision, type PlanContext, type WriteDecision } from './plan';
import { isRecordKey, keyString } from './record-key';
import { settle, type Settled } from './settle';
import { errorRecordOf, readTarget, writeToTarget, type WriteAnswer } from './target-io';
import type { UpsertBatchInfo, UpsertRecordResult, UpsertSyncOptions } from './types';

export interface RunContext {
  readonly options: UpsertSyncOptions;
  readonly plan: PlanContext;
  readonly batchSize: number;
  readonly descriptors: readonly EntityDescriptor[];
}

/** What one call has learned so far; batches read and extend it in order. */
export interface RunState {
  /** By node ordinal. */
  readonly results: (UpsertRecordResult | undefined)[];
  /** By key string: parents resolve their children from here before the id map. */
  readonly outcomes: Map<string, Outcome>;
  readonly superseded: ReadonlyMap<number, string>;
  cursorVersion: number;
  /** Set once a record failed retryably: the cursor must not pass it, so no later commit carries one. */
  cursorFrozen: boolean;
  watermark: string | undefined;
  batches: number;
  writeCalls: number;
  readCalls: number;
  commits: number;
  stoppedBy: ErrorRecord | undefined;
}

/**
 * One batch: plan (id map, parents, target reads where the strategy needs them) → one target call →
 * one local commit. Nothing of the batch is committed before the target answered; a crash anywhere before
 * the commit leaves the store as it was, and the re-run sends the same writes with the same idempotency
 * keys. `cursor` is the value this batch may commit (it completes a chunk); it is dropped once any record of
 * the call failed retryably.
 */
export async function runBatch(
  batch: Batch,
  cursor: string | undefined,
  context: RunContext,
  state: RunState,
): Promise<void> {
  const { options } = context;
  const { store, connection } = options;
  const first = batch.nodes[0];
  const last = batch.nodes[batch.nodes.length - 1];
  state.batches += 1;
  const info: UpsertBatchInfo = {
    number: state.batches,
    entity: batch.entity,
    level: batch.level,
    firstIndex: first?.index ?? 0,
    lastIndex: last?.index ?? 0,
    size: batch.nodes.length,
  };

  const mappings = await lookup(
    store,
    connection,
    batch.nodes.flatMap((node) => (isRecordKey(node.key) ? [node.key] : [])),
  );
  const parents = await resolveParents(batch.nodes, state.outcomes, store, connection);
  const decisions: Decision[] = [];
  for (const node of batch.nodes) {
    const planned = planRecord(
      {
        node,
        ...optionalField('supersededBy', state.superseded.get(node.ordinal)),
        ...optionalField('mapping', isRecordKey(node.key) ? mappings.get(keyString(node.key)) : undefined),
        ...optionalField('parent', parents.get(node.ordinal)),
      },
      context.plan,
    );
    decisions.push(planned.kind === 'check' ? await check(node, planned, context, state) : planned);
  }
  await options.onStage?.('planned', info);

  const writes: WriteDecision[] = [];
  const writeIndex = new Map<number, number>();
  decisions.forEach((decision, position) => {
    if (decision.kind !== 'write') return;
    writeIndex.set(position, writes.length);
    writes.push(decision);
  });
  let answer: WriteAnswer | undefined;
  if (writes.length > 0) {
    state.writeCalls += 1;
    answer = await writeToTarget(options.connector, batch.entity, writes, context.batchSize, options.signal);
    if (!answer.ok) state.stoppedBy = answer.error;
    await options.onStage?.('written', info);
  }

  const settled: Settled[] = batch.nodes.map((node, position) =>
    settle(node, decisions[position] ?? internalDecision(), answer, writeIndex.get(position) ?? -1, connection),
  );
  if (settled.some((entry) => entry.result.action === 'error' && entry.result.error?.retryable)) {
    state.cursorFrozen = true;
  }
  const stream = options.stream;
  const cursorUnit =
    stream && cursor !== undefined && !state.cursorFrozen
      ? { stream: stream.name, expectedVersion: state.cursorVersion, value: cursor }
      : undefined;
  const unit = commitUnitOf({ settled, jobId: options.job?.id, lease: options.lease, cursor: cursorUnit });
  if (unit) {
    const committed = await store.commit(unit);
    state.commits += 1;
    if (cursorUnit) {
      state.cursorVersion = committed.cursorVersion ?? state.cursorVersion + 1;
      state.watermark = cursorUnit.value;
    }
  }
  await options.onStage?.('committed', info);

  for (const entry of settled) {
    state.results[entry.node.ordinal] = entry.result;
    if (entry.outcome && isRecordKey(entry.node.key)) state.outcomes.set(keyString(entry.node.key), entry.outcome);
  }
}

/** Reads the target's record for a changed record and lets the strategy decide; a failed read fails the record. */
async function check(
  node: FlatNode,
  planned: Extract<Decision, { kind: 'check' }>,
  context: RunContext,
  state: RunState,
): Promise<Decision> {
  const { connector, signal } = context.options;
  const descriptor = context.descriptors.find((candidate) => candidate.name === node.spec.entity);
  try {
    state.readCalls += 1;
    const target = await readTarget(connector, descriptor, node.spec.entity, planned.data, node.spec.keyFields, signal);
    return resolveCheck(planned, target, context.plan);
  } catch (error) {
    return { kind: 'error', key: planned.key, error: errorRecordOf(error) };
  }
}

function internalDecision(): Decision {
  return { kind: 'error', error: { code: 'INTERNAL', message: 'A record was not planned.', retryable: false } };
}

function optionalField<K extends string, V>(name: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, V>);
}
