import { TaktError } from '../errors';
import { TERMINAL_JOB_STATUSES, type JobCreate, type JobStatus, type JobUpdate } from './types';
import { requireText } from './validate';

/**
 * The job life cycle every adapter enforces the same way. A job may only move on while it is open (pending or
 * in progress); once terminal its record is final, so a late or duplicate "finished" cannot rewrite history.
 */
export const OPEN_JOB_STATUSES: readonly JobStatus[] = ['pending', 'in_progress'];

const JOB_STATUSES: readonly JobStatus[] = ['pending', 'in_progress', ...TERMINAL_JOB_STATUSES];
const DIRECTIONS = ['inbound', 'outbound'];

export function isTerminalJobStatus(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

export function requireJobCreate(job: JobCreate): void {
  requireText('job.id', job.id);
  requireText('job.connection', job.connection);
  requireText('job.entity', job.entity);
  if (!DIRECTIONS.includes(job.direction)) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Sync job "${job.id}": direction must be "inbound" or "outbound", got "${String(job.direction)}".`,
    );
  }
  if (job.total !== undefined) requireTotal(job.id, job.total);
}

/** Checks what can be checked without the stored job: a known target status, a sane total, not empty. */
export function requireJobUpdate(id: string, update: JobUpdate): void {
  // Widened: the type excludes pending, but a JavaScript caller (a host, a flow) can still send it.
  const status = update.status as JobStatus | undefined;
  if (status === undefined) {
    if (!('total' in update) || update.total === undefined) {
      throw new TaktError('CONFIG_INVALID', `Sync job "${id}": an update needs a status or a total.`);
    }
  } else if (!JOB_STATUSES.includes(status)) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Sync job "${id}": "${String(status)}" is not a job status (${JOB_STATUSES.join(', ')}).`,
    );
  } else if (status === 'pending') {
    throw illegalJobTransition(id, undefined, 'pending');
  }
  if ('total' in update && update.total !== undefined) requireTotal(id, update.total);
}

export function illegalJobTransition(id: string, from: JobStatus | undefined, to: JobStatus | undefined): TaktError {
  const target = to === undefined ? 'have its total changed' : `become ${to}`;
  const why =
    to === 'pending'
      ? 'a job never goes back to pending'
      : `it is ${from ?? 'finished'}, and a finished job's record is final`;
  return new TaktError(
    'INTERNAL',
    `Sync job "${id}" cannot ${target}: ${why}. Another worker may have finished it (for example the stale-job ` +
      'check); start a new job instead of reusing this one.',
    { details: { jobId: id, from: from ?? null, to: to ?? null } },
  );
}

function requireTotal(id: string, total: number): void {
  if (!Number.isInteger(total) || total < 0) {
    throw new TaktError('CONFIG_INVALID', `Sync job "${id}": total must be an integer ≥ 0, got ${total}.`);
  }
}
