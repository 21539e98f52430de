export { DEFAULT_CLAIM_TTL_MS, DEFAULT_EVENT_RETENTION_MS, DEFAULT_MAX_ATTEMPTS, EventIntake } from './event-intake';
export { intakeReply, type IntakeReply } from './intake-reply';
export type {
  BeginResult,
  EventAck,
  EventDelivery,
  EventHandler,
  EventIntakeOptions,
  InboundEvent,
  NackOutcome,
  ProcessResult,
} from './intake-types';
export {
  replay,
  type ReplayContext,
  type ReplayHandler,
  type ReplayItem,
  type ReplayItemStatus,
  type ReplayOptions,
  type ReplayResult,
  type ReplaySelection,
} from './replay';
