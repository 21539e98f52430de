import { TaktError } from '../../errors';
import type { FlatNode } from './flatten';
import { DEFAULT_UPSERT_BATCH_SIZE, MAX_UPSERT_BATCH_SIZE } from './types';

/** Records of one entity and nesting level, written in one target call and committed in one transaction. */
export interface Batch {
  readonly entity: string;
  readonly level: number;
  readonly nodes: readonly FlatNode[];
}

/**
 * `batchSize` top-level records and all their nested children: the unit a stream cursor can move past,
 * since a job is complete only once its parts and their operations are written.
 */
export interface Chunk {
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** Parents before children: level 0's batches, then level 1's, and so on. */
  readonly batches: readonly Batch[];
}

/** The configured batch size: default 100; above the hard maximum of 1000 the input is split at 1000. */
export function effectiveBatchSize(configured: number | undefined): number {
  if (configured === undefined) return DEFAULT_UPSERT_BATCH_SIZE;
  if (!Number.isInteger(configured) || configured < 1) {
    throw new TaktError('CONFIG_INVALID', `The batch size must be a whole number ≥ 1, not ${configured}.`);
  }
  return Math.min(configured, MAX_UPSERT_BATCH_SIZE);
}

/**
 * Splits the flattened input into chunks of `batchSize` top-level records, and each chunk into batches of at
 * most `batchSize` records per (level, entity), in dependency order. Input order is kept inside a batch.
 */
export function chunkInput(nodes: readonly FlatNode[], recordCount: number, batchSize: number): Chunk[] {
  const chunks: Chunk[] = [];
  const byChunk = new Map<number, FlatNode[]>();
  for (const node of nodes) {
    const chunk = Math.floor(node.index / batchSize);
    let list = byChunk.get(chunk);
    if (!list) byChunk.set(chunk, (list = []));
    list.push(node);
  }
  for (let chunk = 0; chunk * batchSize < recordCount; chunk += 1) {
    const members = byChunk.get(chunk) ?? [];
    const groups = new Map<string, { entity: string; level: number; nodes: FlatNode[] }>();
    for (const node of members) {
      const id = `${node.level}\u0000${node.spec.entity}`;
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { entity: node.spec.entity, level: node.level, nodes: [] }));
      group.nodes.push(node);
    }
    const ordered = [...groups.values()].sort((a, b) => a.level - b.level);
    const batches: Batch[] = [];
    for (const group of ordered) {
      for (let start = 0; start < group.nodes.length; start += batchSize) {
        batches.push({ entity: group.entity, level: group.level, nodes: group.nodes.slice(start, start + batchSize) });
      }
    }
    chunks.push({
      firstIndex: chunk * batchSize,
      lastIndex: Math.min(recordCount, (chunk + 1) * batchSize) - 1,
      batches,
    });
  }
  return chunks;
}
