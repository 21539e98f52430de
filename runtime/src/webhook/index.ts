export { DEFAULT_MAX_WEBHOOK_BYTES, assertBodyWithinLimit, readBodyWithinLimit } from './body-limit';
export { headerValue, type WebhookHeaders } from './header-value';
export {
  SharedSecretVerifier,
  type SharedSecretMode,
  type SharedSecretOptions,
  type VerifiedSharedSecretWebhook,
} from './shared-secret';
export {
  DEFAULT_TOLERANCE_SECONDS,
  StandardWebhookVerifier,
  signStandardWebhook,
  type StandardWebhookOptions,
  type VerifiedWebhook,
} from './standard-webhooks';
export { decodeWebhookSecret } from './webhook-secret';
