import type { Connector } from '../connectors';
import { TaktError } from '../errors';
import { startJob, type JobRun } from '../jobs';
import type { Logger } from '../log';
import type { StateStore } from '../state';
import { pullChanges, pullStreamName, type PullStats } from '../sync';
import type { Clock } from '../time';
import type { TaktItemMeta } from './item-meta';

export interface PollOptions {
  readonly store: StateStore;
  readonly connector: Connector;
  /** The user-visible connection name ("sap"): with `entity` it names the stream. */
  readonly connection: string;
  readonly entity: string;
  /** The id map's source for the stream's content hashes; default the connection name. */
  readonly source?: string;
  /** incremental: what changed since the cursor; full: everything whose content changed, read from the start. */
  readonly mode: 'incremental' | 'full';
  /** Records per delivery (1–100,000). */
  readonly maxRecords: number;
  /** This worker: the stream lease's owner. */
  readonly owner: string;
  /** How long the flow has to acknowledge before the records are handed out again. Default 15 min. */
  readonly deliveryTtlMs?: number;
  readonly pageSize?: number;
  readonly lookbackMs?: number;
  /** Log each poll that reads as a sync job (kind incremental / full), its counters committed with the ACK. */
  readonly recordJob?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export interface PollItem {
  readonly json: Readonly<Record<string, unknown>>;
  readonly meta: TaktItemMeta;
}

export interface PollOutcome {
  /** delivered: items to process and acknowledge; the others hand nothing out. */
  readonly status: 'delivered' | 'nothing_new' | 'pending' | 'lease_held';
  readonly items: readonly PollItem[];
  readonly stream: string;
  readonly stats: PollStats;
  readonly message: string;
  /** The delivery's token and expiry when delivered. */
  readonly token?: string;
  readonly expiresAt?: number;
  readonly jobId?: string;
}

export interface PollStats {
  readonly read: number;
  readonly unchanged: number;
  readonly emitted: number;
  /** The source had more changes than maxRecords: the next poll after the ACK continues. */
  readonly hasMore: boolean;
}

const MAX_RECORDS_LIMIT = 100_000;

/**
 * One poll of a trigger: pullChanges on the stream `connection` + `entity`, each record handed out as an item
 * whose meta carries the delivery's token (shared by all items of the poll), the stream, the record's external
 * id and whether it is new or changed. Nothing of the stream moves until the token is acknowledged; an
 * unacknowledged delivery is handed out again after `deliveryTtlMs`. While a delivery awaits its ACK, or another
 * worker holds the stream, the poll hands out nothing and says so (without logging a job).
 */
export async function pollOnce(options: PollOptions): Promise<PollOutcome> {
  if (!options.connection.trim()) throw new TaktError('CONFIG_INVALID', 'Name the connection the trigger reads.');
  if (!options.entity.trim()) throw new TaktError('CONFIG_INVALID', 'Choose the entity the trigger reads.');
  if (!Number.isSafeInteger(options.maxRecords) || options.maxRecords < 1 || options.maxRecords > MAX_RECORDS_LIMIT) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Max records per poll is a whole number from 1 to ${MAX_RECORDS_LIMIT}, not ${String(options.maxRecords)}.`,
    );
  }
  const stream = pullStreamName(options.connection, options.entity);
  const waiting = await waitingFor(options, stream);
  if (waiting) return waiting;

  const job =
    options.recordJob === false
      ? undefined
      : await startJob(options.store, {
          connection: options.connection,
          entity: options.entity,
          kind: options.mode,
          direction: 'inbound',
          params: { mode: options.mode, maxRecords: options.maxRecords, trigger: 'poll' },
          ...(options.clock ? { clock: options.clock } : {}),
        });
  try {
    const result = await pullChanges({
      store: options.store,
      connector: options.connector,
      connection: options.connection,
      entity: options.entity,
      source: options.source?.trim() || options.connection,
      mode: options.mode,
      maxRecords: options.maxRecords,
      owner: options.owner,
      ...(options.deliveryTtlMs !== undefined ? { deliveryTtlMs: options.deliveryTtlMs } : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.lookbackMs !== undefined ? { lookbackMs: options.lookbackMs } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(job ? { job } : {}),
    });
    const jobId = job ? { jobId: job.id } : {};
    switch (result.status) {
      case 'pending':
        await job?.skip('An earlier delivery awaits its acknowledgement.');
        return pendingOutcome(stream, result.pendingRecords, result.pendingExpiresAt);
      case 'lease_held':
        await job?.skip('Another worker holds the stream.');
        return leaseHeldOutcome(stream, result.expiresAt);
      case 'nothing_new':
        await finish(job);
        return {
          status: 'nothing_new',
          items: [],
          stream,
          stats: stats(result.stats),
          message: `Nothing new in ${options.entity} (${result.stats.read} read, ${result.stats.unchanged} unchanged).`,
          ...jobId,
        };
      case 'delivered': {
        await finish(job);
        const { delivery } = result;
        const items = delivery.records.map((record) => ({
          json: record.data,
          meta: {
            token: delivery.token,
            deliveryKind: 'pull' as const,
            stream: delivery.stream,
            externalId: record.externalId,
            change: record.change,
          },
        }));
        return {
          status: 'delivered',
          items,
          stream,
          stats: stats(result.stats),
          message:
            `${items.length} new or changed record(s) of ${options.entity}; acknowledge them before ` +
            `${new Date(delivery.expiresAt).toISOString()} or they are handed out again` +
            (result.stats.hasMore ? '; more are waiting for the next poll.' : '.'),
          token: delivery.token,
          expiresAt: delivery.expiresAt,
          ...jobId,
        };
      }
    }
  } catch (error) {
    await job?.finish({ error }).catch(() => undefined);
    throw error;
  }
}

/** Checked before a job is logged, so a trigger polling every minute behind an unacknowledged delivery logs none. */
async function waitingFor(options: PollOptions, stream: string): Promise<PollOutcome | undefined> {
  const now = options.clock?.now() ?? Date.now();
  const lease = await options.store.getLease(stream);
  if (lease && lease.owner !== options.owner && lease.expiresAt > now) return leaseHeldOutcome(stream, lease.expiresAt);
  const pending = (await options.store.listDeliveries(stream, { status: 'pending', limit: 50 })).find(
    (delivery) => delivery.status === 'pending' && delivery.expiresAt > now,
  );
  return pending ? pendingOutcome(stream, pending.records, pending.expiresAt) : undefined;
}

function pendingOutcome(stream: string, records: number, expiresAt: number): PollOutcome {
  return {
    status: 'pending',
    items: [],
    stream,
    stats: { read: 0, unchanged: 0, emitted: 0, hasMore: false },
    message:
      `An earlier delivery of ${records} record(s) awaits its acknowledgement; nothing new is handed out until ` +
      `it is acknowledged or expires at ${new Date(expiresAt).toISOString()}.`,
  };
}

function leaseHeldOutcome(stream: string, expiresAt: number | undefined): PollOutcome {
  return {
    status: 'lease_held',
    items: [],
    stream,
    stats: { read: 0, unchanged: 0, emitted: 0, hasMore: false },
    message:
      'Another worker is reading this stream right now' +
      (expiresAt !== undefined ? ` (its lease ends at ${new Date(expiresAt).toISOString()}).` : '.'),
  };
}

function stats(pulled: PullStats): PollStats {
  return { read: pulled.read, unchanged: pulled.unchanged, emitted: pulled.emitted, hasMore: pulled.hasMore };
}

async function finish(job: JobRun | undefined): Promise<void> {
  await job?.finish();
}
