import { randomUUID } from 'node:crypto';
import { TaktError, toTaktError } from '../errors';
import { errorRecord } from '../jobs';
import type { ClaimResult, JobCounter, StateStore } from '../state';
import { systemClock, type Clock } from '../time';
import { failClosed } from './fail-closed';
import type {
  BeginResult,
  EventAck,
  EventDelivery,
  EventHandler,
  EventIntakeOptions,
  InboundEvent,
  NackOutcome,
  ProcessResult,
} from './intake-types';

export const DEFAULT_CLAIM_TTL_MS = 5 * 60_000;
/**
 * Issue 3's default. A sender that retries longer (the Standard Webhooks example schedule spans about 75 h)
 * needs a retention at least that long, or a late retry of a processed event is applied again.
 */
export const DEFAULT_EVENT_RETENTION_MS = 72 * 3600_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_EVENT_ID_LENGTH = 255;

/**
 * At-least-once intake with idempotent apply for inbound events (issue 3 item 4; see README.md for the
 * diagram). An event id is claimed (a lease with owner and TTL) before its handler runs, so a concurrent
 * or later copy is not delivered again; ACK marks the id done for the retention window; NACK releases the
 * claim for a redelivery, or after the last attempt writes the dead letter and marks the id done in one
 * commit. A worker that crashes mid-event leaves its claim to expire, and the next copy is processed then.
 */
export class EventIntake<T = unknown> {
  readonly scope: string;
  readonly owner: string;
  private readonly claimTtlMs: number;
  private readonly retentionMs: number;
  private readonly maxAttempts: number;
  private readonly inProgressWaitMs: number;
  private readonly inProgressPollMs: number;
  private readonly clock: Clock;
  private sequence = 0;

  constructor(
    private readonly store: StateStore,
    private readonly options: EventIntakeOptions,
  ) {
    if (!options.scope) throw new TaktError('CONFIG_INVALID', 'An event intake needs a scope (endpoint or feed).');
    this.scope = options.scope;
    this.owner = options.owner ?? `intake-${randomUUID()}`;
    this.claimTtlMs = positive(options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS, 'claimTtlMs');
    this.retentionMs = positive(options.retentionMs ?? DEFAULT_EVENT_RETENTION_MS, 'retentionMs');
    this.maxAttempts = positive(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
    this.inProgressWaitMs = Math.max(0, options.inProgressWaitMs ?? 0);
    this.inProgressPollMs = positive(options.inProgressPollMs ?? 50, 'inProgressPollMs');
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Claims the event. 'deliver' hands it to this worker, which must ack or nack it; 'duplicate' means it was
   * processed (or dead-lettered) inside the retention window; 'in_progress' means another worker holds it
   * and the sender should retry at `retryAt` (409 or 503 with Retry-After). Throws when the store fails.
   */
  async begin(event: InboundEvent<T>): Promise<BeginResult<T>> {
    const id = eventId(event);
    const deadline = this.clock.now() + this.inProgressWaitMs;
    let claim: ClaimResult;
    for (;;) {
      claim = await failClosed('claim the event', () => this.store.claim(this.scope, id, this.owner, this.claimTtlMs));
      const left = deadline - this.clock.now();
      if (claim.status !== 'in_progress' || left <= 0) break;
      await this.clock.sleep(Math.min(this.inProgressPollMs, left));
    }
    if (claim.status === 'duplicate') return { status: 'duplicate', id, doneAt: claim.doneAt };
    if (claim.status === 'in_progress') {
      const retryAt = new Date(claim.expiresAt);
      const error = new TaktError(
        'EVENT_IN_PROGRESS',
        `Event "${id}" is being processed by another worker; send it again after ${retryAt.toISOString()}.`,
        { retryAt, details: { scope: this.scope, eventId: id } },
      );
      return { status: 'in_progress', id, retryAt, error };
    }
    const attempt = claim.attempts + 1;
    return { status: 'deliver', delivery: this.delivery(event, id, attempt, claim.lastError, this.sequence++) };
  }

  /**
   * The delivery of an event this owner claimed earlier with `begin` (in another step, execution or process
   * sharing the store), rebuilt so it can be acknowledged there: `ack` and `nack` act exactly as on the delivery
   * `begin` returned. The intake must carry the same scope and owner as the one that claimed it (and the same
   * maxAttempts and retention, which decide the NACK); `attempt` is the one `begin` reported. When the claim is no
   * longer this owner's (it expired and was taken again, or was settled), settling throws CLAIM_NOT_OWNED and
   * changes nothing. `payload` is what a NACK writes to the dead letter.
   */
  resume(event: InboundEvent<T>, attempt: number): EventDelivery<T> {
    const id = eventId(event);
    if (!Number.isSafeInteger(attempt) || attempt < 1) {
      throw new TaktError('CONFIG_INVALID', `An event delivery's attempt is a whole number from 1, not ${attempt}.`);
    }
    return this.delivery(event, id, attempt, undefined, this.sequence++);
  }

  /**
   * begin + handler + ack/nack in one call. Handler errors never escape: they are classified with toTaktError
   * and decide between 'failed' (retryable, the sender should redeliver) and 'dead_lettered'. Store errors do
   * escape (fail closed): nothing was acknowledged and the host must answer 503.
   */
  async process(event: InboundEvent<T>, handler: EventHandler<T>): Promise<ProcessResult> {
    const begun = await this.begin(event);
    if (begun.status !== 'deliver') return begun;
    const { delivery } = begun;
    let result: unknown;
    try {
      result = await handler(delivery.payload, delivery);
    } catch (thrown) {
      const error = toTaktError(thrown);
      const status = await delivery.nack(error);
      return { status, id: delivery.id, attempt: delivery.attempt, error };
    }
    await delivery.ack(asEventAck(result));
    return { status: 'processed', id: delivery.id, attempt: delivery.attempt };
  }

  private delivery(
    event: InboundEvent<T>,
    id: string,
    attempt: number,
    lastError: { readonly code: string; readonly message: string } | undefined,
    recordIndex: number,
  ): EventDelivery<T> {
    let settled: Promise<'processed' | NackOutcome> | undefined;
    // Once settled, a repeated ack/nack answers the first outcome; a settle that threw may be tried again.
    const settleOnce = <R extends 'processed' | NackOutcome>(run: () => Promise<R>): Promise<R> => {
      if (settled) return settled as Promise<R>;
      const attemptRun = run();
      settled = attemptRun;
      attemptRun.catch(() => {
        if (settled === attemptRun) settled = undefined;
      });
      return attemptRun;
    };
    return {
      id,
      payload: event.payload,
      attempt,
      lastError,
      ack: (result) => settleOnce(() => this.ack(id, result)),
      nack: (error) => settleOnce(() => this.nack(event, id, attempt, recordIndex, error)),
    };
  }

  private async ack(id: string, result: EventAck | undefined): Promise<'processed'> {
    const jobRun = this.options.jobRun;
    const action: JobCounter = result?.action ?? 'updated';
    await failClosed('acknowledge the event', () =>
      this.store.commit({
        claimsDone: [{ scope: this.scope, key: id, owner: this.owner, retainMs: this.retentionMs }],
        ...(jobRun ? { job: { id: jobRun.id, counters: { read: 1, [action]: 1 } } } : {}),
      }),
    );
    return 'processed';
  }

  private async nack(
    event: InboundEvent<T>,
    id: string,
    attempt: number,
    recordIndex: number,
    thrown: unknown,
  ): Promise<NackOutcome> {
    const error = toTaktError(thrown);
    const record = errorRecord(error);
    if (error.retryable && attempt < this.maxAttempts) {
      // Released with the failure: the store counts the attempt, and the next copy of the event is delivered.
      await failClosed('release the event', () => this.store.releaseClaim(this.scope, id, this.owner, record));
      return 'failed';
    }
    const jobRun = this.options.jobRun;
    // One commit: the dead letter exists exactly when the id is done, so a redelivery answers duplicate and
    // nothing but a replay applies the event again.
    await failClosed('dead-letter the event', () =>
      this.store.commit({
        claimsDone: [{ scope: this.scope, key: id, owner: this.owner, retainMs: this.retentionMs }],
        deadLetters: [
          {
            scope: this.scope,
            key: id,
            payload: event.payload,
            error: record,
            attempts: attempt,
            ...(jobRun ? { jobId: jobRun.id } : {}),
          },
        ],
        ...(jobRun
          ? {
              job: {
                id: jobRun.id,
                counters: { read: 1, failed: 1 },
                errors: [{ ...record, recordIndex, externalId: id, payload: event.payload }],
              },
            }
          : {}),
      }),
    );
    return 'dead_lettered';
  }
}

const ACTIONS: readonly unknown[] = ['created', 'updated', 'unchanged', 'skipped'];

function asEventAck(value: unknown): EventAck | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const action: unknown = (value as { action?: unknown }).action;
  return ACTIONS.includes(action) ? { action: action as EventAck['action'] } : undefined;
}

function eventId(event: InboundEvent<unknown>): string {
  const id: unknown = event.id;
  if (typeof id !== 'string' || id.length === 0) {
    throw new TaktError('KEY_MISSING', 'An inbound event needs a non-empty id (e.g. the webhook-id header).');
  }
  if (id.length > MAX_EVENT_ID_LENGTH) {
    throw new TaktError('KEY_MISSING', `An event id may have at most ${MAX_EVENT_ID_LENGTH} characters.`, {
      details: { length: id.length },
    });
  }
  return id;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TaktError('CONFIG_INVALID', `Event intake option ${name} must be a positive number, not ${value}.`);
  }
  return value;
}
