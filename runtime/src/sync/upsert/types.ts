import type { Connector } from '../../connectors';
import type { JobRun } from '../../jobs';
import type { ErrorRecord, Lease, StateStore } from '../../state';

/**
 * What happens when the source and the target both changed a record since our last write:
 * - `source_wins`: write the source's record (no target read: the cheapest, and the default);
 * - `target_wins`: keep the target's record, report `skipped`, and remember the source version as seen;
 * - `newest_wins`: compare the source's modified time with the target's (or, when the target has none, with
 *   the modified time we last wrote); the newer one wins, a tie keeps the target;
 * - `merge`: write the fields only the source changed, keep the fields only the target changed, keep the
 *   target's value where both changed differently and report those fields as a conflict (once);
 * - `manual`: write nothing and report `conflict` on every run until someone resolves it.
 */
export type ConflictStrategy = 'source_wins' | 'target_wins' | 'newest_wins' | 'merge' | 'manual';

export const CONFLICT_STRATEGIES: readonly ConflictStrategy[] = [
  'source_wins',
  'target_wins',
  'newest_wins',
  'merge',
  'manual',
];

export type UpsertAction = 'created' | 'updated' | 'unchanged' | 'skipped' | 'conflict' | 'error';

/** Records per target call unless configured, and the most one call may carry whatever is configured. */
export const DEFAULT_UPSERT_BATCH_SIZE = 100;
export const MAX_UPSERT_BATCH_SIZE = 1000;

/** The identity canonical records carry: the upsert key unless `keyFields` says otherwise. */
export const IDENTITY_KEY_FIELDS = ['external_source', 'external_id'] as const;

/**
 * Children nested in a parent record (`job.parts[]`, `part.operations[]`). Each child is written after its
 * parent, to its own target entity, with the parent's external id in `parentField`.
 */
export interface UpsertChildren {
  /** The parent's field holding the child array ("parts"). It is not sent with the parent. */
  readonly field: string;
  /** The target entity the children are written to. */
  readonly entity: string;
  /** The child's field naming its parent's external id ("job_external_id"); filled from the nesting. */
  readonly parentField: string;
  /** When set, the parent's target id is written into this field of the child's data. */
  readonly parentTargetIdField?: string;
  /** Fields a child takes from its parent when it has none. Default `["external_source"]`. */
  readonly inherit?: readonly string[];
  /** Their own children (part → operations). */
  readonly children?: readonly UpsertChildren[];
}

/** For flat input: the field naming the parent's external id, resolved to its target id through the id map. */
export interface ParentLink {
  /** The parent's target entity. */
  readonly entity: string;
  /** The field holding the parent's external id; a record without a value there has no parent. */
  readonly field: string;
  readonly parentTargetIdField?: string;
}

/**
 * A hook at each batch boundary: progress for hosts ("synced 450/1000"), fault points for crash tests.
 * `planned` once every record of the batch is decided (nothing sent yet); `written` once the target answered
 * the batch's write call (only when the batch had something to write); `committed` after its local commit.
 */
export type UpsertStage = 'planned' | 'written' | 'committed';

export interface UpsertBatchInfo {
  /** 1-based, over the whole call. */
  readonly number: number;
  readonly entity: string;
  /** 0 for the input's own records, 1 for their children, and so on. */
  readonly level: number;
  /** Top-level input indexes the batch's records belong to (first and last). */
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly size: number;
}

export interface UpsertStream {
  /** The cursor's stream name (one per connection + entity). */
  readonly name: string;
  /**
   * The cursor value reached once the top-level record at `index` and everything before it are applied:
   * each commit carries the value of the last record of its chunk. The input must be in cursor order.
   */
  readonly cursorOf?: (record: Readonly<Record<string, unknown>>, index: number) => string | undefined;
  /** One cursor for the whole input (a page's cursor): committed with the last batch only. */
  readonly cursor?: string;
}

export interface UpsertSyncOptions {
  readonly store: StateStore;
  readonly connector: Connector;
  /** Names the connection in the id map, in job records and in idempotency keys. */
  readonly connection: string;
  /** The target entity of the input's own records (children name theirs in `children`). */
  readonly entity: string;
  /**
   * The canonical entity of the input, for the default nesting and parent links (CANONICAL_ENTITIES).
   * Default: the connector's descriptor's `canonical` for `entity`, else `entity` itself.
   */
  readonly canonical?: string;
  /** The id map's source for custom `keyFields`; identity keys use each record's `external_source`. */
  readonly source?: string;
  readonly records: readonly Readonly<Record<string, unknown>>[];
  /** Fields identifying a record; default external_source + external_id. */
  readonly keyFields?: readonly string[];
  /** Default `source_wins`. */
  readonly strategy?: ConflictStrategy;
  /** The source's modified-time field, for `newest_wins` and the stored source version. Default `changed_at`. */
  readonly modifiedField?: string;
  /** The target's modified-time field for `newest_wins`; default `modifiedField`. */
  readonly targetModifiedField?: string;
  /** Nested children; default from CANONICAL_ENTITIES (job → parts → operations). `[]` turns nesting off. */
  readonly children?: readonly UpsertChildren[];
  /** Parent link of flat input; default from CANONICAL_ENTITIES. `null` turns it off. */
  readonly parent?: ParentLink | null;
  /** Records per target call; default 100, capped at 1000. */
  readonly batchSize?: number;
  /** Send a deterministic idempotency key with every write. Default true (a connector that cannot carry one ignores it). */
  readonly idempotencyKeys?: boolean;
  /** Every commit is fenced by this lease. */
  readonly lease?: Lease;
  /** Moves this stream's cursor with each complete chunk, in the same commit as its records. */
  readonly stream?: UpsertStream;
  /** Counters and per-record errors commit with each batch; cancel is checked between batches. */
  readonly job?: JobRun;
  readonly signal?: AbortSignal;
  readonly onStage?: (stage: UpsertStage, batch: UpsertBatchInfo) => void | Promise<void>;
}

export interface UpsertRecordResult {
  /** The top-level input index the record belongs to. */
  readonly index: number;
  /** "3" for input record 3, "3.parts[2].operations[1]" for a nested child. */
  readonly path: string;
  readonly entity: string;
  readonly action: UpsertAction;
  readonly externalId?: string;
  readonly targetId?: string;
  /** Why a record was skipped (a later duplicate, the target kept its change, the run was cancelled). */
  readonly reason?: string;
  /** For `error` and `conflict`. */
  readonly error?: ErrorRecord;
}

export interface UpsertSummary {
  /** Records handled, nested children included. */
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly conflict: number;
  readonly error: number;
  /** Target write calls made. */
  readonly writeCalls: number;
  /** Target reads made by conflict checks. */
  readonly readCalls: number;
  /** Local commits made. */
  readonly commits: number;
  /** The cursor committed last by this call, when it carried a stream. */
  readonly watermark: string | undefined;
  /** Set when the call stopped early: ABORTED on cancel, or the target failure that stopped it. */
  readonly stoppedBy: ErrorRecord | undefined;
}

export interface UpsertSyncResult {
  /** One per record, nested children included, in input order (a child after its parent). */
  readonly results: readonly UpsertRecordResult[];
  readonly summary: UpsertSummary;
}
