import type { Connector } from '../../connectors';
import type { JobRun } from '../../jobs';
import type { Logger } from '../../log';
import type { StateStore } from '../../state';
import type { Clock } from '../../time';

export type PullMode = 'incremental' | 'full' | 'single';

/**
 * How the source marks change: `watermark` (default) reads `since = watermark − lookback` over the entity's
 * delta field; `token` passes the last complete read's delta link (the final page's `cursor`) back as `since`,
 * as Graph and Business Central delta queries work.
 */
export type DeltaMode = 'watermark' | 'token';

export interface PullOptions {
  readonly store: StateStore;
  readonly connector: Connector;
  /** The connection's name: with `entity` it names the stream ("sap-prd" + "production-orders"). */
  readonly connection: string;
  readonly entity: string;
  /** The id map's `source` for this stream's content hashes (e.g. the ERP system id "sap-prd-100"). */
  readonly source: string;
  readonly mode: PullMode;
  /** For `single`: the record's key fields. */
  readonly key?: Readonly<Record<string, string>>;
  readonly deltaMode?: DeltaMode;
  /** Re-read window below the watermark. Default 5 min; a day when the delta field holds dates only. */
  readonly lookbackMs?: number;
  /** The watermark never passes now minus this (records may commit late at the source). Default 60 s. */
  readonly safetyLagMs?: number;
  readonly pageSize?: number;
  /** Changed records per delivery. Default 1000; `hasMore` says when the source had more. */
  readonly maxRecords?: number;
  /** Who pulls (a worker or process id): the lease owner. */
  readonly owner: string;
  /** Default 60 s; renewed between pages once half has passed. */
  readonly leaseTtlMs?: number;
  /** How long the host has to acknowledge before the records are handed out again. Default 15 min. */
  readonly deliveryTtlMs?: number;
  /**
   * Commit the cursor and hashes as the records are handed out, without waiting for an ACK: at-most-once past
   * the hand-out. See README, "autoAck".
   */
  readonly autoAck?: boolean;
  /** What the content hash covers; default the whole record as read. */
  readonly hashOf?: (record: Readonly<Record<string, unknown>>) => unknown;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Its counters (read, created, updated, unchanged) and per-record errors commit with the delivery's ACK. */
  readonly job?: JobRun;
  readonly signal?: AbortSignal;
}

/** One record handed to the host. */
export interface PulledRecord {
  /** Position in the delivery (0-based), to pair results with records. */
  readonly index: number;
  /** The record's key fields' values (joined with "|" for composite keys): the id map's external id. */
  readonly externalId: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly contentHash: string;
  /** `created` the first time the stream sees the key, `updated` when its content hash changed. */
  readonly change: 'created' | 'updated';
  /** The record's delta-field value as the source wrote it, when it has one. */
  readonly delta?: string;
}

/** What a pull hands to a host: acknowledge `token` once the records are processed. */
export interface PullDelivery {
  readonly token: string;
  readonly stream: string;
  readonly records: readonly PulledRecord[];
  /** After this an unacknowledged delivery counts as lost: the next pull hands the records out again. */
  readonly expiresAt: number;
  /** True with `autoAck`: already committed, nothing to acknowledge. */
  readonly acknowledged: boolean;
}

export interface PullStats {
  /** Records read from the source, duplicates inside the read included. */
  readonly read: number;
  /** Records whose content hash equals the id map's: not handed out again. */
  readonly unchanged: number;
  readonly emitted: number;
  /** The source had more changed records than `maxRecords`: pull again after the ACK. */
  readonly hasMore: boolean;
  /** The delta (token or watermark) had expired at the source and the run read everything once. */
  readonly rebaselined: boolean;
  /** The watermark the ACK commits (ISO 8601 for instants), when the stream has one. */
  readonly watermark?: string;
}

export type PullResult =
  | { readonly status: 'delivered'; readonly delivery: PullDelivery; readonly stats: PullStats }
  /** Nothing changed; a watermark or token that could move without handing anything out was committed. */
  | { readonly status: 'nothing_new'; readonly stats: PullStats }
  /** An earlier delivery of this stream awaits its ACK (or its expiry): nothing new is handed out meanwhile. */
  | { readonly status: 'pending'; readonly pendingRecords: number; readonly pendingExpiresAt: number }
  /** Another worker holds the stream's lease. */
  | { readonly status: 'lease_held'; readonly owner: string | undefined; readonly expiresAt: number | undefined };
