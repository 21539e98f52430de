import { redactValue } from '../../errors';
import type { Clock } from '../../time';
import { illegalJobTransition, isTerminalJobStatus, requireJobCreate, requireJobUpdate } from '../job-rules';
import { jobExists, jobNotFound } from '../store-errors';
import type { JobCreate, JobFilter, JobUpdate, StoredJobRecordError, SyncJob } from '../types';
import { listLimit, storedError } from '../validate';
import type { SqlDriver, SqlValue } from './driver';
import { filters } from './filters';
import { toJob, toJobError } from './rows';

/** Statuses a job can still leave, as SQL: the guard of every update (see job-rules.ts). */
const OPEN = `status IN ('pending', 'in_progress')`;

/**
 * The sync-job log in SQL. Every status change is one UPDATE guarded by the job still being open, so two
 * workers finishing the same job cannot both succeed: the second sees the first's terminal status and throws.
 */
export class SqlJobLog {
  constructor(
    private readonly db: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async create(job: JobCreate): Promise<SyncJob> {
    requireJobCreate(job);
    const now = this.clock.now();
    const { rows } = await this.db.query(
      `INSERT INTO takt_jobs (id, connection, entity, kind, direction, status, params, total, parent_job_id,
         created_at, heartbeat_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [
        job.id,
        job.connection,
        job.entity,
        job.kind,
        job.direction,
        JSON.stringify(redactValue(job.params ?? {})),
        job.total ?? null,
        job.parentJobId ?? null,
        now,
        now,
      ],
    );
    if (!rows[0]) throw jobExists(job.id);
    return toJob(rows[0]);
  }

  async update(id: string, update: JobUpdate): Promise<SyncJob> {
    requireJobUpdate(id, update);
    const now = this.clock.now();
    const sets = ['heartbeat_at = ?'];
    const params: SqlValue[] = [now];
    const set = (assignment: string, value: SqlValue): void => {
      sets.push(assignment);
      params.push(value);
    };
    if (update.status !== undefined) set('status = ?', update.status);
    if (update.status === 'in_progress') set('started_at = COALESCE(started_at, ?)', now);
    if (update.status !== undefined && isTerminalJobStatus(update.status)) {
      set('finished_at = ?', now);
      set('error = ?', 'error' in update && update.error ? JSON.stringify(storedError(update.error)) : null);
    }
    if ('total' in update && update.total !== undefined) set('total = ?', update.total);
    const { rows } = await this.db.query(
      `UPDATE takt_jobs SET ${sets.join(', ')} WHERE id = ? AND ${OPEN} RETURNING *`,
      [...params, id],
    );
    if (rows[0]) return toJob(rows[0]);
    const current = await this.get(id);
    if (!current) throw jobNotFound(id);
    throw illegalJobTransition(id, current.status, update.status);
  }

  async heartbeat(id: string): Promise<void> {
    const { changes } = await this.db.query('UPDATE takt_jobs SET heartbeat_at = ? WHERE id = ?', [
      this.clock.now(),
      id,
    ]);
    if (changes !== 1) throw jobNotFound(id);
  }

  async requestCancel(id: string): Promise<boolean> {
    const { changes } = await this.db.query(`UPDATE takt_jobs SET cancel_requested = 1 WHERE id = ? AND ${OPEN}`, [id]);
    return changes === 1;
  }

  async get(id: string): Promise<SyncJob | undefined> {
    const { rows } = await this.db.query('SELECT * FROM takt_jobs WHERE id = ?', [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async list(filter: JobFilter): Promise<SyncJob[]> {
    const where = filters({
      connection: filter.connection,
      entity: filter.entity,
      kind: filter.kind,
      status: filter.status,
    });
    if (filter.heartbeatBefore !== undefined) where.add('heartbeat_at < ?', filter.heartbeatBefore);
    const { rows } = await this.db.query(
      `SELECT * FROM takt_jobs${where.sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...where.params, listLimit(filter.limit)],
    );
    return rows.map(toJob);
  }

  async listErrors(jobId: string, options: { limit?: number; afterIndex?: number }): Promise<StoredJobRecordError[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM takt_job_errors WHERE job_id = ? AND record_index > ? ORDER BY record_index, id LIMIT ?`,
      [jobId, options.afterIndex ?? -1, listLimit(options.limit)],
    );
    return rows.map(toJobError);
  }
}
