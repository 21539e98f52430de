import type { ErrorRecord } from '../state/types';

/**
 * The Connector contract: the one seam between the sync engine and an ERP or shop-floor system. Each system
 * implements it in its own folder (`connectors/sap`, `connectors/mes-rest`, later Dynamics and Oracle);
 * nothing outside a connector knows a wire format, a paging scheme or an auth handshake.
 *
 * Records crossing this seam are the target system's own shape (after mapping outbound, before mapping
 * inbound): plain JSON objects whose decimals stay strings.
 */
export interface Connector {
  /** Which system this is, for messages and job records ("sap-odata", "mes-rest"). */
  readonly kind: string;
  /** Checks reachability and credentials without changing anything. Never throws for a failed check. */
  test(options?: { readonly signal?: AbortSignal }): Promise<ConnectionTestResult>;
  /** The entities (services / entity sets) this connector knows, with their keys and delta fields. */
  entities(): readonly EntityDescriptor[];
  /**
   * Reads an entity page by page, as the server pages it. Every record is yielded exactly once per call;
   * a server that repeats a next link fails the read rather than looping.
   */
  read(entity: string, options?: ReadOptions): AsyncIterable<Page>;
  /**
   * Writes records and answers one result per input record, in input order (`results[i].index === i`). A
   * record the target rejects fails alone with its reason; the call itself throws only when nothing could be
   * attempted (bad configuration, authentication, the target unreachable after retries).
   */
  write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]>;
  /** Releases sockets and token caches. Idempotent. */
  close(): Promise<void>;
}

export interface ConnectionTestResult {
  readonly ok: boolean;
  readonly latencyMs: number;
  /** What the user should read: on failure, what to fix ("check the sap-client", "the service is not active"). */
  readonly message: string;
  /** What the system says about itself (product, version, service, client), when it answered. */
  readonly system?: Readonly<Record<string, string>>;
  readonly error?: ErrorRecord;
}

/** How a delta field compares on the wire; the connector writes the literal each version expects. */
export type DeltaFieldType = 'datetime' | 'datetimeoffset' | 'timestamp14' | 'string' | 'number';

export interface EntityDescriptor {
  /** The name callers pass to read/write ("production-orders", or the entity set for custom entities). */
  readonly name: string;
  readonly title: string;
  /** The properties that identify a record in the target, in key order. */
  readonly keyFields: readonly string[];
  /** The property that grows when a record changes, for incremental reads; absent when there is none. */
  readonly deltaField?: string;
  readonly deltaFieldType?: DeltaFieldType;
  /** The canonical entity a preset maps it to ("work_order"), when there is one. */
  readonly canonical?: string;
  readonly capabilities: EntityCapabilities;
}

export interface EntityCapabilities {
  readonly read: boolean;
  readonly create: boolean;
  readonly update: boolean;
  readonly delete: boolean;
  /** The target upserts natively (by key) rather than by read-then-create-or-update. */
  readonly upsert: boolean;
  /** Several writes travel in one request ($batch, bulk endpoint). */
  readonly batch: boolean;
}

export interface ReadOptions {
  /**
   * Incremental read: records whose delta field is at or after this value (inclusive, so a record that
   * shares the stored watermark is not missed; callers dedup by content hash). ISO 8601 for date fields.
   */
  readonly since?: string;
  /** Equality filters on entity properties, combined with AND. */
  readonly filter?: Readonly<Record<string, string | number | boolean>>;
  /** Single-record read by key: yields one page with zero or one record. */
  readonly key?: Readonly<Record<string, string>>;
  /** Requested page size; the server may page smaller. */
  readonly pageSize?: number;
  /** Ask the server for the total count (`$count`), reported on the first page. */
  readonly count?: boolean;
  readonly signal?: AbortSignal;
}

export interface Page {
  readonly records: readonly Readonly<Record<string, unknown>>[];
  /** The largest delta-field value in this page (ISO 8601 for dates), when the entity has a delta field. */
  readonly cursor?: string;
  /** Total matching records, when the server was asked and answered. */
  readonly total?: number;
}

export type WriteMode = 'create' | 'update' | 'upsert' | 'delete';

export interface WriteItem {
  /** The record in the target's shape. For update/delete it holds the key fields unless `key` is given. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The target key when it differs from the key fields in `data` (an id resolved through the id map). */
  readonly key?: Readonly<Record<string, string>>;
  /** The concurrency token last read (ETag); sent as If-Match so a concurrent change becomes a conflict. */
  readonly etag?: string;
  /** Deterministic per logical write, so a target that supports idempotency keys recognises a re-send. */
  readonly idempotencyKey?: string;
}

export interface WriteOptions {
  readonly mode: WriteMode;
  /** Records per request where the target batches; the connector caps it at what the target allows. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/** Per-record outcome vocabulary shared by connectors, the sync engine and both hosts. */
export type RecordAction = 'created' | 'updated' | 'unchanged' | 'deleted' | 'skipped' | 'conflict' | 'error';

export interface WriteResult {
  /** Position of the record in the `records` argument. */
  readonly index: number;
  readonly action: RecordAction;
  /** The target's key for the record (a composite key is joined as the target prints it). */
  readonly targetId?: string;
  /** The target's new concurrency token, when it returned one. */
  readonly etag?: string;
  /** For `error` and `conflict`: a Takt error code, the target's message (redacted), and retryable. */
  readonly error?: ErrorRecord;
}
