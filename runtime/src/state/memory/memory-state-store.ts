import { systemClock, type Clock } from '../../time';
import {
  deliveryExists,
  deliveryStatus,
  requireDelivery,
  storableCommit,
  type DeliveryCommit,
} from '../delivery-rules';
import { pruneCutoffs } from '../prune-rules';
import { claimNotOwned, cursorConflict, leaseLost } from '../store-errors';
import type {
  AckResult,
  ClaimResult,
  CommitResult,
  CommitUnit,
  CursorState,
  DeadLetter,
  DeadLetterStatus,
  Delivery,
  DeliveryInsert,
  DeliveryStatus,
  ErrorRecord,
  IdMapping,
  JobCreate,
  JobFilter,
  JobUpdate,
  Lease,
  ListOptions,
  OutboxEntry,
  OutboxStatus,
  PruneOptions,
  PruneResult,
  StateStore,
  StoredJobRecordError,
  SyncJob,
} from '../types';
import {
  listLimit,
  requireClaimArgs,
  requireLeaseArgs,
  requirePositive,
  requireText,
  requireVersion,
  storedError,
} from '../validate';
import { MemoryJobLog } from './memory-jobs';
import { MemoryOutbox, jsonCopy, removeWhere } from './memory-outbox';

interface Claim {
  readonly owner: string;
  /** released: given up after a failure; kept so the next claim sees the attempts. */
  readonly status: 'claimed' | 'done' | 'released';
  readonly expiresAt: number;
  readonly updatedAt: number;
  readonly attempts: number;
  readonly lastError: ErrorRecord | undefined;
}

interface StoredDelivery {
  readonly delivery: Omit<DeliveryInsert, 'commit'>;
  readonly commit: DeliveryCommit;
  readonly status: 'pending' | 'acked';
  readonly createdAt: number;
  readonly ackedAt: number | undefined;
}

const idMapKey = (connection: string, entity: string, source: string, externalId: string): string =>
  JSON.stringify([connection, entity, source, externalId]);
const claimKey = (scope: string, key: string): string => JSON.stringify([scope, key]);

/**
 * The StateStore in process memory, for unit tests and dry runs. It passes the same contract suite as the
 * durable stores. A commit validates every guard before it changes anything, and JavaScript runs it to the end
 * without interruption, so "all or nothing" holds without locks. Payloads are copied through JSON on the way
 * in, as a real store would serialise them.
 */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly cursors = new Map<string, CursorState>();
  private readonly leases = new Map<string, Lease>();
  private readonly idMap = new Map<string, IdMapping>();
  private readonly claims = new Map<string, Claim>();
  private readonly outbox = new MemoryOutbox(() => this.nextId++);
  private readonly deadLetters: DeadLetter[] = [];
  /** In insertion order, which is the order listDeliveries reports. */
  private readonly deliveries = new Map<string, StoredDelivery>();
  private readonly jobs = new MemoryJobLog();
  private nextId = 1;

  constructor(private readonly clock: Clock = systemClock) {}

  async getCursor(stream: string): Promise<CursorState | undefined> {
    requireText('stream', stream);
    return this.cursors.get(stream);
  }

  async acquireLease(stream: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    requireLeaseArgs(stream, owner, ttlMs);
    const now = this.clock.now();
    const current = this.leases.get(stream);
    if (current && current.owner !== owner && current.expiresAt > now) return undefined;
    const keepFence = current && current.owner === owner && current.expiresAt > now;
    const lease: Lease = {
      stream,
      owner,
      fence: keepFence ? current.fence : (current?.fence ?? 0) + 1,
      expiresAt: now + ttlMs,
    };
    this.leases.set(stream, lease);
    return lease;
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<Lease> {
    requirePositive('ttlMs', ttlMs);
    const now = this.clock.now();
    this.checkLease(lease, now);
    const renewed = { ...lease, expiresAt: now + ttlMs };
    this.leases.set(lease.stream, renewed);
    return renewed;
  }

  async releaseLease(lease: Lease): Promise<void> {
    const current = this.leases.get(lease.stream);
    if (current && current.owner === lease.owner && current.fence === lease.fence) {
      this.leases.set(lease.stream, { ...current, expiresAt: this.clock.now() });
    }
  }

  async getLease(stream: string): Promise<Lease | undefined> {
    return this.leases.get(stream);
  }

  async getIdMappings(
    key: { connection: string; entity: string; source: string },
    externalIds: readonly string[],
  ): Promise<Map<string, IdMapping>> {
    const found = new Map<string, IdMapping>();
    for (const externalId of externalIds) {
      const mapping = this.idMap.get(idMapKey(key.connection, key.entity, key.source, externalId));
      if (mapping) found.set(externalId, mapping);
    }
    return found;
  }

  async countIdMappings(connection: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const m of this.idMap.values()) {
      if (m.connection === connection) counts.set(m.entity, (counts.get(m.entity) ?? 0) + 1);
    }
    return counts;
  }

  async claim(scope: string, key: string, owner: string, ttlMs: number): Promise<ClaimResult> {
    requireClaimArgs(scope, key, owner, ttlMs);
    const now = this.clock.now();
    const existing = this.claims.get(claimKey(scope, key));
    if (existing && existing.status !== 'released' && existing.expiresAt > now) {
      return existing.status === 'done'
        ? { status: 'duplicate', doneAt: existing.updatedAt }
        : { status: 'in_progress', owner: existing.owner, expiresAt: existing.expiresAt };
    }
    // A done key past its retention is a new event under an old key: its failures do not carry over.
    const carried = existing && existing.status !== 'done' ? existing : undefined;
    const attempts = carried?.attempts ?? 0;
    const lastError = carried?.lastError;
    this.claims.set(claimKey(scope, key), {
      owner,
      status: 'claimed',
      expiresAt: now + ttlMs,
      updatedAt: now,
      attempts,
      lastError,
    });
    return { status: 'claimed', expiresAt: now + ttlMs, attempts, ...(lastError && { lastError }) };
  }

  async completeClaim(scope: string, key: string, owner: string, retainMs: number): Promise<void> {
    requirePositive('retainMs', retainMs);
    this.ownedClaim(scope, key, owner);
    this.markDone(scope, key, retainMs, this.clock.now());
  }

  async releaseClaim(scope: string, key: string, owner: string, failure?: ErrorRecord): Promise<boolean> {
    const existing = this.claims.get(claimKey(scope, key));
    if (!existing || existing.owner !== owner || existing.status !== 'claimed') return false;
    const now = this.clock.now();
    this.claims.set(claimKey(scope, key), {
      ...existing,
      status: 'released',
      expiresAt: now,
      updatedAt: now,
      attempts: existing.attempts + (failure ? 1 : 0),
      lastError: failure ? storedError(failure) : existing.lastError,
    });
    return true;
  }

  async createDelivery(delivery: DeliveryInsert): Promise<void> {
    requireDelivery(delivery);
    if (this.deliveries.has(delivery.token)) throw deliveryExists(delivery.stream);
    const { commit, ...rest } = delivery;
    this.deliveries.set(delivery.token, {
      delivery: rest,
      commit: jsonCopy(storableCommit(commit)) as DeliveryCommit,
      status: 'pending',
      createdAt: this.clock.now(),
      ackedAt: undefined,
    });
  }

  async ackDelivery(token: string): Promise<AckResult> {
    const stored = this.deliveries.get(token);
    if (!stored) return { status: 'unknown' };
    if (stored.status === 'acked') return { status: 'already_acked' };
    const now = this.clock.now();
    // `apply` throws before its first write when a fence fails, so the delivery then stays pending.
    const { cursorVersion } = this.apply(stored.commit, now);
    this.deliveries.set(token, { ...stored, commit: {}, status: 'acked', ackedAt: now });
    return { status: 'acked', cursorVersion };
  }

  async getDelivery(token: string): Promise<Delivery | undefined> {
    const stored = this.deliveries.get(token);
    return stored && this.toDelivery(stored, this.clock.now());
  }

  async listDeliveries(stream: string, options: { status?: DeliveryStatus; limit?: number } = {}): Promise<Delivery[]> {
    const now = this.clock.now();
    return [...this.deliveries.values()]
      .filter((d) => d.delivery.stream === stream)
      .map((d) => this.toDelivery(d, now))
      .filter((d) => (options.status === undefined ? d.status !== 'acked' : d.status === options.status))
      .slice(0, listLimit(options.limit));
  }

  async commit(unit: CommitUnit): Promise<CommitResult> {
    return this.apply(unit, this.clock.now());
  }

  async dueOutbox(connection: string, limit: number): Promise<OutboxEntry[]> {
    return this.outbox.due(connection, limit, this.clock.now());
  }

  async listOutbox(filter: { connection?: string; status?: OutboxStatus } & ListOptions): Promise<OutboxEntry[]> {
    return this.outbox.list(filter);
  }

  async listDeadLetters(filter: { scope?: string; status?: DeadLetterStatus } & ListOptions): Promise<DeadLetter[]> {
    return this.deadLetters
      .filter(
        (d) =>
          (filter.scope === undefined || d.scope === filter.scope) &&
          (filter.status === undefined || d.status === filter.status) &&
          d.id > (filter.afterId ?? 0),
      )
      .slice(0, listLimit(filter.limit));
  }

  async resolveDeadLetters(ids: readonly number[], resolution: string): Promise<number> {
    const now = this.clock.now();
    let changed = 0;
    this.deadLetters.forEach((dl, index) => {
      if (dl.status !== 'open' || !ids.includes(dl.id)) return;
      this.deadLetters[index] = { ...dl, status: 'resolved', resolvedAt: now, resolution, updatedAt: now };
      changed += 1;
    });
    return changed;
  }

  async createJob(job: JobCreate): Promise<SyncJob> {
    return this.jobs.create(job, this.clock.now());
  }

  async updateJob(id: string, update: JobUpdate): Promise<SyncJob> {
    return this.jobs.update(id, update, this.clock.now());
  }

  async heartbeatJob(id: string): Promise<void> {
    this.jobs.heartbeat(id, this.clock.now());
  }

  async requestJobCancel(id: string): Promise<boolean> {
    return this.jobs.requestCancel(id);
  }

  async getJob(id: string): Promise<SyncJob | undefined> {
    return this.jobs.get(id);
  }

  async listJobs(filter: JobFilter): Promise<SyncJob[]> {
    return this.jobs.list(filter);
  }

  async listJobErrors(
    jobId: string,
    options: { limit?: number; afterIndex?: number } = {},
  ): Promise<StoredJobRecordError[]> {
    return this.jobs.listErrors(jobId, options);
  }

  async prune(options: PruneOptions = {}): Promise<PruneResult> {
    const cut = pruneCutoffs(options, this.clock.now());
    let claims = 0;
    for (const [key, claim] of this.claims) {
      // Capped at now: a done claim still answering duplicate, or a live one, is never below the cutoff.
      if (claim.expiresAt < cut.claims) {
        this.claims.delete(key);
        claims += 1;
      }
    }
    let deliveries = 0;
    for (const [token, d] of this.deliveries) {
      const gone =
        d.status === 'acked'
          ? d.ackedAt !== undefined && d.ackedAt < cut.deliveriesAcked
          : d.delivery.expiresAt < cut.deliveriesExpired;
      if (gone) {
        this.deliveries.delete(token);
        deliveries += 1;
      }
    }
    const deadLetters = removeWhere(
      this.deadLetters,
      (dl) => dl.status === 'resolved' && dl.resolvedAt !== undefined && dl.resolvedAt < cut.deadLettersResolved,
    );
    const outbox = this.outbox.prune(cut.outboxSent);
    return { claims, outbox, deliveries, deadLetters, ...this.jobs.prune(cut.jobsFinished) };
  }

  async close(): Promise<void> {
    return undefined;
  }

  /** A commit unit: every guard first, so nothing below the guards may throw once the first write happened. */
  private apply(unit: CommitUnit, now: number): CommitResult {
    if (unit.lease) this.checkLease(unit.lease, now);
    if (unit.cursor) {
      requireText('cursor.stream', unit.cursor.stream);
      requireVersion(unit.cursor.expectedVersion);
      const actual = this.cursors.get(unit.cursor.stream)?.version ?? 0;
      if (actual !== unit.cursor.expectedVersion)
        throw cursorConflict(unit.cursor.stream, unit.cursor.expectedVersion, actual);
    }
    for (const claim of unit.claimsDone ?? []) this.ownedClaim(claim.scope, claim.key, claim.owner);
    if (unit.job) this.jobs.require(unit.job.id);

    let cursorVersion: number | undefined;
    if (unit.cursor) {
      cursorVersion = unit.cursor.expectedVersion + 1;
      this.cursors.set(unit.cursor.stream, {
        stream: unit.cursor.stream,
        value: unit.cursor.value,
        version: cursorVersion,
        updatedAt: now,
      });
    }
    for (const claim of unit.claimsDone ?? []) this.markDone(claim.scope, claim.key, claim.retainMs, now);
    for (const m of unit.idMap ?? []) {
      this.idMap.set(idMapKey(m.connection, m.entity, m.source, m.externalId), {
        connection: m.connection,
        entity: m.entity,
        source: m.source,
        externalId: m.externalId,
        targetId: m.targetId,
        contentHash: m.contentHash,
        sourceVersion: m.sourceVersion,
        updatedAt: now,
      });
    }
    const outboxIds = (unit.outbox ?? []).map((entry) => this.outbox.insert(entry, now));
    for (const update of unit.outboxUpdates ?? []) this.outbox.update(update, now);
    const deadLetterIds = (unit.deadLetters ?? []).map((dl) => {
      const id = this.nextId++;
      this.deadLetters.push({
        scope: dl.scope,
        key: dl.key,
        payload: jsonCopy(dl.payload),
        error: storedError(dl.error),
        attempts: dl.attempts,
        jobId: dl.jobId,
        id,
        status: 'open',
        createdAt: now,
        updatedAt: now,
        resolvedAt: undefined,
        resolution: undefined,
      });
      return id;
    });
    if (unit.job) this.jobs.apply(unit.job, now);
    return { cursorVersion, outboxIds, deadLetterIds };
  }

  private toDelivery(stored: StoredDelivery, now: number): Delivery {
    return {
      ...stored.delivery,
      status: deliveryStatus(stored.status, stored.delivery.expiresAt, now),
      createdAt: stored.createdAt,
      ackedAt: stored.ackedAt,
    };
  }

  private checkLease(lease: Lease, now: number): void {
    const current = this.leases.get(lease.stream);
    if (!current || current.owner !== lease.owner || current.fence !== lease.fence || current.expiresAt <= now) {
      throw leaseLost(lease, current, now);
    }
  }

  private ownedClaim(scope: string, key: string, owner: string): void {
    const existing = this.claims.get(claimKey(scope, key));
    if (!existing || existing.owner !== owner || existing.status !== 'claimed') throw claimNotOwned(scope, key, owner);
  }

  private markDone(scope: string, key: string, retainMs: number, now: number): void {
    const existing = this.claims.get(claimKey(scope, key));
    if (existing)
      this.claims.set(claimKey(scope, key), { ...existing, status: 'done', expiresAt: now + retainMs, updatedAt: now });
  }
}
