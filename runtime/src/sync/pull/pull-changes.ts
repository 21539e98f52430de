import { randomBytes } from 'node:crypto';
import type { EntityDescriptor } from '../../connectors';
import { TaktError } from '../../errors';
import type { Logger } from '../../log';
import type { CommitUnit, IdMapUpsert, JobCounters } from '../../state';
import { readChanges, type ChangeSet } from './change-reader';
import { formatDelta } from './delta-value';
import { nextCursor, sinceOf } from './next-cursor';
import { findEntity, resolveSettings, type PullSettings } from './pull-settings';
import type { PullDelivery, PullOptions, PullResult, PullStats, PulledRecord } from './pull-types';
import { parseCursor, pullStreamName, serializeCursor, singleStreamName, type PullCursor } from './stream-cursor';
import { StreamLease } from './stream-lease';

/**
 * One pull of a stream (see README.md for the protocol): take the stream's lease, refuse while an earlier
 * delivery awaits its ACK, read `since = watermark − lookback`, drop what the id map's content hashes say is
 * unchanged, and hand the rest out as a delivery whose ACK commits the cursor and the hashes in one
 * transaction. Nothing of the stream's state moves before that ACK (state after data), except a watermark or
 * delta link that can move without handing anything out (every record read was unchanged).
 */
export async function pullChanges(options: PullOptions): Promise<PullResult> {
  const settings = resolveSettings(options);
  const descriptor = findEntity(settings);
  return settings.mode === 'single' ? pullSingle(settings, descriptor) : pullStream(settings, descriptor);
}

async function pullStream(settings: PullSettings, descriptor: EntityDescriptor): Promise<PullResult> {
  const { store, clock } = settings;
  const stream = pullStreamName(settings.connection, settings.entity);
  const log = settings.logger.child({ stream, owner: settings.owner, mode: settings.mode });
  const acquired = await StreamLease.acquire(store, stream, settings.owner, settings.leaseTtlMs, clock, log);
  if (!('lease' in acquired)) {
    log.info('stream lease held by another worker: nothing pulled', { holder: acquired.heldBy?.owner });
    return { status: 'lease_held', owner: acquired.heldBy?.owner, expiresAt: acquired.heldBy?.expiresAt };
  }
  const lease = acquired.lease;
  try {
    const now = clock.now();
    const pending = (await store.listDeliveries(stream, { status: 'pending', limit: 50 })).find(
      (delivery) => delivery.status === 'pending' && delivery.expiresAt > now,
    );
    if (pending) {
      log.info('an earlier delivery awaits its acknowledgement: nothing new handed out', {
        records: pending.records,
        expiresAt: pending.expiresAt,
      });
      return { status: 'pending', pendingRecords: pending.records, pendingExpiresAt: pending.expiresAt };
    }

    const stored = await store.getCursor(stream);
    const previous = parseCursor(stream, stored?.value);
    const since = settings.mode === 'full' ? undefined : sinceOf(previous, settings.deltaMode, settings.lookbackMs);
    const { set, baseline, rebaselined } = await readWithRebaseline(settings, descriptor, since, lease, log);
    const next = nextCursor({
      previous,
      set,
      mode: settings.deltaMode,
      now: clock.now(),
      safetyLagMs: settings.safetyLagMs,
      ...(baseline !== undefined ? { baseline } : {}),
    });
    const cursorMoved = serializeCursor(next) !== serializeCursor(previous);
    const cursor = { stream, expectedVersion: stored?.version ?? 0, value: serializeCursor(next) };
    const stats = statsOf(set, rebaselined, next);
    logRecordErrors(set, log);

    if (set.candidates.length === 0) {
      // Every record read was acknowledged before: the watermark (or delta link) may move without a host
      // processing anything. Under the lease, so a zombie cannot move it.
      const job = jobUnit(settings, set);
      if (cursorMoved || job) {
        await store.commit({ lease: lease.current, ...(cursorMoved ? { cursor } : {}), ...(job ? { job } : {}) });
      }
      log.debug('nothing changed', { read: set.read, watermark: stats.watermark });
      return { status: 'nothing_new', stats };
    }

    const records = pulledRecords(set);
    const unit = deliveryUnit(settings, set, cursor);
    if (settings.autoAck) {
      await store.commit({ ...unit, lease: lease.current });
      log.info('records handed out and committed (autoAck)', { records: records.length, hasMore: stats.hasMore });
      return delivered(stream, records, clock.now(), true, stats);
    }
    // Renewing first proves the lease is still ours before the records leave; checking after proves no one
    // took it while the delivery was being recorded (a delivery recorded by a zombie is never handed out).
    await lease.renew();
    const delivery = await recordDelivery(settings, stream, records, unit, stats);
    await lease.verify();
    log.info('delivery handed out; acknowledge it to commit the cursor', {
      records: records.length,
      expiresAt: delivery.delivery.expiresAt,
      hasMore: stats.hasMore,
    });
    return delivery;
  } finally {
    await lease.release();
  }
}

/**
 * Single-record sync: reads one record by key and hands it out when it changed. It moves no watermark, so it
 * takes no stream lease and its deliveries live under a stream of their own, never blocking the incremental
 * pull; its ACK commits the record's content hash only.
 */
async function pullSingle(settings: PullSettings, descriptor: EntityDescriptor): Promise<PullResult> {
  const { store, clock } = settings;
  const stream = singleStreamName(settings.connection, settings.entity);
  const log = settings.logger.child({ stream, owner: settings.owner, mode: 'single' });
  const set = await readChanges({
    ...readerBase(settings, descriptor, log, clock.now()),
    readOptions: { key: settings.key ?? {}, ...(settings.signal ? { signal: settings.signal } : {}) },
    afterPage: async () => settings.job?.checkCancelled(),
  });
  const stats = statsOf(set, false, undefined);
  logRecordErrors(set, log);
  if (set.candidates.length === 0) {
    const job = jobUnit(settings, set);
    if (job) await store.commit({ job });
    return { status: 'nothing_new', stats };
  }
  const records = pulledRecords(set);
  const unit = deliveryUnit(settings, set, undefined);
  if (settings.autoAck) {
    await store.commit(unit);
    return delivered(stream, records, clock.now(), true, stats);
  }
  return recordDelivery(settings, stream, records, unit, stats);
}

/**
 * Reads with `since`; when the source says the delta expired (DELTA_TOKEN_EXPIRED, or HTTP 410 Gone), reads
 * everything once instead. Hash dedup makes that re-baseline hand out only what really changed. A second
 * expiry in the same run is DELTA_REBASELINE_FAILED: looping on an expiring source would read it forever.
 */
async function readWithRebaseline(
  settings: PullSettings,
  descriptor: EntityDescriptor,
  since: string | undefined,
  lease: StreamLease,
  log: Logger,
): Promise<{ set: ChangeSet; baseline: string | undefined; rebaselined: boolean }> {
  const read = (from: string | undefined): Promise<ChangeSet> =>
    readChanges({
      ...readerBase(settings, descriptor, log, settings.clock.now()),
      readOptions: {
        ...(from !== undefined ? { since: from } : {}),
        pageSize: settings.pageSize,
        ...(settings.signal ? { signal: settings.signal } : {}),
      },
      afterPage: async () => {
        await lease.keepAlive();
        await settings.job?.checkCancelled();
      },
    });
  try {
    const set = await read(since);
    const baseline = since !== undefined ? undefined : settings.mode === 'full' ? 'full sync' : 'first run';
    return { set, baseline, rebaselined: false };
  } catch (error) {
    if (!isDeltaExpired(error)) throw error;
    log.warn('the delta expired at the source: reading everything once (re-baseline)', { code: error.code });
    try {
      const set = await read(undefined);
      return { set, baseline: `delta expired (${error.code})`, rebaselined: true };
    } catch (second) {
      if (!isDeltaExpired(second)) throw second;
      throw new TaktError(
        'DELTA_REBASELINE_FAILED',
        `The delta of ${descriptor.name} expired at the source (${error.code}), and the full re-read that ` +
          `replaces it expired too (${second.code}). Nothing was handed out and the cursor is unchanged; check ` +
          "the source's change-tracking retention, then run a full sync.",
        { cause: second, details: { entity: descriptor.name, first: error.code, second: second.code } },
      );
    }
  }
}

function isDeltaExpired(error: unknown): error is TaktError {
  return TaktError.is(error) && (error.code === 'DELTA_TOKEN_EXPIRED' || error.code === 'HTTP_GONE');
}

function readerBase(settings: PullSettings, descriptor: EntityDescriptor, log: Logger, now: number) {
  return {
    connector: settings.connector,
    descriptor,
    lookup: (ids: readonly string[]) =>
      settings.store.getIdMappings(
        { connection: settings.connection, entity: settings.entity, source: settings.source },
        ids,
      ),
    hashOf: settings.hashOf,
    maxRecords: settings.maxRecords,
    now,
    log,
  };
}

function pulledRecords(set: ChangeSet): PulledRecord[] {
  return set.candidates.map((candidate, index) => ({
    index,
    externalId: candidate.externalId,
    data: candidate.data,
    contentHash: candidate.contentHash,
    change: candidate.change,
    ...(candidate.rawDelta !== undefined ? { delta: candidate.rawDelta } : {}),
  }));
}

/**
 * What the ACK applies. Inbound id-map rows name the record by its own key: `targetId` is the external id,
 * because a pull has no target of its own (the host decides where the records go); what the row is for is
 * the content hash, and the delta value as `sourceVersion`.
 */
function deliveryUnit(settings: PullSettings, set: ChangeSet, cursor: CommitUnit['cursor']): Omit<CommitUnit, 'lease'> {
  const idMap: IdMapUpsert[] = set.candidates.map((candidate) => ({
    connection: settings.connection,
    entity: settings.entity,
    source: settings.source,
    externalId: candidate.externalId,
    targetId: candidate.externalId,
    contentHash: candidate.contentHash,
    ...(candidate.rawDelta !== undefined ? { sourceVersion: candidate.rawDelta } : {}),
  }));
  const job = jobUnit(settings, set);
  return { ...(cursor ? { cursor } : {}), idMap, ...(job ? { job } : {}) };
}

function jobUnit(settings: PullSettings, set: ChangeSet): CommitUnit['job'] {
  if (!settings.job) return undefined;
  const created = set.candidates.filter((candidate) => candidate.change === 'created').length;
  const counters: Partial<JobCounters> = {
    read: set.read,
    created,
    updated: set.candidates.length - created,
    unchanged: set.unchanged,
    failed: set.errors.length,
  };
  return { id: settings.job.id, counters, ...(set.errors.length > 0 ? { errors: set.errors } : {}) };
}

function statsOf(set: ChangeSet, rebaselined: boolean, cursor: PullCursor | undefined): PullStats {
  return {
    read: set.read,
    unchanged: set.unchanged,
    emitted: set.candidates.length,
    hasMore: set.truncated,
    rebaselined,
    ...(cursor?.watermark ? { watermark: formatDelta(cursor.watermark) } : {}),
  };
}

function delivered(
  stream: string,
  records: readonly PulledRecord[],
  expiresAt: number,
  acknowledged: boolean,
  stats: PullStats,
): { status: 'delivered'; delivery: PullDelivery; stats: PullStats } {
  // 256 random bits: the token is the capability to commit the stream, so it must not be guessable.
  const token = randomBytes(32).toString('base64url');
  return { status: 'delivered', delivery: { token, stream, records, expiresAt, acknowledged }, stats };
}

/** Stores a delivery's commit unit under a fresh token (nothing of it applied until the ACK), then hands it out. */
async function recordDelivery(
  settings: PullSettings,
  stream: string,
  records: readonly PulledRecord[],
  unit: Omit<CommitUnit, 'lease'>,
  stats: PullStats,
): Promise<{ status: 'delivered'; delivery: PullDelivery; stats: PullStats }> {
  const result = delivered(stream, records, settings.clock.now() + settings.deliveryTtlMs, false, stats);
  await settings.store.createDelivery({
    token: result.delivery.token,
    stream,
    commit: unit,
    records: records.length,
    expiresAt: result.delivery.expiresAt,
  });
  return result;
}

function logRecordErrors(set: ChangeSet, log: Logger): void {
  for (const error of set.errors) {
    log.warn('record not handed out', { code: error.code, externalId: error.externalId, index: error.recordIndex });
  }
}
