import { TaktError } from '../errors';

/**
 * What an Acknowledge node settles, named by the token an item carries in `_takt.token`:
 * - `pull`: a trigger's delivery. The token is the store's delivery token as is (256 random bits); acknowledging
 *   it commits the stream's cursor and hashes.
 * - `event`: one webhook event claimed by a worker. Its claim is a lease owned by `owner`, so the token carries
 *   what a later step (another execution, another worker sharing the store) needs to ACK or NACK it exactly as
 *   the intake would have: scope, event id, owner, attempt, and the intake's maxAttempts and retention.
 * - `replay`: a dead letter handed out again, claimed under `<scope>#replay` by `owner`.
 *
 * Event and replay tokens are `evt1.<base64url JSON>`. They are capabilities, not secrets of a credential, but
 * they still never appear in an error message.
 */
export type AckToken = PullAckToken | EventAckToken | ReplayAckToken;

export interface PullAckToken {
  readonly kind: 'pull';
  readonly token: string;
}

export interface EventAckToken {
  readonly kind: 'event';
  readonly scope: string;
  readonly id: string;
  readonly owner: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly retentionMs: number;
}

export interface ReplayAckToken {
  readonly kind: 'replay';
  readonly scope: string;
  readonly deadLetterId: number;
  /** The event id of the dead letter, for messages and the output item. */
  readonly eventId: string;
  readonly owner: string;
}

export const CAPABILITY_TOKEN_PREFIX = 'evt1.';

/** The token an event or replay item carries. Pull tokens need no encoding: they are the store's. */
export function encodeAckToken(token: EventAckToken | ReplayAckToken): string {
  const body =
    token.kind === 'event'
      ? {
          k: 'event',
          s: token.scope,
          i: token.id,
          o: token.owner,
          a: token.attempt,
          m: token.maxAttempts,
          r: token.retentionMs,
        }
      : { k: 'replay', s: token.scope, d: token.deadLetterId, i: token.eventId, o: token.owner };
  return CAPABILITY_TOKEN_PREFIX + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * Reads a token back. A value that is not a string, or is empty, is a configuration mistake (the token
 * parameter points at nothing): CONFIG_INVALID. An `evt1.` token that does not decode is DELIVERY_UNKNOWN. Any
 * other string is a pull delivery token; whether the store knows it is for the store to say.
 */
export function decodeAckToken(token: unknown): AckToken {
  if (typeof token !== 'string' || token.trim().length === 0) {
    throw new TaktError(
      'CONFIG_INVALID',
      `The acknowledgement token is ${describe(token)}: point the token at the item's _takt.token ` +
        '(the trigger, webhook or replay that produced the item puts it there).',
    );
  }
  const trimmed = token.trim();
  if (!trimmed.startsWith(CAPABILITY_TOKEN_PREFIX)) return { kind: 'pull', token: trimmed };
  const body = parseBody(trimmed.slice(CAPABILITY_TOKEN_PREFIX.length));
  if (body?.k === 'event') {
    const decoded = {
      kind: 'event' as const,
      scope: body.s,
      id: body.i,
      owner: body.o,
      attempt: body.a,
      maxAttempts: body.m,
      retentionMs: body.r,
    };
    if (
      isText(decoded.scope) &&
      isText(decoded.id) &&
      isText(decoded.owner) &&
      isCount(decoded.attempt) &&
      isCount(decoded.maxAttempts) &&
      isCount(decoded.retentionMs)
    ) {
      return {
        kind: 'event',
        scope: decoded.scope,
        id: decoded.id,
        owner: decoded.owner,
        attempt: decoded.attempt,
        maxAttempts: decoded.maxAttempts,
        retentionMs: decoded.retentionMs,
      };
    }
  }
  if (body?.k === 'replay' && isText(body.s) && isCount(body.d) && isText(body.i) && isText(body.o)) {
    return { kind: 'replay', scope: body.s, deadLetterId: body.d, eventId: body.i, owner: body.o };
  }
  throw new TaktError(
    'DELIVERY_UNKNOWN',
    'The acknowledgement token starts like an event or replay token (evt1.) but does not decode: it was cut ' +
      'short or changed on its way. Pass _takt.token through unchanged.',
  );
}

function parseBody(encoded: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'empty';
  return `a ${Array.isArray(value) ? 'list' : typeof value}, not text`;
}
