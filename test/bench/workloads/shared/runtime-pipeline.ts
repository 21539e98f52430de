import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  compileMapping,
  fromPreset,
  startJob,
  upsertSync,
  type CompiledMapping,
  type MappingSpec,
  type StateStore,
} from '@takt/runtime';
import { AcknowledgingTarget } from './ack-target';
import { lastChangeDateTime, SAP_ORDER_PRESET, SAP_SOURCE } from './sap-orders';

/**
 * W1's pipeline as the runtime runs it, shared by W1 (SQLite), W3 (the unchanged replay) and W4
 * (PostgreSQL): the SAP production-order preset compiled once, then per page of 1,000 records
 * map → upsertSync (content hash → dedup and plan against the id map → one target call → one commit of id
 * map rows, hashes, job counters and the stream cursor).
 */
export const PAGE_SIZE = 1000;
export const CONNECTION = 'bench-mes';
export const TARGET_ENTITY = 'work-orders';
export const STREAM = 'sap/production-orders';

export function orderMappingSpec(): MappingSpec {
  return fromPreset(SAP_ORDER_PRESET, { source: SAP_SOURCE });
}

export function compileOrderMapping(): CompiledMapping {
  return compileMapping(orderMappingSpec(), { direction: 'inbound' });
}

export function newTarget(): AcknowledgingTarget {
  return new AcknowledgingTarget(TARGET_ENTITY, 'work_order', ['external_source', 'external_id']);
}

/** Milliseconds per stage, summed over an iteration (the harness turns them into µs per record). */
export class StageTotals {
  private readonly totals: Record<string, number> = {};

  add(stage: string, ms: number): void {
    this.totals[stage] = (this.totals[stage] ?? 0) + ms;
  }

  get stages(): Readonly<Record<string, number>> {
    return { ...this.totals };
  }
}

/** Maps one page and fails the workload on any record the preset refused: a wrong answer is no result. */
export async function mapPage(
  mapping: CompiledMapping,
  page: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const results = await mapping.mapAll(page);
  const out: Record<string, unknown>[] = new Array<Record<string, unknown>>(results.length);
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    if (!result?.ok) throw new Error(`the preset refused record ${i} of a page: ${JSON.stringify(result)}`);
    out[i] = result.output;
  }
  return out;
}

/** SHA-256 over JSON.stringify: the floor's hash (no canonical ordering, no NFC, no per-field digests). */
export function rawHash(record: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(record), 'utf8').digest('hex');
}

export interface RuntimePassResult {
  readonly created: number;
  readonly unchanged: number;
  readonly other: number;
  readonly writeCalls: number;
  readonly commits: number;
  readonly watermark: string | undefined;
  readonly jobId: string;
}

/**
 * One pass over `records[0, count)` through the runtime, a page at a time. Stages: `map` (the compiled
 * preset); from upsertSync's onStage hook, `plan` (call start → every record decided: flatten, cursor and
 * job reads, id-map lookup, content hash, per-field digests, idempotency keys), `target` (the write call),
 * `commit` (settling results + the store's one transaction) and `results` (commit → return).
 */
export async function runtimePass(options: {
  readonly store: StateStore;
  readonly mapping: CompiledMapping;
  readonly target: AcknowledgingTarget;
  readonly records: readonly Record<string, unknown>[];
  readonly count: number;
  readonly stages: StageTotals;
}): Promise<RuntimePassResult> {
  const { store, mapping, target, records, count, stages } = options;
  const job = await startJob(store, {
    connection: CONNECTION,
    entity: TARGET_ENTITY,
    kind: 'incremental',
    direction: 'inbound',
  });
  let created = 0;
  let unchanged = 0;
  let other = 0;
  let writeCalls = 0;
  let commits = 0;
  let watermark: string | undefined;
  for (let start = 0; start < count; start += PAGE_SIZE) {
    const end = Math.min(count, start + PAGE_SIZE);
    const page = records.slice(start, end);
    const began = performance.now();
    const canonical = await mapPage(mapping, page);
    let mark = performance.now();
    stages.add('map', mark - began);
    const { summary } = await upsertSync({
      store,
      connector: target,
      connection: CONNECTION,
      entity: TARGET_ENTITY,
      records: canonical,
      batchSize: PAGE_SIZE,
      job,
      // The page's cursor, as a connector reports it: the last record's LastChangeDateTime.
      stream: { name: STREAM, cursor: lastChangeDateTime(end - 1) },
      onStage: (stage) => {
        const now = performance.now();
        stages.add(stage === 'planned' ? 'plan' : stage === 'written' ? 'target' : 'commit', now - mark);
        mark = now;
      },
    });
    stages.add('results', performance.now() - mark);
    created += summary.created;
    unchanged += summary.unchanged;
    other += summary.total - summary.created - summary.unchanged;
    writeCalls += summary.writeCalls;
    commits += summary.commits;
    watermark = summary.watermark ?? watermark;
  }
  await job.finish();
  return { created, unchanged, other, writeCalls, commits, watermark, jobId: job.id };
}
