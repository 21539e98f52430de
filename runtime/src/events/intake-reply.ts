import type { ProcessResult } from './intake-types';

/** The HTTP answer a webhook host gives for an intake result. */
export interface IntakeReply {
  readonly status: 200 | 409 | 503;
  /** Seconds for a Retry-After header, when the sender should come back. */
  readonly retryAfterSeconds?: number;
  readonly body: { readonly status: ProcessResult['status']; readonly id: string };
}

/**
 * Maps an intake result to the reply senders understand (Standard Webhooks: only 2xx ends the retries):
 * - processed, duplicate, dead_lettered → 200: the sender must stop; a dead letter is ours to replay;
 * - in_progress → 409 with Retry-After until the holder's claim expires: send again later;
 * - failed (retryable, attempts left) → 503: send again; the store counted the attempt.
 * A store failure is not a result but a throw: the host answers 503 with a short Retry-After (fail closed).
 */
export function intakeReply(result: ProcessResult, now: number): IntakeReply {
  const body = { status: result.status, id: result.id };
  switch (result.status) {
    case 'processed':
    case 'duplicate':
    case 'dead_lettered':
      return { status: 200, body };
    case 'in_progress':
      return { status: 409, retryAfterSeconds: Math.max(1, Math.ceil((result.retryAt.getTime() - now) / 1000)), body };
    case 'failed':
      return { status: 503, body };
  }
}
