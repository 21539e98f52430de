import { toTaktError } from '../../errors';
import type { ErrorRecord, IdMapping } from '../../state';
import { contentHash } from '../content-hash';
import type { FlatNode } from './flatten';
import { idempotencyKey } from './idempotency-key';
import { isRecordKey, type RecordKey } from './record-key';
import type { ConflictStrategy } from './types';
import { fieldDigests, type WrittenState } from './written-state';

/** Settings the planner needs; everything else it is handed per record. */
export interface PlanContext {
  readonly connection: string;
  readonly strategy: ConflictStrategy;
  readonly modifiedField: string;
  readonly targetModifiedField: string;
  readonly idempotencyKeys: boolean;
}

export type ParentResolution =
  { readonly ok: true; readonly targetId: string } | { readonly ok: false; readonly error: ErrorRecord };

/** One record as the executor hands it to the planner, with what the store and this call know about it. */
export interface PlanItem {
  readonly node: FlatNode;
  /** The path of a later record of the input with the same key: that one is written, this one skipped. */
  readonly supersededBy?: string;
  readonly mapping?: IdMapping;
  readonly parent?: ParentResolution;
}

/** An id map row to commit although nothing is written (the target already agrees, or keeps its change). */
export interface Remember {
  readonly contentHash: string;
  readonly targetId: string;
  readonly written: WrittenState;
}

export type Decision =
  | { readonly kind: 'error'; readonly error: ErrorRecord; readonly key?: RecordKey }
  | {
      readonly kind: 'skipped';
      readonly reason: string;
      readonly key?: RecordKey;
      readonly targetId?: string;
      readonly remember?: Remember;
    }
  | {
      readonly kind: 'conflict';
      readonly error: ErrorRecord;
      readonly key: RecordKey;
      readonly targetId: string;
      readonly remember?: Remember;
    }
  | { readonly kind: 'unchanged'; readonly key: RecordKey; readonly targetId: string; readonly remember?: Remember }
  | WriteDecision
  | CheckDecision;

/** Send `data`; once the target acknowledges, commit `storeHash` and `written` to the id map. */
export interface WriteDecision {
  readonly kind: 'write';
  readonly key: RecordKey;
  readonly data: Readonly<Record<string, unknown>>;
  /** The hash of the source record: what the next run compares with to find it unchanged. */
  readonly storeHash: string;
  readonly idempotencyKey: string | undefined;
  readonly previous: IdMapping | undefined;
  readonly written: WrittenState;
  /** A merge that kept some target fields reports `conflict` with this error once written. */
  readonly conflict?: ErrorRecord;
}

/** Source changed a record we wrote before, under a strategy that must see the target's record first. */
export interface CheckDecision {
  readonly kind: 'check';
  readonly key: RecordKey;
  readonly data: Readonly<Record<string, unknown>>;
  readonly hash: string;
  readonly mapping: IdMapping;
  /** Key fields are always the source's, whatever a merge decides. */
  readonly keyFields: readonly string[];
}

/**
 * Decides what to do with one record from the id map alone. Order of the rules: no usable key → error; a
 * later duplicate → skipped; a failed parent → PARENT_FAILED; same content hash as last written → unchanged
 * (no write, no read); never written → write; changed → write under source_wins, otherwise check against
 * the target's current record (resolveCheck).
 */
export function planRecord(item: PlanItem, context: PlanContext): Decision {
  const { node } = item;
  if (!isRecordKey(node.key)) return { kind: 'error', error: node.key };
  const key = node.key;
  if (item.supersededBy !== undefined) {
    return {
      kind: 'skipped',
      key,
      reason: `A later record of the input (at ${item.supersededBy}) has the same key; that one is written instead.`,
    };
  }
  if (item.parent && !item.parent.ok) return { kind: 'error', key, error: item.parent.error };
  const data = withParentTargetId(node, item.parent);
  let hash: string;
  try {
    hash = contentHash(data);
  } catch (error) {
    const failure = toTaktError(error);
    return { kind: 'error', key, error: { code: failure.code, message: failure.message, retryable: false } };
  }
  const mapping = item.mapping;
  if (mapping && mapping.contentHash === hash) return { kind: 'unchanged', key, targetId: mapping.targetId };
  if (!mapping || context.strategy === 'source_wins') {
    return writeDecision(key, data, hash, hash, mapping, writtenState(data, context), context);
  }
  return { kind: 'check', key, data, hash, mapping, keyFields: node.spec.keyFields };
}

export function writeDecision(
  key: RecordKey,
  data: Readonly<Record<string, unknown>>,
  storeHash: string,
  sentHash: string,
  previous: IdMapping | undefined,
  written: WrittenState,
  context: PlanContext,
  conflict?: ErrorRecord,
): WriteDecision {
  return {
    kind: 'write',
    key,
    data,
    storeHash,
    idempotencyKey: context.idempotencyKeys
      ? idempotencyKey(context.connection, key, previous?.contentHash, sentHash)
      : undefined,
    previous,
    written,
    ...(conflict ? { conflict } : {}),
  };
}

/** The written state of a source record sent as it is. */
export function writtenState(data: Readonly<Record<string, unknown>>, context: PlanContext): WrittenState {
  return { version: sourceVersion(data, context.modifiedField), source: fieldDigests(data), target: {} };
}

export function sourceVersion(data: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function withParentTargetId(node: FlatNode, parent: ParentResolution | undefined): Readonly<Record<string, unknown>> {
  const field = node.spec.parent?.parentTargetIdField;
  if (field === undefined || !parent?.ok) return node.data;
  return { ...node.data, [field]: parent.targetId };
}
