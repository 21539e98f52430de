import { TaktError } from '../errors';
import { registerSecret } from '../errors/redact';

/** Standard Webhooks keys are 24–64 random bytes; anything under 16 is a configuration mistake, not a key. */
const MIN_KEY_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Turns a Standard Webhooks secret as users see it (`whsec_<base64>`) into the HMAC key: the base64-decoded
 * part after the prefix (erp-protocols.md D.1). A bare base64 string is accepted too, as the reference
 * libraries do. The secret and its decoded forms are registered for redaction from the moment they are read.
 */
export function decodeWebhookSecret(secret: string, field = 'secret'): Buffer {
  const trimmed = secret.trim();
  registerSecret(trimmed);
  const encoded = trimmed.startsWith('whsec_') ? trimmed.slice('whsec_'.length) : trimmed;
  registerSecret(encoded);
  if (!BASE64.test(encoded) || encoded.length % 4 === 1) {
    throw new TaktError(
      'CONFIG_INVALID',
      `The webhook ${field} is not a Standard Webhooks secret: expected "whsec_" followed by base64.`,
      { details: { field } },
    );
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES) {
    throw new TaktError(
      'CONFIG_INVALID',
      `The webhook ${field} decodes to ${key.length} bytes; a signing key needs at least ${MIN_KEY_BYTES} (senders use 24–64).`,
      { details: { field } },
    );
  }
  return key;
}
