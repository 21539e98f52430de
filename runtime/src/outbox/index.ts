export { enqueue, type EnqueueOptions, type EnqueueResult, type OutboxRecord } from './enqueue';
export { outboxIdempotencyKey, type IdempotencyKeyInput } from './idempotency-key';
export { DEFAULT_OUTBOX_RETRY_POLICY, outboxRetryPolicy } from './outbox-policy';
export {
  OutboxPusher,
  type OutboxPusherOptions,
  type PushRound,
  type PushSummary,
  type RunOptions,
} from './outbox-pusher';
export { outboxScope } from './push-outcome';
