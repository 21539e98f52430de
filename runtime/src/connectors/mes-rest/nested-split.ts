import { toTaktError } from '../../errors';
import type { RestEntityConfig } from './config';
import { fromError, type RecordOutcome } from './record-outcome';

export type Payload = Readonly<Record<string, unknown>>;

export interface TreeWriter {
  entity(name: string): RestEntityConfig;
  /** Sends flat records of one entity; one outcome each, in order. */
  send(spec: RestEntityConfig, payloads: readonly Payload[]): Promise<RecordOutcome[]>;
}

/**
 * Writes records with nested children in `split` mode: every parent first, then the children of the parents
 * that landed (each child told its parent's key and given the parent's inherited fields), level by level, so a
 * child never reaches the target before its parent. Children of a failed parent are not sent: the target would
 * only refuse them for the missing parent.
 *
 * A record's outcome stays one per input record. When a child fails, the record reports the first such failure
 * with the child's position (`parts[0]: operations[2]: …`) and keeps its own target id: the parent landed, the
 * record as a whole did not, and a re-send is safe because every level upserts.
 */
export async function writeTree(
  writer: TreeWriter,
  spec: RestEntityConfig,
  payloads: readonly Payload[],
): Promise<RecordOutcome[]> {
  const nested = spec.children?.mode === 'split' ? spec.children : undefined;
  if (!nested) return writer.send(spec, payloads);

  const outcomes = await writer.send(
    spec,
    payloads.map(({ [nested.field]: _children, ...parent }) => parent),
  );
  const parentKey = spec.keyFields[0] ?? '';
  const children: Payload[] = [];
  const owners: { readonly parent: number; readonly position: number }[] = [];
  payloads.forEach((payload, parent) => {
    const list = payload[nested.field];
    if (outcomes[parent]?.action === 'error' || !Array.isArray(list)) return;
    list.forEach((child: unknown, position) => {
      const own = typeof child === 'object' && child !== null ? (child as Payload) : {};
      const inherited = (nested.inherit ?? []).filter(
        (field) => own[field] === undefined && payload[field] !== undefined,
      );
      children.push({
        ...Object.fromEntries(inherited.map((field) => [field, payload[field]])),
        ...own,
        [nested.parentKeyField]: payload[parentKey],
      });
      owners.push({ parent, position });
    });
  });
  if (children.length === 0) return outcomes;

  let childOutcomes: RecordOutcome[];
  try {
    childOutcomes = await writeTree(writer, writer.entity(nested.entity), children);
  } catch (error) {
    // Nothing of the children could be sent (auth, target down): every parent that has children did not fully land.
    const failure = fromError(toTaktError(error));
    childOutcomes = children.map(() => failure);
  }
  childOutcomes.forEach((child, k) => {
    const owner = owners[k];
    const parent = owner === undefined ? undefined : outcomes[owner.parent];
    if (!owner || !parent || parent.action === 'error' || child.action !== 'error' || !child.error) return;
    outcomes[owner.parent] = {
      action: 'error',
      ...(parent.targetId === undefined ? {} : { targetId: parent.targetId }),
      error: { ...child.error, message: `${nested.field}[${owner.position}]: ${child.error.message}` },
    };
  });
  return outcomes;
}
