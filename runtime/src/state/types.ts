/**
 * The StateStore port: everything Takt must remember between runs, behind one contract that the memory,
 * SQLite and PostgreSQL adapters all pass (see contract.ts). Times are epoch milliseconds read from the
 * store's Clock, so workers sharing a PostgreSQL store must have synchronised clocks (NTP); lease and claim
 * TTLs should be far larger than any skew between them.
 */

/** A cursor per stream (e.g. one per connection + entity): an opaque value and a version for compare-and-set. */
export interface CursorState {
  readonly stream: string;
  /** Opaque to the store: a watermark, a delta link, a JSON document. */
  readonly value: string;
  /** Starts at 1 with the first commit; every commit must name the version it read. */
  readonly version: number;
  readonly updatedAt: number;
}

/**
 * One writer per stream. `fence` grows by one every time the lease changes hands (or is re-taken after
 * expiry), so a commit carrying an old fence is provably from a worker that lost the lease.
 */
export interface Lease {
  readonly stream: string;
  readonly owner: string;
  readonly fence: number;
  readonly expiresAt: number;
}

export interface IdMapKey {
  readonly connection: string;
  readonly entity: string;
  /** The external system the record came from (`external_source` in MES terms, e.g. "sap-prd-100"). */
  readonly source: string;
  readonly externalId: string;
}

export interface IdMapping extends IdMapKey {
  readonly targetId: string;
  /** Hash of the canonical content last written, to skip unchanged records. */
  readonly contentHash: string;
  /** The source's own version or modified time of what was written, when it has one. */
  readonly sourceVersion: string | undefined;
  readonly updatedAt: number;
}

export type IdMapUpsert = Omit<IdMapping, 'updatedAt' | 'sourceVersion'> & { readonly sourceVersion?: string };

/** The outcome of an insert-if-absent claim on a dedup key. */
export type ClaimResult =
  | {
      readonly status: 'claimed';
      readonly expiresAt: number;
      /** Failed attempts recorded by earlier releases of this key (0 on first sight): the redelivery count. */
      readonly attempts: number;
      /** The error of the last failed attempt, when there was one. */
      readonly lastError?: ErrorRecord;
    }
  | { readonly status: 'in_progress'; readonly owner: string; readonly expiresAt: number }
  | { readonly status: 'duplicate'; readonly doneAt: number };

/** An error as stored in job logs, dead letters and the outbox: code, redacted message, retryable. */
export interface ErrorRecord {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxInsert {
  readonly connection: string;
  readonly entity: string;
  /** Entries with the same key go out in insertion order (store-and-forward keeps per-key order). */
  readonly orderKey: string;
  /** Deterministic, so a re-send after a crash is recognised by the target as the same write. */
  readonly idempotencyKey: string;
  readonly payload: unknown;
  /**
   * Store-and-forward of state, not of events: when the newest entry of this order key is still pending, it
   * takes this payload and idempotency key (its revision grows) instead of a new row being queued, so a
   * target that was down for an hour receives each key's latest state once, not every intermediate one.
   */
  readonly coalesce?: boolean;
}

export interface OutboxEntry extends Omit<OutboxInsert, 'coalesce'> {
  readonly id: number;
  /** Starts at 1 and grows with every coalesced replacement of the payload. */
  readonly revision: number;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: ErrorRecord | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * The outcome of one send. `revision` is the revision that was sent: when the entry was coalesced meanwhile
 * (a newer payload is waiting), the update is skipped and the entry stays pending with the newer payload.
 */
export type OutboxUpdate =
  | { readonly id: number; readonly revision: number; readonly status: 'sent' }
  | {
      readonly id: number;
      readonly revision: number;
      readonly status: 'pending';
      readonly nextAttemptAt: number;
      readonly error: ErrorRecord;
    }
  | { readonly id: number; readonly revision: number; readonly status: 'dead'; readonly error: ErrorRecord };

export type DeadLetterStatus = 'open' | 'resolved';

export interface DeadLetterInsert {
  /** Where the record belongs: a stream, a webhook endpoint, an outbox connection. */
  readonly scope: string;
  /** Its business key (external id, event id), so replay and "is it still failing" can find it. */
  readonly key: string;
  readonly payload: unknown;
  readonly error: ErrorRecord;
  readonly attempts: number;
  readonly jobId?: string;
}

export interface DeadLetter extends Omit<DeadLetterInsert, 'jobId'> {
  readonly id: number;
  readonly jobId: string | undefined;
  readonly status: DeadLetterStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly resolvedAt: number | undefined;
  readonly resolution: string | undefined;
}

export type JobKind = 'full' | 'incremental' | 'single' | 'push' | 'events' | 'replay';
export type JobDirection = 'inbound' | 'outbound';
/**
 * pending → in_progress → success | failed | cancelled; skipped when the run did not happen (another worker held
 * the stream, nothing was due). A run in which some records failed ends `failed` with its per-record errors, so
 * "retry failed records" has something to work on; `success` means every record succeeded.
 */
export type JobStatus = 'pending' | 'in_progress' | 'success' | 'failed' | 'skipped' | 'cancelled';
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['success', 'failed', 'skipped', 'cancelled'];

export const JOB_COUNTERS = ['read', 'created', 'updated', 'unchanged', 'skipped', 'conflict', 'failed'] as const;
export type JobCounter = (typeof JOB_COUNTERS)[number];
export type JobCounters = Readonly<Record<JobCounter, number>>;

export interface JobCreate {
  readonly id: string;
  readonly connection: string;
  readonly entity: string;
  readonly kind: JobKind;
  readonly direction: JobDirection;
  /** Records the run will process, when known up front (a push of N records); drives progress percent. */
  readonly total?: number;
  /** The job this one retries (over its failed records) or replays. */
  readonly parentJobId?: string;
  /** Non-secret parameters of the run (mode, filters); redacted before storing all the same. */
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface SyncJob {
  readonly id: string;
  readonly connection: string;
  readonly entity: string;
  readonly kind: JobKind;
  readonly direction: JobDirection;
  readonly parentJobId: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: JobStatus;
  readonly total: number | undefined;
  readonly counters: JobCounters;
  readonly error: ErrorRecord | undefined;
  readonly cancelRequested: boolean;
  /** When the job was created (pending). */
  readonly createdAt: number;
  /** When it went in_progress; undefined while pending. */
  readonly startedAt: number | undefined;
  readonly heartbeatAt: number;
  readonly finishedAt: number | undefined;
}

/** Which jobs `listJobs` returns; every given criterion must hold. */
export interface JobFilter {
  readonly connection?: string;
  readonly entity?: string;
  readonly kind?: JobKind;
  readonly status?: JobStatus;
  /** Jobs whose heartbeat is older than this; with status in_progress, the stale ones (their worker died). */
  readonly heartbeatBefore?: number;
  readonly limit?: number;
}

export type JobUpdate =
  | { readonly status: 'in_progress'; readonly total?: number }
  | { readonly status: Exclude<JobStatus, 'pending' | 'in_progress'>; readonly error?: ErrorRecord }
  | { readonly total: number; readonly status?: undefined };

export interface JobRecordError extends ErrorRecord {
  /** Index of the record in the job's input (or its read order), so a host can pair it with its item. */
  readonly recordIndex: number;
  readonly entity?: string;
  /** The record's id in the system it came from (external id). */
  readonly externalId?: string;
  /** The record's id in the target, when it had one. */
  readonly targetId?: string;
  /** The input record, so "retry failed records" can run without the source; redacted before storing. */
  readonly payload?: unknown;
}

export interface StoredJobRecordError extends JobRecordError {
  readonly jobId: string;
  readonly createdAt: number;
}

/**
 * The local effects of one batch, applied in one transaction or not at all. The store first checks the
 * fences (lease, cursor version, claim owners) and throws LEASE_LOST / CURSOR_VERSION_CONFLICT /
 * CLAIM_NOT_OWNED with nothing written if any fails; then it writes everything.
 */
export interface CommitUnit {
  /** Commit only while this lease is still held (same owner and fence, not expired). */
  readonly lease?: Lease;
  /** Compare-and-set: `expectedVersion` is the version read (0 when the stream had no cursor). */
  readonly cursor?: { readonly stream: string; readonly expectedVersion: number; readonly value: string };
  readonly idMap?: readonly IdMapUpsert[];
  /** Claims this batch completes: they become "done" and report duplicate for `retainMs`. */
  readonly claimsDone?: readonly {
    readonly scope: string;
    readonly key: string;
    readonly owner: string;
    readonly retainMs: number;
  }[];
  readonly outbox?: readonly OutboxInsert[];
  readonly outboxUpdates?: readonly OutboxUpdate[];
  readonly deadLetters?: readonly DeadLetterInsert[];
  readonly job?: {
    readonly id: string;
    readonly counters?: Partial<JobCounters>;
    readonly errors?: readonly JobRecordError[];
  };
}

/**
 * What a trigger handed to a host and must be acknowledged: the state that acknowledging it commits. Until the
 * ACK nothing of it is applied, so a host that crashes mid-workflow gets the same records again once the
 * delivery expires (at-least-once end to end, whatever the host's own cursor did).
 */
export interface DeliveryInsert {
  /** Unguessable, handed to the host with the records and given back to acknowledge them. */
  readonly token: string;
  readonly stream: string;
  /** Applied by `ackDelivery` as one commit unit (its cursor compare-and-set and fences included). */
  readonly commit: Omit<CommitUnit, 'lease'>;
  /** Records the delivery carries, for messages and statistics. */
  readonly records: number;
  /** After this the delivery counts as lost and its records are handed out again. */
  readonly expiresAt: number;
}

export type DeliveryStatus = 'pending' | 'acked' | 'expired';

export interface Delivery extends Omit<DeliveryInsert, 'commit'> {
  /** `expired` is computed: pending past `expiresAt`. */
  readonly status: DeliveryStatus;
  readonly createdAt: number;
  readonly ackedAt: number | undefined;
}

export type AckResult =
  /** Applied now: its cursor version when it carried a cursor. */
  | { readonly status: 'acked'; readonly cursorVersion: number | undefined }
  /** Applied earlier; a repeated ACK changes nothing. */
  | { readonly status: 'already_acked' }
  | { readonly status: 'unknown' };

export interface CommitResult {
  /** The cursor's new version when the unit carried a cursor. */
  readonly cursorVersion: number | undefined;
  /** Ids of the outbox entries inserted, in order. */
  readonly outboxIds: readonly number[];
  readonly deadLetterIds: readonly number[];
}

export interface ListOptions {
  readonly limit?: number;
  /** Keyset paging: return entries with an id greater than this. */
  readonly afterId?: number;
}

/**
 * What `prune` may delete: each field is a cutoff in epoch ms by the store's clock, and each defaults to 30 days
 * before now (PRUNE_DEFAULT_AGE_MS). A record newer than its cutoff stays; one that could still change an
 * answer never goes, whatever the cutoff (see each field).
 */
export interface PruneOptions {
  /**
   * Claims done or released whose `expires_at` is before this, and in-progress claims that expired before it
   * (their worker died). Capped at now, so a claim still answering `duplicate` or `in_progress` is kept. Not
   * `now` by default: a released claim's expiry is its release time and it carries the redelivery count
   * (attempts, last error), which a prune between two redeliveries would reset.
   */
  readonly claimsBefore?: number;
  /** Sent outbox entries last updated before this; pending and dead entries are never pruned. */
  readonly outboxSentBefore?: number;
  /**
   * Acknowledged deliveries acked before this (a repeated ACK then answers `unknown`), and pending ones that
   * expired before it (capped at now, so an unexpired delivery is kept).
   */
  readonly deliveriesBefore?: number;
  /** Resolved dead letters resolved before this; open ones are never pruned. */
  readonly deadLettersResolvedBefore?: number;
  /** Jobs in a terminal status finished before this, with their record errors; pending and running ones stay. */
  readonly jobsFinishedBefore?: number;
}

export const PRUNE_DEFAULT_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/** Rows deleted per kind. */
export interface PruneResult {
  readonly claims: number;
  readonly outbox: number;
  readonly deliveries: number;
  readonly deadLetters: number;
  readonly jobs: number;
  /** Record errors of the pruned jobs. */
  readonly jobErrors: number;
}

export interface StateStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres';

  getCursor(stream: string): Promise<CursorState | undefined>;

  /** Takes the lease when it is free, expired, or already ours (then only the expiry moves). */
  acquireLease(stream: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a lease still held; throws LEASE_LOST otherwise. */
  renewLease(lease: Lease, ttlMs: number): Promise<Lease>;
  /** Gives the lease up early so another worker need not wait for expiry; a lost lease is left alone. */
  releaseLease(lease: Lease): Promise<void>;
  getLease(stream: string): Promise<Lease | undefined>;

  getIdMappings(
    key: { readonly connection: string; readonly entity: string; readonly source: string },
    externalIds: readonly string[],
  ): Promise<Map<string, IdMapping>>;

  /**
   * Atomic insert-if-absent; a released claim, an expired one (its worker died) and a done one past its retention
   * can be taken again. Failed attempts carry over to the next claim, except after a done claim expired: that is
   * a new event under an old key, so its count starts at 0.
   */
  claim(scope: string, key: string, owner: string, ttlMs: number): Promise<ClaimResult>;
  /** Marks one claim done outside a batch; throws CLAIM_NOT_OWNED when it is not (or no longer) ours. */
  completeClaim(scope: string, key: string, owner: string, retainMs: number): Promise<void>;
  /**
   * Gives our claim up after a failure so a redelivery is processed; with `failure`, the attempt is counted
   * and the error kept (the next `claim` reports both), without it the count and last error stay as they were.
   * Returns false when it was not ours.
   */
  releaseClaim(scope: string, key: string, owner: string, failure?: ErrorRecord): Promise<boolean>;

  /**
   * Records a delivery handed to a host; nothing of its commit is applied yet. Error messages and job-error
   * payloads in the commit are redacted before it is stored. A token that exists throws CONFIG_INVALID.
   */
  createDelivery(delivery: DeliveryInsert): Promise<void>;
  /**
   * Applies a delivery's commit and marks it acked, in one transaction. A late ACK (past expiry) still
   * applies when its fences hold (the cursor compare-and-set fails with CURSOR_VERSION_CONFLICT when a
   * redelivery was acknowledged first).
   */
  ackDelivery(token: string): Promise<AckResult>;
  getDelivery(token: string): Promise<Delivery | undefined>;
  /**
   * Deliveries of a stream, oldest first. Without `status`: those not acknowledged yet (pending and expired);
   * with one, only that status ('pending' then means not yet expired).
   */
  listDeliveries(stream: string, options?: { status?: DeliveryStatus; limit?: number }): Promise<Delivery[]>;

  /** Id-map rows per entity of a connection: "records by entity" in connection statistics. */
  countIdMappings(connection: string): Promise<Map<string, number>>;

  commit(unit: CommitUnit): Promise<CommitResult>;

  /** The oldest pending entry of each order key that is due, oldest first. */
  dueOutbox(connection: string, limit: number): Promise<OutboxEntry[]>;
  listOutbox(filter: { connection?: string; status?: OutboxStatus } & ListOptions): Promise<OutboxEntry[]>;

  listDeadLetters(filter: { scope?: string; status?: DeadLetterStatus } & ListOptions): Promise<DeadLetter[]>;
  resolveDeadLetters(ids: readonly number[], resolution: string): Promise<number>;

  /** Creates the job `pending`; throws CONFIG_INVALID when the id exists. */
  createJob(job: JobCreate): Promise<SyncJob>;
  /**
   * Moves a job on (see JobStatus) or sets its total. Leaving a terminal status or going back to pending throws
   * INTERNAL: no setting can cause it, only an engine defect or a second worker finishing the same job (for
   * instance after the stale-job check failed it), and in both cases the stored outcome must stand.
   */
  updateJob(id: string, update: JobUpdate): Promise<SyncJob>;
  heartbeatJob(id: string): Promise<void>;
  requestJobCancel(id: string): Promise<boolean>;
  getJob(id: string): Promise<SyncJob | undefined>;
  listJobs(filter: JobFilter): Promise<SyncJob[]>;
  listJobErrors(jobId: string, options?: { limit?: number; afterIndex?: number }): Promise<StoredJobRecordError[]>;

  /**
   * Deletes what is finished and older than its cutoff (see PruneOptions), so a flow that runs for months does
   * not grow its store without bound. Never touches cursors, leases or the id map. Safe to run from any worker at
   * any time; running it again deletes nothing more.
   */
  prune(options?: PruneOptions): Promise<PruneResult>;

  close(): Promise<void>;
}
