import type { ErrorRecord } from '../../state';
import { isPlainObject } from '../content-hash';
import type { LevelSpec } from './nesting';
import { isRecordKey, keyOf, type RecordKey } from './record-key';

/** One record of the input, nested children included, ready to plan. */
export interface FlatNode {
  /** Depth-first position: results are reported in this order (a child right after its parent's subtree starts). */
  readonly ordinal: number;
  /** The top-level input index the record belongs to. */
  readonly index: number;
  /** "3", "3.parts[2]", "3.parts[2].operations[1]". */
  readonly path: string;
  readonly level: number;
  readonly spec: LevelSpec;
  /** What is sent: the record without its nested child lists, inherited fields and the parent field filled. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The record's key, or why it cannot be upserted (KEY_MISSING, RECORD_INVALID). */
  readonly key: RecordKey | ErrorRecord;
  /** The parent this record must be written after, when it has one. */
  readonly parent: ParentRef | undefined;
  /** The original input value, kept in job errors so a retry can run without the source. */
  readonly input: unknown;
}

export type ParentRef =
  /** Nested: the parent is in the input; `key` is undefined when the parent itself has no usable key. */
  | { readonly kind: 'nested'; readonly path: string; readonly key: RecordKey | undefined }
  /** Flat: named by external id, resolved through the id map. */
  | { readonly kind: 'linked'; readonly key: RecordKey };

/**
 * Flattens the input into records per nesting level, depth first. A child takes the fields its spec inherits
 * (external_source) when it has none, and its parent field is filled with the parent's external id; a child
 * naming a different parent than the one it is nested in is refused rather than guessed at.
 */
export function flatten(records: readonly unknown[], spec: LevelSpec): FlatNode[] {
  const nodes: FlatNode[] = [];
  records.forEach((record, index) => visit(record, index, String(index), 0, spec, undefined, nodes));
  return nodes;
}

interface NestingParent {
  readonly node: FlatNode;
  readonly data: Readonly<Record<string, unknown>>;
}

function visit(
  input: unknown,
  index: number,
  path: string,
  level: number,
  spec: LevelSpec,
  parent: NestingParent | undefined,
  out: FlatNode[],
): void {
  const ordinal = out.length;
  const base = { ordinal, index, path, level, spec, input };
  if (!isPlainObject(input)) {
    out.push({
      ...base,
      data: {},
      key: invalid(`The record at ${path} is not an object.`),
      parent: parent && nestedRef(parent.node),
    });
    return;
  }
  const data: Record<string, unknown> = {};
  const childFields = new Set(spec.children.map((child) => child.field));
  for (const [field, value] of Object.entries(input)) {
    if (!childFields.has(field)) data[field] = value;
  }
  if (parent) {
    for (const field of spec.inherit) {
      if ((data[field] === undefined || data[field] === null) && parent.data[field] !== undefined) {
        data[field] = parent.data[field];
      }
    }
  }
  let problem: ErrorRecord | undefined;
  if (parent && spec.parent) {
    const parentId = parent.node.key;
    const named = data[spec.parent.field];
    if (isRecordKey(parentId)) {
      if (named !== undefined && named !== null && named !== parentId.externalId) {
        problem = invalid(
          `The record at ${path} names ${spec.parent.field} "${String(named)}" but is nested under ` +
            `"${parentId.externalId}".`,
        );
      }
      data[spec.parent.field] = parentId.externalId;
    }
  }
  for (const child of spec.children) {
    const value = input[child.field];
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      problem ??= invalid(`The field "${child.field}" of the record at ${path} must be a list of records.`);
    }
  }
  const key = problem ?? keyOf(spec.entity, data, spec.keyFields, spec.source);
  const node: FlatNode = { ...base, data, key, parent: parentRef(spec, data, key, parent) };
  out.push(node);
  for (const child of spec.children) {
    const value = input[child.field];
    if (!Array.isArray(value)) continue;
    value.forEach((element: unknown, position) =>
      visit(element, index, `${path}.${child.field}[${position}]`, level + 1, child.spec, { node, data }, out),
    );
  }
}

function nestedRef(parent: FlatNode): ParentRef {
  return { kind: 'nested', path: parent.path, key: isRecordKey(parent.key) ? parent.key : undefined };
}

function parentRef(
  spec: LevelSpec,
  data: Readonly<Record<string, unknown>>,
  key: RecordKey | ErrorRecord,
  parent: NestingParent | undefined,
): ParentRef | undefined {
  if (parent) return nestedRef(parent.node);
  if (!spec.parent || !isRecordKey(key)) return undefined;
  const named = data[spec.parent.field];
  const externalId =
    typeof named === 'string' && named.trim() !== ''
      ? named.normalize('NFC')
      : typeof named === 'number' && Number.isSafeInteger(named)
        ? String(named)
        : undefined;
  if (externalId === undefined) return undefined;
  // A flat record's parent lives under the record's own source: one external system names both.
  return { kind: 'linked', key: { entity: spec.parent.entity, source: key.source, externalId } };
}

function invalid(message: string): ErrorRecord {
  return { code: 'RECORD_INVALID', message, retryable: false };
}
