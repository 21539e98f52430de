export { acknowledgeDelivery, type DeliveryAckResult } from './acknowledge';
export { pullChanges } from './pull-changes';
export { PULL_DEFAULTS } from './pull-settings';
export type { DeltaMode, PullDelivery, PullMode, PullOptions, PullResult, PullStats, PulledRecord } from './pull-types';
export { parseCursor, pullStreamName, serializeCursor, singleStreamName, type PullCursor } from './stream-cursor';
export type { DeltaPoint } from './delta-value';
