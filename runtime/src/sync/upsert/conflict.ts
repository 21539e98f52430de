import type { ErrorRecord } from '../../state';
import { contentHash } from '../content-hash';
import {
  sourceVersion,
  writeDecision,
  writtenState,
  type CheckDecision,
  type Decision,
  type PlanContext,
  type Remember,
} from './plan';
import { decodeWrittenState, digestOf, fieldDigests, targetBase, type WrittenState } from './written-state';

type Data = Readonly<Record<string, unknown>>;

/**
 * Decides a changed record under target_wins / newest_wins / merge / manual, given the target's current
 * record (undefined when the target has none). A conflict is a change on both sides since our last write:
 * the source's content hash differs from the id map's (that is why we are here) and the target's record
 * differs, in some field we manage, from what the id map says it held after our write.
 *
 * Target records are compared field by field with the fields we send; a target that rewrites values (a
 * decimal string read back as a number, a date in another format) looks changed to this check, so such
 * targets should use source_wins or newest_wins with a target modified-time field.
 */
export function resolveCheck(check: CheckDecision, target: Data | undefined, context: PlanContext): Decision {
  const { key, data, hash, mapping } = check;
  const sourceWrite = (): Decision =>
    writeDecision(key, data, hash, hash, mapping, writtenState(data, context), context);
  // The target lost the record (deleted behind our back): writing it again is the only way to converge.
  if (!target) return sourceWrite();
  const base = decodeWrittenState(mapping.sourceVersion);
  if (sameFields(data, target)) {
    return { kind: 'unchanged', key, targetId: mapping.targetId, remember: remember(check, data, context) };
  }
  // A merge is field by field even when the target did not change since: fields it kept from the target in
  // an earlier merge stay the target's until the source changes them.
  if (context.strategy === 'merge') return merge(check, target, base, context);
  const targetChanged = changedOnTarget(data, target, base);
  if (targetChanged.length === 0) return sourceWrite();
  const fields = targetChanged.join(', ');
  const keep = (reason: string): Decision => ({
    kind: 'skipped',
    key,
    targetId: mapping.targetId,
    reason,
    remember: remember(check, target, context),
  });
  switch (context.strategy) {
    case 'source_wins':
      return sourceWrite();
    case 'target_wins':
      return keep(`The target changed ${fields} since our last write; target_wins keeps the target's record.`);
    case 'manual':
      return {
        kind: 'conflict',
        key,
        targetId: mapping.targetId,
        error: conflict(
          `Source and target both changed ${key.externalId} since the last sync (target: ${fields}); manual resolution needed, nothing was written.`,
        ),
      };
    case 'newest_wins': {
      const sourceTime = sourceVersion(data, context.modifiedField);
      const targetTime = sourceVersion(target, context.targetModifiedField) ?? base.version;
      if (sourceTime === undefined || targetTime === undefined) {
        return {
          kind: 'conflict',
          key,
          targetId: mapping.targetId,
          error: conflict(
            `Source and target both changed ${key.externalId}, and newest_wins cannot tell which is newer: ` +
              `${sourceTime === undefined ? `the source record has no ${context.modifiedField}` : 'the target record has no modified time'}.`,
          ),
        };
      }
      if (compareTimes(sourceTime, targetTime) > 0) return sourceWrite();
      return keep(
        `The target's change (${targetTime}) is not older than the source's (${sourceTime}); newest_wins keeps the target's record.`,
      );
    }
  }
}

/** Three-way merge per top-level field against the digests of our last write. */
function merge(check: CheckDecision, target: Data, base: WrittenState, context: PlanContext): Decision {
  const { key, data, hash, mapping } = check;
  const merged: Record<string, unknown> = {};
  const conflicting: string[] = [];
  const keyFields = new Set(check.keyFields);
  for (const [field, value] of Object.entries(data)) {
    const mine = digestOf(value);
    const theirs = digestOf(target[field]);
    const sourceBase = base.source?.[field];
    const sourceChanged = sourceBase === undefined || mine !== sourceBase;
    const targetChanged = theirs !== targetBase(base, field);
    let chosen: unknown;
    // Key fields are the record's identity, and the modified time says when the source changed: both are
    // the source's whatever the target did, and never a conflict of their own.
    if (keyFields.has(field) || (field === context.modifiedField && sourceChanged)) chosen = value;
    else if (!sourceChanged) chosen = target[field];
    else if (!targetChanged || mine === theirs) chosen = value;
    else {
      chosen = target[field];
      conflicting.push(field);
    }
    if (chosen !== undefined) merged[field] = chosen;
  }
  const mergedDigests = fieldDigests(merged);
  const sourceDigests = fieldDigests(data);
  const differing: Record<string, string> = {};
  for (const field of Object.keys(data)) {
    const held = mergedDigests[field] ?? digestOf(undefined);
    if (held !== sourceDigests[field]) differing[field] = held;
  }
  const written: WrittenState = {
    version: sourceVersion(data, context.modifiedField),
    source: sourceDigests,
    target: differing,
  };
  const error =
    conflicting.length > 0
      ? conflict(
          `Source and target both changed ${conflicting.join(', ')} of ${key.externalId}; merge kept the target's ` +
            'values there and applied the other fields.',
        )
      : undefined;
  if (sameFields(merged, target)) {
    const rememberMerged = { contentHash: hash, targetId: mapping.targetId, written };
    return error
      ? { kind: 'conflict', key, targetId: mapping.targetId, error, remember: rememberMerged }
      : { kind: 'unchanged', key, targetId: mapping.targetId, remember: rememberMerged };
  }
  return writeDecision(key, merged, hash, contentHash(merged), mapping, written, context, error);
}

/** The managed fields whose target value differs from what the target held after our last write. */
function changedOnTarget(data: Data, target: Data, base: WrittenState): string[] {
  const fields = new Set([...Object.keys(data), ...Object.keys(base.source ?? {}), ...Object.keys(base.target)]);
  return [...fields].filter((field) => {
    const held = targetBase(base, field);
    return held === undefined || digestOf(target[field]) !== held;
  });
}

/** True when the target holds every field of `data` with the same value. */
function sameFields(data: Data, target: Data): boolean {
  return Object.entries(data).every(([field, value]) => digestOf(value) === digestOf(target[field]));
}

function remember(check: CheckDecision, held: Data, context: PlanContext): Remember {
  const source = fieldDigests(check.data);
  const targetDigests: Record<string, string> = {};
  for (const field of Object.keys(check.data)) {
    const digest = digestOf(held[field]);
    if (digest !== source[field]) targetDigests[field] = digest;
  }
  return {
    contentHash: check.hash,
    targetId: check.mapping.targetId,
    written: { version: sourceVersion(check.data, context.modifiedField), source, target: targetDigests },
  };
}

function compareTimes(a: string, b: string): number {
  const left = Date.parse(a);
  const right = Date.parse(b);
  if (Number.isFinite(left) && Number.isFinite(right)) return left - right;
  return a < b ? -1 : a > b ? 1 : 0;
}

function conflict(message: string): ErrorRecord {
  return { code: 'SYNC_CONFLICT', message, retryable: false };
}
