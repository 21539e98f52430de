import type { FlatNode } from './flatten';
import { isRecordKey, keyString } from './record-key';

/**
 * Records of one input sharing a key (same entity, source and external id): the last one wins, as a later
 * version of the same record would in the source. Returns, for each earlier one, the path of the record
 * that supersedes it; those are reported `skipped` and never sent, so the target sees one write per key.
 */
export function findSuperseded(nodes: readonly FlatNode[]): Map<number, string> {
  const last = new Map<string, FlatNode>();
  for (const node of nodes) {
    if (isRecordKey(node.key)) last.set(keyString(node.key), node);
  }
  const superseded = new Map<number, string>();
  for (const node of nodes) {
    if (!isRecordKey(node.key)) continue;
    const winner = last.get(keyString(node.key));
    if (winner && winner !== node) superseded.set(node.ordinal, winner.path);
  }
  return superseded;
}
