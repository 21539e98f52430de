import type { ErrorRecord, IdMapping, StateStore } from '../../state';
import type { FlatNode } from './flatten';
import type { ParentResolution } from './plan';
import { keyString, type RecordKey } from './record-key';

/** What this call did with a key: its target id, or the failure its children must report. */
export type Outcome =
  | { readonly ok: true; readonly targetId: string }
  | { readonly ok: false; readonly path: string; readonly error: ErrorRecord };

/**
 * The parent of each record that has one, as a target id or a PARENT_FAILED error naming the parent. A
 * parent is looked up first in this call's outcomes (parents are written in earlier batches, so a parent
 * created a moment ago resolves without a read), then in the id map (written by an earlier call).
 */
export async function resolveParents(
  nodes: readonly FlatNode[],
  outcomes: ReadonlyMap<string, Outcome>,
  store: StateStore,
  connection: string,
): Promise<Map<number, ParentResolution>> {
  const resolved = new Map<number, ParentResolution>();
  const pending: { node: FlatNode; key: RecordKey }[] = [];
  for (const node of nodes) {
    const parent = node.parent;
    if (!parent) continue;
    if (!parent.key) {
      resolved.set(
        node.ordinal,
        failed(
          `The parent at ${parent.kind === 'nested' ? parent.path : '?'} has no usable key (see its own error); this record was not sent.`,
        ),
      );
      continue;
    }
    const outcome = outcomes.get(keyString(parent.key));
    if (!outcome) pending.push({ node, key: parent.key });
    else if (outcome.ok) resolved.set(node.ordinal, { ok: true, targetId: outcome.targetId });
    else {
      resolved.set(
        node.ordinal,
        failed(
          `The parent ${parent.key.entity} "${parent.key.externalId}" (at ${outcome.path}) failed with ` +
            `${outcome.error.code}; this record was not sent.`,
          // A parent that failed for a passing reason (the target was down) leaves its children retryable.
          outcome.error.retryable,
        ),
      );
    }
  }
  const mappings = await lookup(
    store,
    connection,
    pending.map((entry) => entry.key),
  );
  for (const { node, key } of pending) {
    const mapping = mappings.get(keyString(key));
    resolved.set(
      node.ordinal,
      mapping
        ? { ok: true, targetId: mapping.targetId }
        : failed(
            `The parent ${key.entity} "${key.externalId}" has no target id: it is not in this input ahead of ` +
              'the record and was not synced before; this record was not sent.',
          ),
    );
  }
  return resolved;
}

/** Id map rows for keys of any entities and sources, by key string; one store call per (entity, source). */
export async function lookup(
  store: StateStore,
  connection: string,
  keys: readonly RecordKey[],
): Promise<Map<string, IdMapping>> {
  const groups = new Map<string, { entity: string; source: string; ids: Set<string> }>();
  for (const key of keys) {
    const id = `${key.entity}\u0000${key.source}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { entity: key.entity, source: key.source, ids: new Set() }));
    group.ids.add(key.externalId);
  }
  const found = new Map<string, IdMapping>();
  for (const group of groups.values()) {
    const rows = await store.getIdMappings({ connection, entity: group.entity, source: group.source }, [...group.ids]);
    for (const [externalId, row] of rows) {
      found.set(keyString({ entity: group.entity, source: group.source, externalId }), row);
    }
  }
  return found;
}

function failed(message: string, retryable = false): ParentResolution {
  return { ok: false, error: { code: 'PARENT_FAILED', message, retryable } };
}
