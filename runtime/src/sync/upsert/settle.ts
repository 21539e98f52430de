import type { WriteResult } from '../../connectors';
import type { ErrorRecord, IdMapUpsert, JobRecordError } from '../../state';
import type { FlatNode } from './flatten';
import type { Outcome } from './parent-resolution';
import type { Decision, Remember, WriteDecision } from './plan';
import type { RecordKey } from './record-key';
import type { WriteAnswer } from './target-io';
import type { UpsertAction, UpsertRecordResult } from './types';
import { encodeWrittenState } from './written-state';

/** One record's final result, and what it adds to the batch's commit and to this call's outcomes. */
export interface Settled {
  readonly node: FlatNode;
  readonly result: UpsertRecordResult;
  readonly idMap?: IdMapUpsert;
  readonly jobError?: JobRecordError;
  /** Unset for a record superseded by a later duplicate: the later one speaks for the key. */
  readonly outcome?: Outcome;
}

/** The final result of a record from its decision and, for a write, the target's answer. */
export function settle(
  node: FlatNode,
  decision: Decision,
  answer: WriteAnswer | undefined,
  writeIndex: number,
  connection: string,
): Settled {
  const key = decision.key;
  const base = (action: UpsertAction, extra: Partial<UpsertRecordResult> = {}): UpsertRecordResult => ({
    index: node.index,
    path: node.path,
    entity: node.spec.entity,
    action,
    ...(key ? { externalId: key.externalId } : {}),
    ...extra,
  });
  const idMapOf = (remember: Remember | undefined): IdMapUpsert | undefined =>
    remember && key ? idMapRow(connection, key, remember.targetId, remember.contentHash, remember.written) : undefined;
  switch (decision.kind) {
    case 'error':
      return failed(node, base, decision.error);
    case 'skipped':
      return {
        node,
        result: base('skipped', {
          reason: decision.reason,
          ...(decision.targetId === undefined ? {} : { targetId: decision.targetId }),
        }),
        ...optional('idMap', idMapOf(decision.remember)),
        ...(decision.targetId === undefined ? {} : { outcome: { ok: true, targetId: decision.targetId } }),
      };
    case 'conflict':
      return withJobError(node, {
        node,
        result: base('conflict', { targetId: decision.targetId, error: decision.error }),
        ...optional('idMap', idMapOf(decision.remember)),
        outcome: { ok: true, targetId: decision.targetId },
      });
    case 'unchanged':
      return {
        node,
        result: base('unchanged', { targetId: decision.targetId }),
        ...optional('idMap', idMapOf(decision.remember)),
        outcome: { ok: true, targetId: decision.targetId },
      };
    case 'check':
      return failed(node, base, { code: 'INTERNAL', message: 'A record was left unchecked.', retryable: false });
    case 'write':
      return settleWrite(node, decision, answer, writeIndex, connection, base);
  }
}

function settleWrite(
  node: FlatNode,
  decision: WriteDecision,
  answer: WriteAnswer | undefined,
  writeIndex: number,
  connection: string,
  base: (action: UpsertAction, extra?: Partial<UpsertRecordResult>) => UpsertRecordResult,
): Settled {
  if (!answer) return failed(node, base, internal('The record was planned for a write that was not made.'));
  if (!answer.ok) return failed(node, base, answer.error);
  const result: WriteResult | undefined = answer.results[writeIndex];
  if (!result) return failed(node, base, internal('The connector answered no result for this record.'));
  const previousId = decision.previous?.targetId;
  switch (result.action) {
    case 'created':
    case 'updated':
    case 'unchanged': {
      // A target that answers no id is keyed by the record's external id, which it upserts by.
      const targetId = result.targetId ?? previousId ?? decision.key.externalId;
      const idMap = idMapRow(connection, decision.key, targetId, decision.storeHash, decision.written);
      const settled: Settled = {
        node,
        result: decision.conflict
          ? base('conflict', { targetId, error: decision.conflict })
          : base(result.action, { targetId }),
        idMap,
        outcome: { ok: true, targetId },
      };
      return decision.conflict ? withJobError(node, settled) : settled;
    }
    case 'conflict': {
      const error = result.error ?? {
        code: 'SYNC_CONFLICT',
        message: 'The target reported a conflict.',
        retryable: false,
      };
      const targetId = result.targetId ?? previousId;
      return withJobError(node, {
        node,
        result: base('conflict', { ...(targetId === undefined ? {} : { targetId }), error }),
        outcome: targetId === undefined ? { ok: false, path: node.path, error } : { ok: true, targetId },
      });
    }
    case 'error':
    case 'skipped':
    case 'deleted':
      return failed(
        node,
        base,
        result.action === 'deleted'
          ? internal('The connector answered "deleted" to an upsert.')
          : (result.error ?? internal(`The target answered "${result.action}" without a reason.`)),
      );
  }
}

function failed(
  node: FlatNode,
  base: (action: UpsertAction, extra?: Partial<UpsertRecordResult>) => UpsertRecordResult,
  error: ErrorRecord,
): Settled {
  return withJobError(node, { node, result: base('error', { error }), outcome: { ok: false, path: node.path, error } });
}

/** The job log's row for a failed or conflicting record, with its payload so a retry needs no source. */
function withJobError(node: FlatNode, settled: Settled): Settled {
  const { result } = settled;
  if (!result.error) return settled;
  const jobError: JobRecordError = {
    recordIndex: node.index,
    entity: node.spec.entity,
    code: result.error.code,
    message: node.level > 0 ? `${node.path}: ${result.error.message}` : result.error.message,
    retryable: result.error.retryable,
    ...(result.externalId === undefined ? {} : { externalId: result.externalId }),
    ...(result.targetId === undefined ? {} : { targetId: result.targetId }),
    // A child's own record (not its parent's tree) is what a retry of this record needs.
    payload: node.level > 0 ? node.data : node.input,
  };
  return { ...settled, jobError };
}

function idMapRow(
  connection: string,
  key: RecordKey,
  targetId: string,
  contentHash: string,
  written: Remember['written'],
): IdMapUpsert {
  return {
    connection,
    entity: key.entity,
    source: key.source,
    externalId: key.externalId,
    targetId,
    contentHash,
    sourceVersion: encodeWrittenState(written),
  };
}

function internal(message: string): ErrorRecord {
  return { code: 'INTERNAL', message, retryable: false };
}

function optional<K extends string, V>(name: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, V>);
}
