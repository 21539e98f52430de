import { redactValue } from '../../errors';
import { systemClock, type Clock } from '../../time';
import { claimNotOwned, cursorConflict, jobExists, jobNotFound, leaseLost } from '../store-errors';
import {
  JOB_COUNTERS,
  type ClaimResult,
  type CommitResult,
  type CommitUnit,
  type CursorState,
  type DeadLetter,
  type DeadLetterStatus,
  type IdMapping,
  type JobCounters,
  type JobCreate,
  type JobStatus,
  type JobUpdate,
  type Lease,
  type ListOptions,
  type OutboxEntry,
  type OutboxStatus,
  type StateStore,
  type StoredJobRecordError,
  type SyncJob,
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

interface Claim {
  owner: string;
  status: 'claimed' | 'done';
  expiresAt: number;
  updatedAt: number;
}

const idMapKey = (connection: string, entity: string, source: string, externalId: string): string =>
  JSON.stringify([connection, entity, source, externalId]);
const claimKey = (scope: string, key: string): string => JSON.stringify([scope, key]);
const zeroCounters = (): JobCounters => ({
  read: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  conflict: 0,
  failed: 0,
});

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
  private readonly outbox: OutboxEntry[] = [];
  private readonly deadLetters: DeadLetter[] = [];
  private readonly jobs = new Map<string, SyncJob>();
  private readonly jobErrors: StoredJobRecordError[] = [];
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

  async claim(scope: string, key: string, owner: string, ttlMs: number): Promise<ClaimResult> {
    requireClaimArgs(scope, key, owner, ttlMs);
    const now = this.clock.now();
    const existing = this.claims.get(claimKey(scope, key));
    if (existing && existing.expiresAt > now) {
      return existing.status === 'done'
        ? { status: 'duplicate', doneAt: existing.updatedAt }
        : { status: 'in_progress', owner: existing.owner, expiresAt: existing.expiresAt };
    }
    this.claims.set(claimKey(scope, key), { owner, status: 'claimed', expiresAt: now + ttlMs, updatedAt: now });
    return { status: 'claimed', expiresAt: now + ttlMs };
  }

  async completeClaim(scope: string, key: string, owner: string, retainMs: number): Promise<void> {
    requirePositive('retainMs', retainMs);
    this.ownedClaim(scope, key, owner);
    this.markDone(scope, key, retainMs, this.clock.now());
  }

  async releaseClaim(scope: string, key: string, owner: string): Promise<boolean> {
    const existing = this.claims.get(claimKey(scope, key));
    if (!existing || existing.owner !== owner || existing.status !== 'claimed') return false;
    this.claims.delete(claimKey(scope, key));
    return true;
  }

  async commit(unit: CommitUnit): Promise<CommitResult> {
    const now = this.clock.now();
    // Every guard first: nothing below may throw once the first write happened.
    if (unit.lease) this.checkLease(unit.lease, now);
    if (unit.cursor) {
      requireText('cursor.stream', unit.cursor.stream);
      requireVersion(unit.cursor.expectedVersion);
      const actual = this.cursors.get(unit.cursor.stream)?.version ?? 0;
      if (actual !== unit.cursor.expectedVersion)
        throw cursorConflict(unit.cursor.stream, unit.cursor.expectedVersion, actual);
    }
    for (const claim of unit.claimsDone ?? []) this.ownedClaim(claim.scope, claim.key, claim.owner);
    const job = unit.job ? this.jobs.get(unit.job.id) : undefined;
    if (unit.job && !job) throw jobNotFound(unit.job.id);

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
    const outboxIds = (unit.outbox ?? []).map((entry) => {
      const id = this.nextId++;
      this.outbox.push({
        ...entry,
        payload: copy(entry.payload),
        id,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastError: undefined,
        createdAt: now,
        updatedAt: now,
      });
      return id;
    });
    for (const update of unit.outboxUpdates ?? []) {
      const index = this.outbox.findIndex((entry) => entry.id === update.id);
      const entry = this.outbox[index];
      if (!entry) continue;
      this.outbox[index] = {
        ...entry,
        status: update.status,
        attempts: entry.attempts + 1,
        nextAttemptAt:
          update.status === 'pending' ? update.nextAttemptAt : update.status === 'dead' ? now : entry.nextAttemptAt,
        lastError: update.status === 'sent' ? entry.lastError : storedError(update.error),
        updatedAt: now,
      };
    }
    const deadLetterIds = (unit.deadLetters ?? []).map((dl) => {
      const id = this.nextId++;
      this.deadLetters.push({
        scope: dl.scope,
        key: dl.key,
        payload: copy(dl.payload),
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
    if (unit.job && job) {
      const counters = Object.fromEntries(
        JOB_COUNTERS.map((name) => [name, job.counters[name] + (unit.job?.counters?.[name] ?? 0)]),
      ) as JobCounters;
      this.jobs.set(job.id, { ...job, counters, heartbeatAt: now });
      for (const e of unit.job.errors ?? [])
        this.jobErrors.push({ ...e, ...storedError(e), jobId: job.id, createdAt: now });
    }
    return { cursorVersion, outboxIds, deadLetterIds };
  }

  async dueOutbox(connection: string, limit: number): Promise<OutboxEntry[]> {
    const now = this.clock.now();
    const headOfKey = new Set<string>();
    const due: OutboxEntry[] = [];
    for (const entry of this.outbox) {
      if (entry.connection !== connection || entry.status !== 'pending' || headOfKey.has(entry.orderKey)) continue;
      headOfKey.add(entry.orderKey);
      if (entry.nextAttemptAt <= now) due.push(entry);
    }
    return due.slice(0, listLimit(limit));
  }

  async listOutbox(filter: { connection?: string; status?: OutboxStatus } & ListOptions): Promise<OutboxEntry[]> {
    return this.outbox
      .filter(
        (e) =>
          (filter.connection === undefined || e.connection === filter.connection) &&
          (filter.status === undefined || e.status === filter.status) &&
          e.id > (filter.afterId ?? 0),
      )
      .slice(0, listLimit(filter.limit));
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
    requireText('job.id', job.id);
    if (this.jobs.has(job.id)) throw jobExists(job.id);
    const now = this.clock.now();
    const created: SyncJob = {
      id: job.id,
      connection: job.connection,
      entity: job.entity,
      kind: job.kind,
      params: redactValue(job.params ?? {}) as Record<string, unknown>,
      status: 'running',
      counters: zeroCounters(),
      error: undefined,
      cancelRequested: false,
      startedAt: now,
      heartbeatAt: now,
      finishedAt: undefined,
    };
    this.jobs.set(job.id, created);
    return created;
  }

  async updateJob(id: string, update: JobUpdate): Promise<SyncJob> {
    const job = this.jobs.get(id);
    if (!job) throw jobNotFound(id);
    const now = this.clock.now();
    const updated: SyncJob = {
      ...job,
      status: update.status,
      error: update.status !== 'running' && update.error ? storedError(update.error) : undefined,
      heartbeatAt: now,
      finishedAt: update.status === 'running' ? undefined : now,
    };
    this.jobs.set(id, updated);
    return updated;
  }

  async heartbeatJob(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) throw jobNotFound(id);
    this.jobs.set(id, { ...job, heartbeatAt: this.clock.now() });
  }

  async requestJobCancel(id: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || job.status !== 'running') return false;
    this.jobs.set(id, { ...job, cancelRequested: true });
    return true;
  }

  async getJob(id: string): Promise<SyncJob | undefined> {
    return this.jobs.get(id);
  }

  async listJobs(filter: {
    connection?: string;
    status?: JobStatus;
    heartbeatBefore?: number;
    limit?: number;
  }): Promise<SyncJob[]> {
    return [...this.jobs.values()]
      .filter(
        (j) =>
          (filter.connection === undefined || j.connection === filter.connection) &&
          (filter.status === undefined || j.status === filter.status) &&
          (filter.heartbeatBefore === undefined || j.heartbeatAt < filter.heartbeatBefore),
      )
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))
      .slice(0, listLimit(filter.limit));
  }

  async listJobErrors(
    jobId: string,
    options: { limit?: number; afterIndex?: number } = {},
  ): Promise<StoredJobRecordError[]> {
    return this.jobErrors
      .filter((e) => e.jobId === jobId && e.recordIndex > (options.afterIndex ?? -1))
      .sort((a, b) => a.recordIndex - b.recordIndex)
      .slice(0, listLimit(options.limit));
  }

  async close(): Promise<void> {
    return undefined;
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

function copy(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
