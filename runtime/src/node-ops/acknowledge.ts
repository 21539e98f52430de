import { TaktError, toTaktError } from '../errors';
import { EventIntake } from '../events';
import type { StateStore } from '../state';
import { acknowledgeDelivery } from '../sync';
import { systemClock, type Clock } from '../time';
import { decodeAckToken, type EventAckToken, type PullAckToken, type ReplayAckToken } from './ack-token';
import { replayLockScope } from './dead-letters';

/**
 * - acked: a delivery's state or an event's claim was committed now;
 * - already_acked: an earlier ACK did it (or the event was settled before); nothing changed now;
 * - released: an event NACKed with a retryable error and attempts left: its claim is given up (the attempt
 *   counted) and the sender's next copy is delivered again;
 * - dead_lettered: an event NACKed for good: it waits in the dead letters for a replay;
 * - resolved: a replayed dead letter was applied and is closed;
 * - left_open: a replayed dead letter failed again and stays open;
 * - redeliver_after_expiry: a pull delivery NACKed: nothing is committed, and its records are handed out again
 *   once it expires (a pull has no earlier release: the stream's state only moves with an ACK).
 */
export type AcknowledgeStatus =
  'acked' | 'already_acked' | 'released' | 'dead_lettered' | 'resolved' | 'left_open' | 'redeliver_after_expiry';

export interface AcknowledgeOptions {
  readonly outcome: 'ack' | 'nack';
  /** NACK: why the flow gave up; it becomes the error of the event's dead letter. */
  readonly message?: string;
  /**
   * NACK: the error that made the flow give up; a TaktError keeps its code and retryable flag. Without it, the
   * NACK is an EVENT_NACKED error with `message`.
   */
  readonly error?: unknown;
  /**
   * NACK without `error`: may a later delivery of the same event succeed? Default false: the event goes to the
   * dead letters at once. Only a sender that redelivers (the webhook answered after the flow, with a failure)
   * gives a released event another try.
   */
  readonly retryable?: boolean;
  /** Event NACK: what its dead letter keeps for a replay (default null). */
  readonly payload?: unknown;
  readonly clock?: Clock;
}

export interface AcknowledgeResult {
  readonly status: AcknowledgeStatus;
  readonly kind: 'pull' | 'event' | 'replay';
  /** One sentence for a person: what happened and what comes next. */
  readonly message: string;
  readonly stream?: string;
  readonly records?: number;
  readonly cursorVersion?: number;
  /** Pull NACK: when the delivery expires and its records are handed out again (epoch ms). */
  readonly redeliverAt?: number;
  readonly eventId?: string;
  readonly attempt?: number;
  readonly deadLetterId?: number;
}

/**
 * Settles what a token names (see ack-token.ts): a pull delivery, a webhook event or a replayed dead letter.
 * Several items of one pull delivery share a token: settle it once per token (an n8n node dedups its items'
 * tokens first); a repeated ACK answers already_acked. Throws DELIVERY_UNKNOWN for a token the store does not
 * know, CURSOR_VERSION_CONFLICT when a redelivery of the same records was acknowledged first, CLAIM_NOT_OWNED
 * when an event's claim expired and another worker took it, and STORE_UNAVAILABLE when the store is down.
 */
export async function acknowledge(
  store: StateStore,
  token: unknown,
  options: AcknowledgeOptions,
): Promise<AcknowledgeResult> {
  if (options.outcome !== 'ack' && options.outcome !== 'nack') {
    throw new TaktError(
      'CONFIG_INVALID',
      `The acknowledgement outcome is "ack" or "nack", not "${String(options.outcome)}".`,
    );
  }
  const decoded = decodeAckToken(token);
  switch (decoded.kind) {
    case 'pull':
      return options.outcome === 'ack' ? ackPull(store, decoded) : nackPull(store, decoded, options);
    case 'event':
      return settleEvent(store, decoded, options);
    case 'replay':
      return settleReplay(store, decoded, options);
  }
}

async function ackPull(store: StateStore, token: PullAckToken): Promise<AcknowledgeResult> {
  const delivery = await store.getDelivery(token.token);
  const acked = await acknowledgeDelivery(store, token.token);
  const where = delivery ? { stream: delivery.stream, records: delivery.records } : {};
  if (acked.status === 'already_acked') {
    return { status: 'already_acked', kind: 'pull', message: 'The delivery was acknowledged before.', ...where };
  }
  return {
    status: 'acked',
    kind: 'pull',
    message: `Acknowledged ${delivery?.records ?? 0} record(s) of ${delivery?.stream ?? 'the stream'}: its cursor moved on.`,
    ...where,
    ...(acked.cursorVersion !== undefined ? { cursorVersion: acked.cursorVersion } : {}),
  };
}

async function nackPull(
  store: StateStore,
  token: PullAckToken,
  options: AcknowledgeOptions,
): Promise<AcknowledgeResult> {
  const delivery = await store.getDelivery(token.token);
  if (!delivery) {
    throw new TaktError(
      'DELIVERY_UNKNOWN',
      'No delivery has this token in the state store: it was never handed out by this store.',
    );
  }
  const where = { stream: delivery.stream, records: delivery.records };
  if (delivery.status === 'acked') {
    return {
      status: 'already_acked',
      kind: 'pull',
      message: 'The delivery was acknowledged before; a negative acknowledgement changes nothing.',
      ...where,
    };
  }
  const now = (options.clock ?? systemClock).now();
  const when =
    delivery.expiresAt <= now
      ? 'it has expired, so the next poll hands its records out again'
      : `its records are handed out again after it expires at ${new Date(delivery.expiresAt).toISOString()}`;
  return {
    status: 'redeliver_after_expiry',
    kind: 'pull',
    message: `Not acknowledged: nothing of ${delivery.stream} was committed; ${when}.`,
    ...where,
    redeliverAt: delivery.expiresAt,
  };
}

async function settleEvent(
  store: StateStore,
  token: EventAckToken,
  options: AcknowledgeOptions,
): Promise<AcknowledgeResult> {
  try {
    return await settleClaimed(store, token, options);
  } catch (error) {
    if (!TaktError.is(error) || error.code !== 'CLAIM_NOT_OWNED') throw error;
    return settleLate(store, token, options, error);
  }
}

/** ACK or NACK through the delivery the intake rebuilds for the claim this token's owner holds. */
async function settleClaimed(
  store: StateStore,
  token: EventAckToken,
  options: AcknowledgeOptions,
): Promise<AcknowledgeResult> {
  const intake = new EventIntake(store, {
    scope: token.scope,
    owner: token.owner,
    maxAttempts: token.maxAttempts,
    retentionMs: token.retentionMs,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const delivery = intake.resume({ id: token.id, payload: options.payload ?? null }, token.attempt);
  const where = { eventId: token.id, attempt: token.attempt };
  if (options.outcome === 'ack') {
    await delivery.ack();
    return { status: 'acked', kind: 'event', message: `Event "${token.id}" is processed.`, ...where };
  }
  const nacked = await delivery.nack(nackError(options));
  return nacked === 'failed'
    ? {
        status: 'released',
        kind: 'event',
        message: `Event "${token.id}" failed (attempt ${token.attempt} of ${token.maxAttempts}); the sender's next copy is processed again.`,
        ...where,
      }
    : {
        status: 'dead_lettered',
        kind: 'event',
        message: `Event "${token.id}" failed and went to the dead letters; replay it once the cause is fixed.`,
        ...where,
      };
}

/**
 * The claim is not ours any more. Done (acknowledged or dead-lettered by an earlier step): this settle repeats
 * one, already_acked. Expired with nobody else on it: no copy has started, so the owner takes the claim back and
 * settles now. Held by another worker (a copy is being processed): CLAIM_NOT_OWNED, saying what to change.
 */
async function settleLate(
  store: StateStore,
  token: EventAckToken,
  options: AcknowledgeOptions,
  notOwned: TaktError,
): Promise<AcknowledgeResult> {
  const probe = await store.claim(token.scope, token.id, token.owner, LATE_SETTLE_CLAIM_MS);
  if (probe.status === 'duplicate') {
    return {
      status: 'already_acked',
      kind: 'event',
      message: `Event "${token.id}" was settled before; nothing changed now.`,
      eventId: token.id,
      attempt: token.attempt,
    };
  }
  if (probe.status === 'claimed') return settleClaimed(store, token, options);
  throw new TaktError(
    'CLAIM_NOT_OWNED',
    `Event "${token.id}" was held too long before this acknowledgement: its claim expired and another worker is ` +
      "processing it now. Raise the webhook trigger's claim time, or acknowledge sooner.",
    { cause: notOwned, details: { scope: token.scope, eventId: token.id } },
  );
}

/** How long a late settle holds the claim it took back: only for the one commit that follows. */
const LATE_SETTLE_CLAIM_MS = 60_000;

function nackError(options: AcknowledgeOptions): TaktError {
  if (options.error !== undefined) return toTaktError(options.error);
  const message = options.message?.trim() || 'The flow gave up on this event (negative acknowledgement).';
  return new TaktError('EVENT_NACKED', message, { retryable: options.retryable ?? false });
}

async function settleReplay(
  store: StateStore,
  token: ReplayAckToken,
  options: AcknowledgeOptions,
): Promise<AcknowledgeResult> {
  const where = { eventId: token.eventId, deadLetterId: token.deadLetterId };
  const lockScope = replayLockScope(token.scope);
  const lock = String(token.deadLetterId);
  if (options.outcome === 'nack') {
    await store.releaseClaim(lockScope, lock, token.owner);
    return {
      status: 'left_open',
      kind: 'replay',
      message: `Dead letter ${token.deadLetterId} (event "${token.eventId}") failed again and stays open for another replay.`,
      ...where,
    };
  }
  const resolved = await store.resolveDeadLetters([token.deadLetterId], 'replayed');
  await store.releaseClaim(lockScope, lock, token.owner);
  return resolved > 0
    ? {
        status: 'resolved',
        kind: 'replay',
        message: `Dead letter ${token.deadLetterId} (event "${token.eventId}") was replayed and is closed.`,
        ...where,
      }
    : {
        status: 'already_acked',
        kind: 'replay',
        message: `Dead letter ${token.deadLetterId} was closed before; nothing changed now.`,
        ...where,
      };
}
