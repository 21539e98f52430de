export { upsertSync } from './upsert-sync';
export {
  CONFLICT_STRATEGIES,
  DEFAULT_UPSERT_BATCH_SIZE,
  IDENTITY_KEY_FIELDS,
  MAX_UPSERT_BATCH_SIZE,
  type ConflictStrategy,
  type UpsertChildren,
  type ParentLink as UpsertParentLink,
  type UpsertAction,
  type UpsertBatchInfo,
  type UpsertRecordResult,
  type UpsertStage,
  type UpsertStream,
  type UpsertSummary,
  type UpsertSyncOptions,
  type UpsertSyncResult,
} from './types';
export { idempotencyKey as upsertIdempotencyKey } from './idempotency-key';
export { keyOf as upsertKeyOf, type RecordKey as UpsertRecordKey } from './record-key';
export { decodeWrittenState, type WrittenState } from './written-state';
