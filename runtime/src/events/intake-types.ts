import type { TaktError } from '../errors';
import type { JobRun } from '../jobs';
import type { Clock } from '../time';

/** An inbound event as a host hands it over: the sender's id (Standard Webhooks `webhook-id`) and its body. */
export interface InboundEvent<T = unknown> {
  readonly id: string;
  readonly payload: T;
}

export interface EventIntakeOptions {
  /** What the ids are unique within: one webhook endpoint, one connection's event feed. */
  readonly scope: string;
  /** This worker's name in claims; a random one per intake otherwise. */
  readonly owner?: string;
  /**
   * How long a claim holds while its event is being handled (default 5 min). It must outlast the handler:
   * a claim that expires mid-handling can be taken by a redelivery, and the event is applied twice (then
   * only the target's idempotency saves it). After a crash, redeliveries wait at most this long.
   */
  readonly claimTtlMs?: number;
  /**
   * How long a processed (or dead-lettered) id answers "duplicate" (default 72 h). It must cover the
   * sender's whole retry horizon: about 75 h in the Standard Webhooks example schedule.
   */
  readonly retentionMs?: number;
  /** Deliveries of one event before a retryable failure is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /**
   * When another worker holds the event, wait up to this long for it to finish (default 0: answer
   * in_progress at once). With a wait, a concurrent second delivery answers "duplicate" once the first is
   * processed, instead of asking the sender to retry.
   */
  readonly inProgressWaitMs?: number;
  /** Poll interval of that wait (default 50 ms). */
  readonly inProgressPollMs?: number;
  /** Counts processed and dead-lettered events into this job (kind 'events'), in the same commit. */
  readonly jobRun?: JobRun;
  readonly clock?: Clock;
}

/** What the handler may report about an applied event, for the job log (default: updated). */
export interface EventAck {
  readonly action?: 'created' | 'updated' | 'unchanged' | 'skipped';
}

export type NackOutcome = 'failed' | 'dead_lettered';

/** An event this worker now holds: it must call `ack` or `nack` exactly once. */
export interface EventDelivery<T = unknown> {
  readonly id: string;
  readonly payload: T;
  /** 1 on first sight; grows with every failed delivery the store counted. */
  readonly attempt: number;
  /** The error of the previous failed delivery, when there was one. */
  readonly lastError: { readonly code: string; readonly message: string } | undefined;
  /** The event was applied: its id answers duplicate for the retention. Throws when the store is down. */
  ack(result?: EventAck): Promise<'processed'>;
  /**
   * The event failed. A retryable error with attempts left releases the claim for a redelivery ('failed');
   * otherwise the event goes to the dead letter and its id answers duplicate until a replay ('dead_lettered').
   */
  nack(error: unknown): Promise<NackOutcome>;
}

export type BeginResult<T = unknown> =
  | { readonly status: 'duplicate'; readonly id: string; readonly doneAt: number }
  | { readonly status: 'in_progress'; readonly id: string; readonly retryAt: Date; readonly error: TaktError }
  | { readonly status: 'deliver'; readonly delivery: EventDelivery<T> };

export type ProcessResult =
  | { readonly status: 'processed'; readonly id: string; readonly attempt: number }
  | { readonly status: 'duplicate'; readonly id: string; readonly doneAt: number }
  | { readonly status: 'in_progress'; readonly id: string; readonly retryAt: Date; readonly error: TaktError }
  | { readonly status: 'failed'; readonly id: string; readonly attempt: number; readonly error: TaktError }
  | { readonly status: 'dead_lettered'; readonly id: string; readonly attempt: number; readonly error: TaktError };

/**
 * Applies one event. It may return an EventAck (what it did, for the job log); any other return value counts
 * as "updated". Throwing is a NACK, classified with toTaktError.
 */
export type EventHandler<T = unknown> = (payload: T, delivery: EventDelivery<T>) => unknown;
