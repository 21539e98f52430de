import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { TaktError } from '../errors';
import { registerSecret } from '../errors/redact';
import { DEFAULT_MAX_WEBHOOK_BYTES, assertBodyWithinLimit } from './body-limit';
import { headerValue, type WebhookHeaders } from './header-value';

/**
 * Senders that predate Standard Webhooks authenticate in one of two ways, both covered here:
 * - `token`: a header carries the shared secret itself (`X-Webhook-Secret: …`), as many ERP and MES
 *   webhook settings offer;
 * - `hmac-sha256`: a header carries HMAC-SHA256 of the raw body with the shared secret, hex or base64,
 *   optionally after a prefix such as `sha256=`.
 * Neither has a timestamp, so replay protection rests on the dedup key (an event id header or a body hash).
 */
export type SharedSecretMode = 'token' | 'hmac-sha256';

export interface SharedSecretOptions {
  readonly mode: SharedSecretMode;
  /** Header that carries the token or signature. */
  readonly header: string;
  /** Several during a rotation; any match passes. */
  readonly secrets: readonly string[];
  /** hmac-sha256 only: text before the digest in the header, e.g. "sha256=". */
  readonly prefix?: string;
  /** hmac-sha256 only. Default 'hex'. */
  readonly encoding?: 'hex' | 'base64';
  /** Header holding the sender's event id, used as the dedup key; without it the body's SHA-256 is. */
  readonly idHeader?: string;
  readonly maxBodyBytes?: number;
}

export interface VerifiedSharedSecretWebhook {
  /** The sender's event id, or `sha256:<hex of body>` when it sends none. */
  readonly id: string;
  readonly body: Buffer;
}

export class SharedSecretVerifier {
  private readonly secrets: readonly Buffer[];
  private readonly maxBodyBytes: number;

  constructor(private readonly options: SharedSecretOptions) {
    if (!options.header.trim()) {
      throw new TaktError('CONFIG_INVALID', 'Name the header that carries the webhook secret or signature.');
    }
    if (options.secrets.length === 0 || options.secrets.some((secret) => secret.length === 0)) {
      throw new TaktError('CONFIG_INVALID', 'A shared-secret webhook needs at least one non-empty secret.');
    }
    for (const secret of options.secrets) registerSecret(secret);
    this.secrets = options.secrets.map((secret) => Buffer.from(secret, 'utf8'));
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  }

  verify(headers: WebhookHeaders, rawBody: Uint8Array | string): VerifiedSharedSecretWebhook {
    const body = assertBodyWithinLimit(rawBody, this.maxBodyBytes);
    const presented = headerValue(headers, this.options.header);
    if (!presented) {
      throw new TaktError('WEBHOOK_SIGNATURE_INVALID', `The webhook has no ${this.options.header} header.`, {
        details: { status: 401 },
      });
    }
    const matched =
      this.options.mode === 'token' ? this.tokenMatches(presented) : this.signatureMatches(presented, body);
    if (!matched) {
      throw new TaktError(
        'WEBHOOK_SIGNATURE_INVALID',
        `The ${this.options.header} header does not match the configured secret(s).`,
        { details: { status: 401 } },
      );
    }
    const id = this.options.idHeader ? headerValue(headers, this.options.idHeader) : undefined;
    return { id: id ?? `sha256:${createHash('sha256').update(body).digest('hex')}`, body };
  }

  /**
   * Tokens differ in length, and timingSafeEqual needs equal lengths; comparing SHA-256 digests of both sides
   * keeps the comparison constant-time without revealing the secret's length.
   */
  private tokenMatches(presented: string): boolean {
    const digest = sha256(Buffer.from(presented, 'utf8'));
    let matched = false;
    for (const secret of this.secrets) if (timingSafeEqual(digest, sha256(secret))) matched = true;
    return matched;
  }

  private signatureMatches(presented: string, body: Buffer): boolean {
    const prefix = this.options.prefix ?? '';
    if (!presented.startsWith(prefix)) return false;
    const encoding = this.options.encoding ?? 'hex';
    const given = Buffer.from(presented.slice(prefix.length).trim(), encoding);
    let matched = false;
    for (const secret of this.secrets) {
      const expected = createHmac('sha256', secret).update(body).digest();
      if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
    }
    return matched;
  }
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
