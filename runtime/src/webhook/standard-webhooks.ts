import { createHmac, timingSafeEqual } from 'node:crypto';
import { TaktError } from '../errors';
import { systemClock, type Clock } from '../time';
import { DEFAULT_MAX_WEBHOOK_BYTES, assertBodyWithinLimit } from './body-limit';
import { headerValue, type WebhookHeaders } from './header-value';
import { decodeWebhookSecret } from './webhook-secret';

/** The reference libraries accept ±5 minutes (erp-protocols.md D.1, reliability.md T18). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface StandardWebhookOptions {
  /**
   * `whsec_…` secrets. Several at once during a rotation: a delivery passes when any `v1` signature in its
   * header matches any of them.
   */
  readonly secrets: readonly string[];
  readonly toleranceSeconds?: number;
  /** Larger bodies fail with WEBHOOK_PAYLOAD_TOO_LARGE (413) before they are hashed. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  readonly clock?: Pick<Clock, 'now'>;
}

/** What a verified delivery hands on: the dedup key, the attempt time, and the untouched bytes. */
export interface VerifiedWebhook {
  /** `webhook-id`: the same on every retry of one event, so it is the dedup key. */
  readonly id: string;
  /** `webhook-timestamp` of this attempt, Unix seconds. */
  readonly timestamp: number;
  readonly body: Buffer;
}

const TIMESTAMP = /^\d{1,12}$/;

/**
 * Verifies Standard Webhooks deliveries (spec v1.0.0, symmetric `v1` scheme): HMAC-SHA256 with the decoded
 * secret over the exact bytes `${webhook-id}.${webhook-timestamp}.${body}`, compared in constant time,
 * with the attempt timestamp inside a tolerance window. It only reads headers and bytes: the body is never
 * parsed, stored or logged here, so a forged delivery leaves no trace beyond the thrown error, which holds
 * no body and no secret.
 *
 * Errors carry `details.status` for the host's reply: 413 too large, 400 malformed headers, 401 for a
 * signature or timestamp that does not verify.
 */
export class StandardWebhookVerifier {
  private readonly keys: readonly Buffer[];
  private readonly toleranceSeconds: number;
  private readonly maxBodyBytes: number;
  private readonly clock: Pick<Clock, 'now'>;

  constructor(options: StandardWebhookOptions) {
    if (options.secrets.length === 0) {
      throw new TaktError('CONFIG_INVALID', 'A Standard Webhooks verifier needs at least one whsec_ secret.');
    }
    this.keys = options.secrets.map((secret, index) => decodeWebhookSecret(secret, `secrets[${index}]`));
    this.toleranceSeconds = nonNegative(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, 'toleranceSeconds');
    this.maxBodyBytes = nonNegative(options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES, 'maxBodyBytes');
    this.clock = options.clock ?? systemClock;
  }

  verify(headers: WebhookHeaders, rawBody: Uint8Array | string): VerifiedWebhook {
    const body = assertBodyWithinLimit(rawBody, this.maxBodyBytes);
    const id = headerValue(headers, 'webhook-id');
    const stamp = headerValue(headers, 'webhook-timestamp');
    const signatures = headerValue(headers, 'webhook-signature');
    const missing = [
      ['webhook-id', id],
      ['webhook-timestamp', stamp],
      ['webhook-signature', signatures],
    ].flatMap(([name, value]) => (value ? [] : [name]));
    if (missing.length > 0 || !id || !stamp || !signatures) {
      throw invalidHeaders(`The webhook is missing ${missing.join(', ')}; it is not a Standard Webhooks delivery.`);
    }
    if (!TIMESTAMP.test(stamp)) {
      throw invalidHeaders('webhook-timestamp must be whole Unix seconds.');
    }
    const timestamp = Number(stamp);
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const skew = nowSeconds - timestamp;
    if (Math.abs(skew) > this.toleranceSeconds) {
      throw new TaktError(
        'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
        `The webhook timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}, outside ±${this.toleranceSeconds} s; check both clocks (NTP).`,
        { details: { status: 401, skewSeconds: skew, toleranceSeconds: this.toleranceSeconds } },
      );
    }
    const signed = Buffer.concat([Buffer.from(`${id}.${stamp}.`, 'utf8'), body]);
    const candidates = parseSignatures(signatures);
    for (const key of this.keys) {
      const expected = createHmac('sha256', key).update(signed).digest();
      // Every candidate is compared, matching or not, so the time spent says nothing about which one matched.
      let matched = false;
      for (const candidate of candidates) {
        if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
      }
      if (matched) return { id, timestamp, body };
    }
    throw new TaktError(
      'WEBHOOK_SIGNATURE_INVALID',
      candidates.length === 0
        ? 'The webhook-signature header has no v1 signature.'
        : 'No v1 signature in the webhook matches the configured secret(s); check the secret and that the body reaches Takt unmodified.',
      { details: { status: 401 } },
    );
  }
}

/** `v1,<base64> v1,<base64> …`; other schemes (v1a) and malformed entries are skipped, not errors. */
function parseSignatures(header: string): Buffer[] {
  const signatures: Buffer[] = [];
  for (const entry of header.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    if (encoded.length > 0) signatures.push(Buffer.from(encoded, 'base64'));
  }
  return signatures;
}

/** Signs like a Standard Webhooks sender: for tests, the simulator and outbound webhooks. */
export function signStandardWebhook(secret: string, id: string, timestamp: number, body: Uint8Array | string): string {
  const key = decodeWebhookSecret(secret);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const mac = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), bytes]))
    .digest('base64');
  return `v1,${mac}`;
}

function invalidHeaders(message: string): TaktError {
  return new TaktError('WEBHOOK_HEADERS_INVALID', message, { details: { status: 400 } });
}

function nonNegative(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new TaktError('CONFIG_INVALID', `${field} must be a non-negative number, got ${String(value)}.`);
  }
  return value;
}
