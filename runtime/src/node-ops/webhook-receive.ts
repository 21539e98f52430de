import { randomUUID } from 'node:crypto';
import { TaktError } from '../errors';
import { DEFAULT_CLAIM_TTL_MS, DEFAULT_EVENT_RETENTION_MS, DEFAULT_MAX_ATTEMPTS, EventIntake } from '../events';
import type { StateStore } from '../state';
import type { Clock } from '../time';
import {
  DEFAULT_MAX_WEBHOOK_BYTES,
  SharedSecretVerifier,
  StandardWebhookVerifier,
  headerValue,
  type SharedSecretMode,
  type WebhookHeaders,
} from '../webhook';
import { encodeAckToken } from './ack-token';
import type { TaktItemMeta } from './item-meta';

export type WebhookVerification =
  /** Standard Webhooks: `webhook-id` / `webhook-timestamp` / `webhook-signature`, a `whsec_` secret. */
  | { readonly kind: 'standard'; readonly secret: string; readonly toleranceSeconds?: number }
  /** A header carrying the secret itself (token) or an HMAC-SHA256 of the body. */
  | {
      readonly kind: 'shared-secret';
      readonly header: string;
      readonly secret: string;
      readonly mode: SharedSecretMode;
      /** hmac-sha256: text before the digest, e.g. "sha256=". */
      readonly prefix?: string;
      readonly encoding?: 'hex' | 'base64';
    };

/** Where a shared-secret sender puts its event id (Standard Webhooks always uses `webhook-id`). */
export type EventIdSource =
  | { readonly from: 'header'; readonly name: string }
  | { readonly from: 'body'; readonly path: string }
  /** The SHA-256 of the body: identical retries dedup, a changed body is a new event. */
  | { readonly from: 'body-hash' };

export interface ReceiveWebhookOptions {
  readonly store: StateStore;
  /** What event ids are unique within: one webhook endpoint (its path). */
  readonly scope: string;
  readonly verification: WebhookVerification;
  readonly headers: WebhookHeaders;
  /** The body exactly as it arrived: signatures cover these bytes. */
  readonly rawBody: Uint8Array | string;
  /** Default 1 MiB. */
  readonly maxBytes?: number;
  /** Shared-secret only; default the body hash. */
  readonly eventId?: EventIdSource;
  /** The claim owner; a fresh random one per event by default, which makes each event's token unguessable. */
  readonly owner?: string;
  /** How long the flow has to acknowledge the event before a redelivery may take it. Default 5 min. */
  readonly claimTtlMs?: number;
  /** How long a settled event id answers duplicate. Default 72 h. */
  readonly retentionMs?: number;
  /** Deliveries before a retryable NACK dead-letters the event. Default 5. */
  readonly maxAttempts?: number;
  /**
   * Whether the sender learns the event's outcome and sends it again after a failure (default true): the host
   * answers it only once the flow has settled the event. False when the host answers `accepted` before the flow
   * runs: the sender never sends that event again, so a retryable NACK would release it to nobody; its token
   * then allows no further attempt and the NACK writes the dead letter at once.
   */
  readonly senderRetries?: boolean;
  readonly clock?: Clock;
}

export interface WebhookReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON to send; undefined for an empty body (401: a forged request learns nothing). */
  readonly body: Readonly<Record<string, unknown>> | undefined;
}

export interface ReceivedEvent {
  readonly id: string;
  readonly payload: unknown;
  readonly meta: TaktItemMeta;
  /** 1 on first sight; more when earlier deliveries were NACKed and released. */
  readonly attempt: number;
  readonly lastError?: { readonly code: string; readonly message: string };
}

export interface WebhookReceipt {
  readonly reply: WebhookReply;
  /** Present when the event is new: hand it to the flow, which settles it through Acknowledge. */
  readonly event?: ReceivedEvent;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * One webhook request, host-neutral: the signature is verified on the raw bytes BEFORE anything is parsed or
 * stored (reliability I6); only then is the body parsed as JSON and the event id claimed through EventIntake.
 * - bad signature or timestamp → 401 with no body; malformed Standard Webhooks headers → 400; too big → 413;
 * - body not JSON → 400;
 * - id settled inside the retention → 200 `{status: 'duplicate'}`, no event;
 * - another worker holds the id → 409 with Retry-After;
 * - the store does not answer → 503 with Retry-After (fail closed: never "not a duplicate");
 * - new → 200 `{status: 'accepted'}` and the event, whose token an Acknowledge step settles.
 * A misconfigured verification (a secret that is not a whsec_ key, no header name) throws CONFIG_INVALID.
 */
export async function receiveWebhook(options: ReceiveWebhookOptions): Promise<WebhookReceipt> {
  if (!options.scope.trim()) throw new TaktError('CONFIG_INVALID', 'A webhook needs a scope (its path).');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const verify = verifier(options, maxBytes);
  let verified: { readonly id: string; readonly body: Buffer };
  try {
    verified = verify(options.headers, options.rawBody);
  } catch (error) {
    if (TaktError.is(error)) {
      const status = error.details.status;
      if (status === 401) return reply(401, undefined);
      if (status === 400 || status === 413) return reply(status, { status: 'rejected', error: error.message });
    }
    throw error;
  }

  let payload: unknown;
  try {
    payload = JSON.parse(verified.body.toString('utf8'));
  } catch {
    return reply(400, { status: 'rejected', error: 'The webhook body is not JSON.' });
  }
  const id = eventIdOf(options, verified.id, payload);

  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const retentionMs = options.retentionMs ?? DEFAULT_EVENT_RETENTION_MS;
  const owner = options.owner ?? `webhook-${randomUUID()}`;
  const intake = new EventIntake(options.store, {
    scope: options.scope,
    owner,
    claimTtlMs: options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS,
    retentionMs,
    maxAttempts,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  let begun: Awaited<ReturnType<EventIntake['begin']>>;
  try {
    begun = await intake.begin({ id, payload });
  } catch (error) {
    if (TaktError.is(error) && error.kind === 'data') {
      return reply(400, { status: 'rejected', error: error.message });
    }
    return reply(
      503,
      { status: 'unavailable', id, error: 'The state store is not reachable; send the event again later.' },
      { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
    );
  }
  switch (begun.status) {
    case 'duplicate':
      return reply(200, { status: 'duplicate', id });
    case 'in_progress': {
      const now = options.clock?.now() ?? Date.now();
      const seconds = Math.max(1, Math.ceil((begun.retryAt.getTime() - now) / 1000));
      return reply(409, { status: 'in_progress', id }, { 'retry-after': String(seconds) });
    }
    case 'deliver': {
      const { delivery } = begun;
      const token = encodeAckToken({
        kind: 'event',
        scope: options.scope,
        id,
        owner,
        attempt: delivery.attempt,
        maxAttempts: options.senderRetries === false ? delivery.attempt : maxAttempts,
        retentionMs,
      });
      return {
        reply: reply(200, { status: 'accepted', id }).reply,
        event: {
          id,
          payload,
          attempt: delivery.attempt,
          meta: { token, deliveryKind: 'event', eventId: id },
          ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
        },
      };
    }
  }
}

type Verify = (headers: WebhookHeaders, body: Uint8Array | string) => { readonly id: string; readonly body: Buffer };

function verifier(options: ReceiveWebhookOptions, maxBytes: number): Verify {
  const v = options.verification;
  if (v.kind === 'standard') {
    if (!v.secret.trim()) throw new TaktError('CONFIG_INVALID', 'Enter the webhook signing secret (whsec_…).');
    const standard = new StandardWebhookVerifier({
      secrets: [v.secret],
      maxBodyBytes: maxBytes,
      ...(v.toleranceSeconds !== undefined ? { toleranceSeconds: v.toleranceSeconds } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return (headers, body) => standard.verify(headers, body);
  }
  if (v.kind !== 'shared-secret') {
    throw new TaktError('CONFIG_INVALID', 'Webhook verification is "standard" or "shared-secret".');
  }
  const shared = new SharedSecretVerifier({
    mode: v.mode,
    header: v.header,
    secrets: [v.secret],
    maxBodyBytes: maxBytes,
    ...(v.prefix ? { prefix: v.prefix } : {}),
    ...(v.encoding ? { encoding: v.encoding } : {}),
  });
  return (headers, body) => shared.verify(headers, body);
}

/** The dedup key: `webhook-id` for Standard Webhooks; for shared secrets the configured header or body field. */
function eventIdOf(options: ReceiveWebhookOptions, verifiedId: string, payload: unknown): string {
  const source = options.eventId;
  if (options.verification.kind === 'standard' || !source || source.from === 'body-hash') return verifiedId;
  const value = source.from === 'header' ? headerValue(options.headers, source.name) : fieldAt(payload, source.path);
  return value ?? verifiedId;
}

function fieldAt(payload: unknown, path: string): string | undefined {
  let current: unknown = payload;
  for (const part of path.split('.').filter((segment) => segment.length > 0)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (typeof current === 'string' && current.length > 0) return current;
  if (typeof current === 'number' && Number.isFinite(current)) return String(current);
  return undefined;
}

function reply(
  status: number,
  body: Readonly<Record<string, unknown>> | undefined,
  extra: Readonly<Record<string, string>> = {},
): WebhookReceipt {
  return { reply: { status, headers: body ? { ...JSON_HEADERS, ...extra } : { ...extra }, body } };
}
