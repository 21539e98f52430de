import { TaktError, redactValue } from '../../errors';
import type { Clock } from '../../time';
import { jobExists, jobNotFound, leaseLost } from '../store-errors';
import { applyCommit, completeClaim } from './apply-commit';
import type {
  ClaimResult,
  CommitResult,
  CommitUnit,
  CursorState,
  DeadLetter,
  DeadLetterStatus,
  IdMapping,
  JobCreate,
  JobStatus,
  JobUpdate,
  Lease,
  ListOptions,
  OutboxEntry,
  OutboxStatus,
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
import type { SqlDriver, SqlValue } from './driver';
import { toCursor, toDeadLetter, toIdMapping, toJob, toJobError, toLease, toOutboxEntry } from './rows';

/** SQLite caps bound parameters per statement; id-map lookups are chunked well below it. */
const LOOKUP_CHUNK = 500;

/**
 * The StateStore contract in SQL, for SQLite and PostgreSQL alike. Every state change is a single statement
 * whose WHERE clause is the guard (insert-if-absent, compare-and-set on a version, owner + fence checks), so
 * correctness under concurrent workers rests on the database's row atomicity, not on reads followed by writes.
 */
export class SqlStateStore implements StateStore {
  readonly kind: 'sqlite' | 'postgres';

  constructor(
    private readonly db: SqlDriver,
    private readonly clock: Clock,
  ) {
    this.kind = db.dialect;
  }

  async getCursor(stream: string): Promise<CursorState | undefined> {
    requireText('stream', stream);
    const { rows } = await this.db.query('SELECT * FROM takt_cursors WHERE stream = ?', [stream]);
    return rows[0] ? toCursor(rows[0]) : undefined;
  }

  async acquireLease(stream: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    requireLeaseArgs(stream, owner, ttlMs);
    const now = this.clock.now();
    // Same owner and still valid: extend, keep the fence. Free or expired: take it with fence + 1.
    const { rows } = await this.db.query(
      `INSERT INTO takt_leases (stream, owner, fence, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (stream) DO UPDATE SET
         fence = CASE WHEN takt_leases.owner = excluded.owner AND takt_leases.expires_at > ?
                      THEN takt_leases.fence ELSE takt_leases.fence + 1 END,
         owner = excluded.owner,
         expires_at = excluded.expires_at
       WHERE takt_leases.owner = excluded.owner OR takt_leases.expires_at <= ?
       RETURNING stream, owner, fence, expires_at`,
      [stream, owner, now + ttlMs, now, now],
    );
    return rows[0] ? toLease(rows[0]) : undefined;
  }

  async renewLease(lease: Lease, ttlMs: number): Promise<Lease> {
    requirePositive('ttlMs', ttlMs);
    const now = this.clock.now();
    const { rows } = await this.db.query(
      `UPDATE takt_leases SET expires_at = ? WHERE stream = ? AND owner = ? AND fence = ? AND expires_at > ?
       RETURNING stream, owner, fence, expires_at`,
      [now + ttlMs, lease.stream, lease.owner, lease.fence, now],
    );
    if (rows[0]) return toLease(rows[0]);
    throw leaseLost(lease, await this.getLease(lease.stream), now);
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.db.query('UPDATE takt_leases SET expires_at = ? WHERE stream = ? AND owner = ? AND fence = ?', [
      this.clock.now(),
      lease.stream,
      lease.owner,
      lease.fence,
    ]);
  }

  async getLease(stream: string): Promise<Lease | undefined> {
    const { rows } = await this.db.query('SELECT * FROM takt_leases WHERE stream = ?', [stream]);
    return rows[0] ? toLease(rows[0]) : undefined;
  }

  async getIdMappings(
    key: { connection: string; entity: string; source: string },
    externalIds: readonly string[],
  ): Promise<Map<string, IdMapping>> {
    const found = new Map<string, IdMapping>();
    const unique = [...new Set(externalIds)];
    for (let start = 0; start < unique.length; start += LOOKUP_CHUNK) {
      const chunk = unique.slice(start, start + LOOKUP_CHUNK);
      const { rows } = await this.db.query(
        `SELECT * FROM takt_id_map WHERE connection = ? AND entity = ? AND source = ?
         AND external_id IN (${chunk.map(() => '?').join(', ')})`,
        [key.connection, key.entity, key.source, ...chunk],
      );
      for (const row of rows) {
        const mapping = toIdMapping(row);
        found.set(mapping.externalId, mapping);
      }
    }
    return found;
  }

  async claim(scope: string, key: string, owner: string, ttlMs: number): Promise<ClaimResult> {
    requireClaimArgs(scope, key, owner, ttlMs);
    // A claim released between our insert attempt and our read is gone; try again (bounded, it is rare).
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const now = this.clock.now();
      const { rows } = await this.db.query(
        `INSERT INTO takt_claims (scope, claim_key, owner, status, expires_at, updated_at)
         VALUES (?, ?, ?, 'claimed', ?, ?)
         ON CONFLICT (scope, claim_key) DO UPDATE SET
           owner = excluded.owner, status = 'claimed', expires_at = excluded.expires_at, updated_at = excluded.updated_at
         WHERE takt_claims.expires_at <= ?
         RETURNING expires_at`,
        [scope, key, owner, now + ttlMs, now, now],
      );
      if (rows[0]) return { status: 'claimed', expiresAt: Number(rows[0].expires_at) };
      const existing = await this.db.query(
        'SELECT owner, status, expires_at, updated_at FROM takt_claims WHERE scope = ? AND claim_key = ?',
        [scope, key],
      );
      const row = existing.rows[0];
      if (!row) continue;
      return row.status === 'done'
        ? { status: 'duplicate', doneAt: Number(row.updated_at) }
        : { status: 'in_progress', owner: String(row.owner), expiresAt: Number(row.expires_at) };
    }
    throw new TaktError(
      'STORE_BUSY',
      `Claim "${key}" in "${scope}" kept changing under concurrent workers; try again.`,
    );
  }

  async completeClaim(scope: string, key: string, owner: string, retainMs: number): Promise<void> {
    requirePositive('retainMs', retainMs);
    await completeClaim(this.db, { scope, key, owner, retainMs }, this.clock.now());
  }

  async releaseClaim(scope: string, key: string, owner: string): Promise<boolean> {
    const { changes } = await this.db.query(
      `DELETE FROM takt_claims WHERE scope = ? AND claim_key = ? AND owner = ? AND status = 'claimed'`,
      [scope, key, owner],
    );
    return changes === 1;
  }

  async commit(unit: CommitUnit): Promise<CommitResult> {
    if (unit.cursor) {
      requireText('cursor.stream', unit.cursor.stream);
      requireVersion(unit.cursor.expectedVersion);
    }
    return this.db.transaction((tx) => applyCommit(tx, this.db.dialect, unit, this.clock.now()));
  }

  async dueOutbox(connection: string, limit: number): Promise<OutboxEntry[]> {
    const { rows } = await this.db.query(
      `SELECT o.* FROM takt_outbox o
       WHERE o.connection = ? AND o.status = 'pending' AND o.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM takt_outbox p WHERE p.connection = o.connection AND p.order_key = o.order_key
                         AND p.status = 'pending' AND p.id < o.id)
       ORDER BY o.id LIMIT ?`,
      [connection, this.clock.now(), listLimit(limit)],
    );
    return rows.map(toOutboxEntry);
  }

  async listOutbox(filter: { connection?: string; status?: OutboxStatus } & ListOptions): Promise<OutboxEntry[]> {
    const where = filters({ connection: filter.connection, status: filter.status }, filter.afterId);
    const { rows } = await this.db.query(`SELECT * FROM takt_outbox${where.sql} ORDER BY id LIMIT ?`, [
      ...where.params,
      listLimit(filter.limit),
    ]);
    return rows.map(toOutboxEntry);
  }

  async listDeadLetters(filter: { scope?: string; status?: DeadLetterStatus } & ListOptions): Promise<DeadLetter[]> {
    const where = filters({ scope: filter.scope, status: filter.status }, filter.afterId);
    const { rows } = await this.db.query(`SELECT * FROM takt_dead_letters${where.sql} ORDER BY id LIMIT ?`, [
      ...where.params,
      listLimit(filter.limit),
    ]);
    return rows.map(toDeadLetter);
  }

  async resolveDeadLetters(ids: readonly number[], resolution: string): Promise<number> {
    if (ids.length === 0) return 0;
    const now = this.clock.now();
    const { changes } = await this.db.query(
      `UPDATE takt_dead_letters SET status = 'resolved', resolved_at = ?, resolution = ?, updated_at = ?
       WHERE status = 'open' AND id IN (${ids.map(() => '?').join(', ')})`,
      [now, resolution, now, ...ids],
    );
    return changes;
  }

  async createJob(job: JobCreate): Promise<SyncJob> {
    requireText('job.id', job.id);
    const now = this.clock.now();
    const { rows } = await this.db.query(
      `INSERT INTO takt_jobs (id, connection, entity, kind, status, params, started_at, heartbeat_at)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [job.id, job.connection, job.entity, job.kind, JSON.stringify(redactValue(job.params ?? {})), now, now],
    );
    if (!rows[0]) throw jobExists(job.id);
    return toJob(rows[0]);
  }

  async updateJob(id: string, update: JobUpdate): Promise<SyncJob> {
    const now = this.clock.now();
    const finished = update.status !== 'running';
    const error = update.status !== 'running' && update.error ? JSON.stringify(storedError(update.error)) : null;
    const { rows } = await this.db.query(
      `UPDATE takt_jobs SET status = ?, error = ?, heartbeat_at = ?, finished_at = ? WHERE id = ? RETURNING *`,
      [update.status, error, now, finished ? now : null, id],
    );
    if (!rows[0]) throw jobNotFound(id);
    return toJob(rows[0]);
  }

  async heartbeatJob(id: string): Promise<void> {
    const { changes } = await this.db.query('UPDATE takt_jobs SET heartbeat_at = ? WHERE id = ?', [
      this.clock.now(),
      id,
    ]);
    if (changes !== 1) throw jobNotFound(id);
  }

  async requestJobCancel(id: string): Promise<boolean> {
    const { changes } = await this.db.query(
      `UPDATE takt_jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'`,
      [id],
    );
    return changes === 1;
  }

  async getJob(id: string): Promise<SyncJob | undefined> {
    const { rows } = await this.db.query('SELECT * FROM takt_jobs WHERE id = ?', [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async listJobs(filter: {
    connection?: string;
    status?: JobStatus;
    heartbeatBefore?: number;
    limit?: number;
  }): Promise<SyncJob[]> {
    const where = filters({ connection: filter.connection, status: filter.status });
    if (filter.heartbeatBefore !== undefined) where.add('heartbeat_at < ?', filter.heartbeatBefore);
    const { rows } = await this.db.query(
      `SELECT * FROM takt_jobs${where.sql} ORDER BY started_at DESC, id DESC LIMIT ?`,
      [...where.params, listLimit(filter.limit)],
    );
    return rows.map(toJob);
  }

  async listJobErrors(
    jobId: string,
    options: { limit?: number; afterIndex?: number } = {},
  ): Promise<StoredJobRecordError[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM takt_job_errors WHERE job_id = ? AND record_index > ? ORDER BY record_index, id LIMIT ?`,
      [jobId, options.afterIndex ?? -1, listLimit(options.limit)],
    );
    return rows.map(toJobError);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Equality filters over optional values, plus keyset paging by id. */
function filters(
  equal: Record<string, string | undefined>,
  afterId?: number,
): { sql: string; params: SqlValue[]; add(condition: string, value: SqlValue): void } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  for (const [column, value] of Object.entries(equal)) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  if (afterId !== undefined) {
    conditions.push('id > ?');
    params.push(afterId);
  }
  return {
    get sql() {
      return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    },
    params,
    add(condition, value) {
      conditions.push(condition);
      params.push(value);
    },
  };
}
