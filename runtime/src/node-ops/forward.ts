import { randomUUID } from 'node:crypto';
import type { Connector, WriteMode } from '../connectors';
import { TaktError, toTaktError } from '../errors';
import type { RetryPolicy } from '../http';
import { startJob, type JobRun } from '../jobs';
import { silentLogger, type Logger } from '../log';
import { enqueue, OutboxPusher } from '../outbox';
import type { StateStore } from '../state';
import { systemClock, type Clock } from '../time';
import { COUNT_CAP, type ForwardStatus } from './forward-status';
import { RoutedTarget } from './routed-target';
import { NaturalKeyTarget, NATURAL_KEYS, type NaturalKeySpec } from './natural-key-target';

/**
 * Store-and-forward for a node that writes to an ERP over a flaky network (a factory gateway): `enqueue` puts
 * the records into the state store's outbox in one commit (durable before the host's message is done), and a
 * loop started by the node drains the outbox through the connector whenever the target answers.
 *
 * ```
 *  message ─► enqueue ─► takt_outbox (pending, per order key in enqueue order)      survives restarts
 *                              │
 *  start() ─► loop: OutboxPusher.pushOnce  (lease "outbox/<connection>": one sender per connection)
 *                   ├─ sent ───────────────────────────► status.sent            status "sent 300"
 *                   ├─ target down / 429 / 503 ────────► wait with backoff       status "queued 120 offline"
 *                   ├─ record rejected, retryable ─────► retry later             status "retry in 3 s"
 *                   └─ rejected for good ──────────────► dead letter (takt-ack lists and replays it)
 *  stop()  ─► aborts the round in flight (its entries stay pending, re-sent with the same idempotency keys)
 * ```
 *
 * Nothing is lost: an entry leaves `pending` only in the commit that records what the target answered.
 * Nothing is sent twice to effect: every entry keeps its idempotency key, upserts repeat safely, and creates
 * of targets that number records themselves (SAP maintenance notifications) go through a natural-key lookup
 * (natural-key-target.ts). Order holds per order key: the store hands out only the oldest pending entry of a
 * key, so use the machine (or the record's key) as the order key.
 *
 * Each outbox entity has one write mode, given by the node that enqueues it (`route`): the pusher writes every
 * entity of the connection, so the loop must know them all; an entity no running node routes goes out as an
 * upsert. Hosts share one sender per store and connection (forward-share.ts). Each drain — from finding entries
 * to an empty outbox — is one push job in the job log, so status views see queued deliveries like any sync.
 */
export interface StoreAndForwardOptions {
  readonly store: StateStore;
  readonly connector: Connector;
  /** The connection name (the config node's "Connection Name"): whose outbox this is. */
  readonly connection: string;
  /** Entries per round and per connector call; default 100. */
  readonly batchSize?: number;
  /** Backoff while the target is down or rejects a record (outbox defaults: 1 s doubling to 5 min). */
  readonly retry?: Partial<RetryPolicy>;
  /** How often an idle loop looks for entries another process queued; default 5 s. */
  readonly idleMs?: number;
  /** Natural keys for idempotent creates; default NATURAL_KEYS. */
  readonly naturalKeys?: Readonly<Record<string, NaturalKeySpec>>;
  /**
   * Names this sender as holder of the connection's push lease. Give one that is stable across restarts of the
   * same host installation (host name and state directory): after a crash the restarted sender takes the lease
   * over at once instead of waiting for it to expire. Random when absent.
   */
  readonly owner?: string;
  /** How long a crashed sender with another owner blocks the next one; default 60 s. */
  readonly leaseMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Called whenever the status changes (hosts paint it). */
  readonly onStatus?: (status: ForwardStatus) => void;
}

export interface ForwardEnqueueOptions {
  /** The connector entity the records go to ("maintenance-notifications", "resources"). */
  readonly entity: string;
  /** The fields whose values make a record's order key; records of one key are sent one by one, in order. */
  readonly key: readonly string[];
  /** How the records are written. Default upsert. */
  readonly mode?: WriteMode;
  /**
   * Default false: every record is queued (a downtime log: each record counts). True: a record replaces the
   * still-unsent entry of its key, so the target sees each key's newest state once.
   */
  readonly coalesce?: boolean;
}

const STORE_PAUSE_MS = 1_000;
const COUNT_EVERY_MS = 5_000;

export class StoreAndForward {
  private readonly store: StateStore;
  private readonly connection: string;
  private readonly routes = new Map<string, WriteMode>();
  private readonly target: RoutedTarget;
  /** The drain under way: one push job from finding work until nothing is pending. */
  private session: { readonly job: JobRun; readonly pusher: OutboxPusher; worked: boolean } | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly idleMs: number;
  private readonly owner: string;
  private status: ForwardStatus = { state: 'idle', queued: 0, sent: 0, dead: 0 };
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private countedAt = 0;

  constructor(private readonly options: StoreAndForwardOptions) {
    if (!options.connection) throw new TaktError('CONFIG_INVALID', 'Store-and-forward needs a connection name.');
    this.store = options.store;
    this.connection = options.connection;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'store-and-forward' });
    this.idleMs = options.idleMs ?? 5_000;
    this.owner = options.owner ?? `forward-${randomUUID()}`;
    this.target = new RoutedTarget(
      new NaturalKeyTarget(options.connector, options.naturalKeys ?? NATURAL_KEYS),
      this.routes,
    );
  }

  /** Says how records of `entity` are written; `enqueue` does it too. */
  route(entity: string, mode: WriteMode): void {
    if (mode === 'delete') throw new TaktError('CONFIG_INVALID', 'Store-and-forward does not queue deletes.');
    this.routes.set(entity, mode);
  }

  /**
   * Queues records durably (one store commit) and wakes the loop. Throws RECORD_INVALID naming the record and
   * field when a record lacks a key field; nothing is queued then.
   */
  async enqueue(
    records: readonly Readonly<Record<string, unknown>>[],
    options: ForwardEnqueueOptions,
  ): Promise<{ readonly queued: number }> {
    if (options.key.length === 0) {
      throw new TaktError('CONFIG_INVALID', 'Set the key fields: they order the records of one machine or record.');
    }
    this.route(options.entity, options.mode ?? 'upsert');
    const outbox = records.map((payload, index) => ({ orderKey: orderKeyOf(payload, options.key, index), payload }));
    const result = await enqueue(this.store, {
      connection: this.connection,
      entity: options.entity,
      records: outbox,
      coalesce: options.coalesce ?? false,
    });
    this.publish({ queued: Math.min(this.status.queued + result.queued, COUNT_CAP) });
    this.wake?.();
    return { queued: result.queued };
  }

  /** Starts the sending loop (idempotent). */
  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.publish({ state: 'idle' });
    this.loop = this.run(abort.signal).catch((error: unknown) => {
      if (TaktError.is(error) && error.code === 'ABORTED') return;
      const taktError = toTaktError(error);
      this.logger.error('store-and-forward stopped', { code: taktError.code });
      this.publish({ state: 'store-error', lastError: { code: taktError.code, message: taktError.message } });
    });
  }

  /**
   * Stops the loop: aborts a round in flight (its entries stay pending) and gives the push lease back so
   * another sender need not wait for it to expire; resolves when the loop has ended.
   */
  async stop(): Promise<void> {
    this.abort?.abort();
    this.wake?.();
    const loop = this.loop;
    this.loop = undefined;
    if (loop) await loop;
    await this.closeSession(new TaktError('ABORTED', 'Store-and-forward stopped (flow stopped or redeployed).'));
    try {
      const lease = await this.store.getLease(`outbox/${this.connection}`);
      if (lease?.owner === this.owner) await this.store.releaseLease(lease);
    } catch (error) {
      // It expires by itself; a store that fails here must not keep a host from closing.
      this.logger.warn('could not release the push lease', { code: toTaktError(error).code });
    }
    this.publish({ state: 'stopped' });
  }

  current(): ForwardStatus {
    return this.status;
  }

  /** Counts pending entries now (capped at COUNT_CAP). */
  async countQueued(): Promise<number> {
    const queued = await this.count();
    this.publish({ queued });
    return queued;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let pause = this.idleMs;
      try {
        if (!this.session) {
          const queued = await this.count();
          this.publish({
            queued,
            ...(queued === 0 ? { state: 'idle', retryAt: undefined, lastError: undefined } : {}),
          });
          if (queued > 0) this.session = await this.openSession();
        }
        const session = this.session;
        if (session) {
          if (this.status.retryAt === undefined && this.status.queued > 0) this.publish({ state: 'sending' });
          const round = await session.pusher.pushOnce(signal);
          const now = this.clock.now();
          const drainedOrHeld = round.due === 0 || round.held;
          const queued =
            drainedOrHeld || now - this.countedAt >= COUNT_EVERY_MS
              ? await this.count()
              : Math.max(0, this.status.queued - round.sent - round.dead);
          const offline = round.pausedUntil > now;
          if (round.sent + round.dead + round.retrying > 0) session.worked = true;
          this.publish({
            queued,
            sent: this.status.sent + round.sent,
            dead: this.status.dead + round.dead,
            state: offline ? 'offline' : round.retrying > 0 ? 'retrying' : queued > 0 ? 'sending' : 'idle',
            retryAt: offline ? round.pausedUntil : round.retrying > 0 ? await this.nextAttempt() : undefined,
            lastError: offline || round.retrying > 0 ? await this.lastError() : undefined,
          });
          if (round.due > 0 && !offline) continue;
          if (queued === 0 || (round.held && !session.worked)) await this.closeSession();
          const retryAt = this.status.retryAt;
          if (retryAt !== undefined) pause = Math.min(Math.max(retryAt - now, 10), this.idleMs * 12);
          else if (queued > 0 && !round.held) pause = 10;
        }
      } catch (error) {
        if (TaktError.is(error) && error.code === 'ABORTED') return;
        const taktError = toTaktError(error);
        this.logger.warn('state store failed; sending paused (nothing is sent or marked)', { code: taktError.code });
        // A lost lease is the pusher's to take again: a new drain starts with a new pusher.
        if (taktError.code === 'LEASE_LOST') await this.closeSession(taktError);
        this.publish({ state: 'store-error', lastError: { code: taktError.code, message: taktError.message } });
        pause = STORE_PAUSE_MS;
      }
      await this.sleep(pause, signal);
    }
  }

  /** A push job for the drain ahead, and a pusher that counts into it. */
  private async openSession(): Promise<NonNullable<StoreAndForward['session']>> {
    const entities = [...this.routes.keys()];
    const job = await startJob(this.store, {
      connection: this.connection,
      entity: entities.length === 1 && entities[0] !== undefined ? entities[0] : '*',
      kind: 'push',
      direction: 'outbound',
      params: { delivery: 'store-and-forward', routes: Object.fromEntries(this.routes) },
      clock: this.clock,
    });
    const { options } = this;
    const pusher = new OutboxPusher({
      store: options.store,
      connector: this.target,
      connection: options.connection,
      mode: 'upsert',
      batchSize: options.batchSize ?? 100,
      clock: this.clock,
      logger: this.logger,
      owner: this.owner,
      job,
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    });
    return { job, pusher, worked: false };
  }

  /**
   * Ends the drain's job: finished (success, or failed when a record was dead-lettered) once nothing is
   * pending, skipped when another sender held the connection throughout, cancelled when stopped mid-way.
   */
  private async closeSession(error?: unknown): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    try {
      if (error !== undefined) await session.job.finish({ error });
      else if (!session.worked) await session.job.skip('Another sender held the connection; it sent the entries.');
      else await session.job.finish();
    } catch (failure) {
      this.logger.warn('could not close the push job', { code: toTaktError(failure).code });
    }
  }

  /** Sleeps until `ms` passed, `enqueue` woke the loop, or the signal fired. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private async count(): Promise<number> {
    const pending = await this.store.listOutbox({ connection: this.connection, status: 'pending', limit: COUNT_CAP });
    this.countedAt = this.clock.now();
    return pending.length;
  }

  private async nextAttempt(): Promise<number | undefined> {
    const pending = await this.store.listOutbox({ connection: this.connection, status: 'pending', limit: COUNT_CAP });
    const times = pending.map((entry) => entry.nextAttemptAt).filter((at) => at > this.clock.now());
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  private async lastError(): Promise<ForwardStatus['lastError']> {
    const [entry] = await this.store.listOutbox({ connection: this.connection, status: 'pending', limit: 1 });
    return entry?.lastError ? { code: entry.lastError.code, message: entry.lastError.message } : undefined;
  }

  /** Applies a change; a field set to undefined is cleared. */
  private publish(change: Partial<ForwardStatus>): void {
    const merged: Record<string, unknown> = { ...this.status, ...change };
    const next = Object.fromEntries(
      Object.entries(merged).filter(([, value]) => value !== undefined),
    ) as unknown as ForwardStatus;
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.options.onStatus?.(this.status);
  }
}

/** A record's order key: its key fields' values joined by "|"; RECORD_INVALID names what is missing. */
export function orderKeyOf(record: Readonly<Record<string, unknown>>, key: readonly string[], index: number): string {
  const parts = key.map((field) => {
    const value = record[field];
    if (value === undefined || value === null || value === '' || typeof value === 'object') {
      throw new TaktError('RECORD_INVALID', `Record ${index} has no value in key field "${field}".`, {
        details: { index, field },
      });
    }
    return String(value as string | number | boolean);
  });
  return parts.join('|');
}
