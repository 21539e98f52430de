import type { RetryPolicy } from '../http';
import { backoffDelay } from '../http';
import type { WriteMode, WriteResult } from '../connectors';
import { ERROR_CODES, type TaktError } from '../errors';
import type { DeadLetterInsert, ErrorRecord, JobCounter, JobRecordError, OutboxEntry, OutboxUpdate } from '../state';

/**
 * Pure decisions of one push: from the entries sent and what the target answered (per record, or one error
 * for the whole call) to the outbox updates, dead letters, job counters and per-record job errors that the
 * pusher commits in one unit. Kept free of I/O so every rule is testable with a fixed clock and jitter.
 */
export interface PushContext {
  readonly connection: string;
  readonly entity: string;
  readonly mode: WriteMode;
  readonly policy: RetryPolicy;
  readonly now: number;
  readonly random: () => number;
  /** When the pusher holds every send (a Retry-After, a down target); per-record deferrals wait for it too. */
  readonly pausedUntil: number;
  readonly jobId?: string;
}

export interface PushPlan {
  readonly updates: OutboxUpdate[];
  readonly deadLetters: DeadLetterInsert[];
  readonly counters: Partial<Record<JobCounter, number>>;
  readonly errors: JobRecordError[];
  sent: number;
  retrying: number;
  dead: number;
}

/** Errors that say "not now" about the target, not "wrong" about the record: never dead-lettered. */
const NOT_THE_RECORDS_FAULT = new Set(['RETRY_DEFERRED', 'HTTP_RATE_LIMITED']);

/** The scope dead letters of one connection's outbox carry, so replay can find them. */
export function outboxScope(connection: string, entity: string): string {
  return `outbox:${connection}/${entity}`;
}

export function planFromResults(
  context: PushContext,
  entries: readonly OutboxEntry[],
  results: readonly WriteResult[],
): PushPlan {
  const plan = emptyPlan();
  const byIndex = new Map(results.map((result) => [result.index, result]));
  entries.forEach((entry, index) => {
    const result = byIndex.get(index);
    if (!result) {
      // The connector broke its contract (one result per record): the write may or may not have happened, and
      // the stored idempotency key makes sending it again safe.
      retryRecord(context, plan, entry, {
        code: 'RESPONSE_INVALID',
        message: `The connector returned no result for outbox entry ${entry.id}.`,
        retryable: true,
      });
      return;
    }
    if (result.action !== 'error' && result.action !== 'conflict') {
      markSent(plan, entry, counterOf(result.action));
      return;
    }
    const error: ErrorRecord = result.error ?? {
      code: 'INTERNAL',
      message: `The target answered ${result.action} without a reason.`,
      retryable: false,
    };
    if (alreadyCreated(context.mode, error, result)) {
      // An idempotent create whose first attempt landed (its answer lost, or a crash before the mark): the
      // target reports the record exists under the same key, which is the effect we wanted (T15).
      markSent(plan, entry, 'unchanged');
      return;
    }
    if (error.retryable) retryRecord(context, plan, entry, error, result.targetId);
    else killRecord(context, plan, entry, error, result.action === 'conflict' ? 'conflict' : 'failed', result.targetId);
  });
  return plan;
}

/**
 * The whole call failed. Retryable (the target is down, throttling, or the request timed out): every entry
 * waits until `waitUntil`, the pusher's backoff for the connection, never before the server's Retry-After,
 * and is never dead-lettered for it. Not retryable (authentication, configuration, a rejected request): every
 * entry is dead-lettered with the error.
 */
export function planFromFailure(
  context: PushContext,
  entries: readonly OutboxEntry[],
  error: TaktError,
  waitUntil: number,
): PushPlan {
  const plan = emptyPlan();
  const record: ErrorRecord = { code: error.code, message: error.message, retryable: error.retryable };
  // A dead letter is read by a person deciding what to fix: lead with what the code means ("Authentication
  // failed (401)"), then the connector's own words.
  const title = ERROR_CODES[error.code].title;
  const fatal: ErrorRecord = {
    ...record,
    message: error.message.startsWith(title) ? error.message : `${title}: ${error.message}`,
  };
  for (const entry of entries) {
    if (!error.retryable) {
      killRecord(context, plan, entry, fatal, 'failed');
      continue;
    }
    plan.updates.push({
      id: entry.id,
      revision: entry.revision,
      status: 'pending',
      nextAttemptAt: waitUntil,
      error: record,
    });
    plan.errors.push(jobError(context, entry, record));
    plan.retrying += 1;
  }
  return plan;
}

function retryRecord(
  context: PushContext,
  plan: PushPlan,
  entry: OutboxEntry,
  error: ErrorRecord,
  targetId?: string,
): void {
  const attempt = entry.attempts + 1;
  const delay = backoffDelay(context.policy, Math.min(attempt, 60), context.random);
  const notItsFault = NOT_THE_RECORDS_FAULT.has(error.code);
  const nextAttemptAt = Math.max(context.now + delay, notItsFault ? context.pausedUntil : 0);
  const exhausted =
    !notItsFault &&
    (attempt >= context.policy.maxAttempts || nextAttemptAt > entry.createdAt + context.policy.maxElapsedMs);
  if (exhausted) {
    killRecord(
      context,
      plan,
      entry,
      { ...error, retryable: false, message: `${error.message} (gave up after ${attempt} attempts)` },
      'failed',
      targetId,
    );
    return;
  }
  plan.updates.push({ id: entry.id, revision: entry.revision, status: 'pending', nextAttemptAt, error });
  plan.errors.push(jobError(context, entry, error, targetId));
  plan.retrying += 1;
}

function killRecord(
  context: PushContext,
  plan: PushPlan,
  entry: OutboxEntry,
  error: ErrorRecord,
  counter: 'failed' | 'conflict',
  targetId?: string,
): void {
  plan.updates.push({ id: entry.id, revision: entry.revision, status: 'dead', error });
  plan.deadLetters.push({
    scope: outboxScope(context.connection, entry.entity),
    key: entry.orderKey,
    payload: entry.payload,
    error,
    attempts: entry.attempts + 1,
    ...(context.jobId !== undefined ? { jobId: context.jobId } : {}),
  });
  plan.errors.push(jobError(context, entry, error, targetId));
  count(plan, counter);
  plan.dead += 1;
}

function markSent(plan: PushPlan, entry: OutboxEntry, counter: JobCounter): void {
  plan.updates.push({ id: entry.id, revision: entry.revision, status: 'sent' });
  count(plan, counter);
  plan.sent += 1;
}

/** A per-record job error: recordIndex is the outbox entry id, stable across rounds and restarts. */
function jobError(context: PushContext, entry: OutboxEntry, error: ErrorRecord, targetId?: string): JobRecordError {
  return {
    ...error,
    recordIndex: entry.id,
    entity: entry.entity,
    externalId: entry.orderKey,
    ...(targetId !== undefined ? { targetId } : {}),
  };
}

function alreadyCreated(mode: WriteMode, error: ErrorRecord, result: WriteResult): boolean {
  return mode === 'create' && error.code === 'HTTP_CONFLICT' && result.targetId !== undefined;
}

function counterOf(action: WriteResult['action']): JobCounter {
  switch (action) {
    case 'created':
      return 'created';
    case 'unchanged':
      return 'unchanged';
    case 'skipped':
      return 'skipped';
    default:
      return 'updated';
  }
}

function count(plan: PushPlan, counter: JobCounter): void {
  plan.counters[counter] = (plan.counters[counter] ?? 0) + 1;
}

function emptyPlan(): PushPlan {
  return { updates: [], deadLetters: [], counters: {}, errors: [], sent: 0, retrying: 0, dead: 0 };
}
