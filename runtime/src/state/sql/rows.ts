import { deliveryStatus } from '../delivery-rules';
import type {
  CursorState,
  DeadLetter,
  DeadLetterStatus,
  Delivery,
  ErrorRecord,
  IdMapping,
  JobDirection,
  JobKind,
  JobStatus,
  Lease,
  OutboxEntry,
  OutboxStatus,
  StoredJobRecordError,
  SyncJob,
} from '../types';
import type { SqlRow } from './driver';

/** Row → domain mappers. Drivers return BIGINT columns as numbers (see the PostgreSQL type parser). */

const num = (row: SqlRow, column: string): number => Number(row[column]);
const text = (row: SqlRow, column: string): string => String(row[column]);
const optText = (row: SqlRow, column: string): string | undefined =>
  row[column] === null || row[column] === undefined ? undefined : String(row[column]);
const optNum = (row: SqlRow, column: string): number | undefined =>
  row[column] === null || row[column] === undefined ? undefined : Number(row[column]);
const json = (row: SqlRow, column: string): unknown => JSON.parse(text(row, column)) as unknown;
export const optError = (row: SqlRow, column: string): ErrorRecord | undefined => {
  const raw = optText(row, column);
  return raw === undefined ? undefined : (JSON.parse(raw) as ErrorRecord);
};

export const toCursor = (row: SqlRow): CursorState => ({
  stream: text(row, 'stream'),
  value: text(row, 'value'),
  version: num(row, 'version'),
  updatedAt: num(row, 'updated_at'),
});

export const toLease = (row: SqlRow): Lease => ({
  stream: text(row, 'stream'),
  owner: text(row, 'owner'),
  fence: num(row, 'fence'),
  expiresAt: num(row, 'expires_at'),
});

export const toIdMapping = (row: SqlRow): IdMapping => ({
  connection: text(row, 'connection'),
  entity: text(row, 'entity'),
  source: text(row, 'source'),
  externalId: text(row, 'external_id'),
  targetId: text(row, 'target_id'),
  contentHash: text(row, 'content_hash'),
  sourceVersion: optText(row, 'source_version'),
  updatedAt: num(row, 'updated_at'),
});

export const toOutboxEntry = (row: SqlRow): OutboxEntry => ({
  id: num(row, 'id'),
  connection: text(row, 'connection'),
  entity: text(row, 'entity'),
  orderKey: text(row, 'order_key'),
  idempotencyKey: text(row, 'idempotency_key'),
  payload: json(row, 'payload'),
  revision: num(row, 'revision'),
  status: text(row, 'status') as OutboxStatus,
  attempts: num(row, 'attempts'),
  nextAttemptAt: num(row, 'next_attempt_at'),
  lastError: optError(row, 'last_error'),
  createdAt: num(row, 'created_at'),
  updatedAt: num(row, 'updated_at'),
});

export const toDeadLetter = (row: SqlRow): DeadLetter => ({
  id: num(row, 'id'),
  scope: text(row, 'scope'),
  key: text(row, 'record_key'),
  payload: json(row, 'payload'),
  error: JSON.parse(text(row, 'error')) as ErrorRecord,
  attempts: num(row, 'attempts'),
  jobId: optText(row, 'job_id'),
  status: text(row, 'status') as DeadLetterStatus,
  createdAt: num(row, 'created_at'),
  updatedAt: num(row, 'updated_at'),
  resolvedAt: optNum(row, 'resolved_at'),
  resolution: optText(row, 'resolution'),
});

export const toJob = (row: SqlRow): SyncJob => ({
  id: text(row, 'id'),
  connection: text(row, 'connection'),
  entity: text(row, 'entity'),
  kind: text(row, 'kind') as JobKind,
  direction: text(row, 'direction') as JobDirection,
  parentJobId: optText(row, 'parent_job_id'),
  status: text(row, 'status') as JobStatus,
  total: optNum(row, 'total'),
  params: json(row, 'params') as Record<string, unknown>,
  counters: {
    read: num(row, 'c_read'),
    created: num(row, 'c_created'),
    updated: num(row, 'c_updated'),
    unchanged: num(row, 'c_unchanged'),
    skipped: num(row, 'c_skipped'),
    conflict: num(row, 'c_conflict'),
    failed: num(row, 'c_failed'),
  },
  error: optError(row, 'error'),
  cancelRequested: num(row, 'cancel_requested') === 1,
  createdAt: num(row, 'created_at'),
  startedAt: optNum(row, 'started_at'),
  heartbeatAt: num(row, 'heartbeat_at'),
  finishedAt: optNum(row, 'finished_at'),
});

/** Optional context is left out rather than set to undefined, so errors compare equal across adapters. */
export const toJobError = (row: SqlRow): StoredJobRecordError => {
  const entity = optText(row, 'entity');
  const externalId = optText(row, 'external_id');
  const targetId = optText(row, 'target_id');
  const payload = optText(row, 'payload');
  return {
    jobId: text(row, 'job_id'),
    recordIndex: num(row, 'record_index'),
    ...(entity !== undefined && { entity }),
    ...(externalId !== undefined && { externalId }),
    ...(targetId !== undefined && { targetId }),
    ...(payload !== undefined && { payload: JSON.parse(payload) as unknown }),
    code: text(row, 'code'),
    message: text(row, 'message'),
    retryable: num(row, 'retryable') === 1,
    createdAt: num(row, 'created_at'),
  };
};

export const toDelivery = (row: SqlRow, now: number): Delivery => ({
  token: text(row, 'token'),
  stream: text(row, 'stream'),
  records: num(row, 'records'),
  expiresAt: num(row, 'expires_at'),
  status: deliveryStatus(text(row, 'status') === 'acked' ? 'acked' : 'pending', num(row, 'expires_at'), now),
  createdAt: num(row, 'created_at'),
  ackedAt: optNum(row, 'acked_at'),
});
