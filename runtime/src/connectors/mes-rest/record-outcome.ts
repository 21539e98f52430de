import { ERROR_CODES, redactText, type ErrorCode, type TaktError } from '../../errors';
import type { ErrorRecord } from '../../state/types';
import type { RecordAction, WriteResult } from '../types';
import type { ResultPaths } from './config';
import { getPath } from './json-path';

/** A WriteResult before its input index is known. */
export type RecordOutcome = Omit<WriteResult, 'index'>;

const DEFAULT_ACTIONS: Readonly<Record<string, RecordAction>> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  error: 'error',
};

export function failed(code: ErrorCode, message: string, retryable?: boolean): RecordOutcome {
  return { action: 'error', error: errorRecord(code, message, retryable) };
}

export function errorRecord(code: ErrorCode, message: string, retryable?: boolean): ErrorRecord {
  return { code, message: redactText(message), retryable: retryable ?? ERROR_CODES[code].retryable };
}

/** The same error for every record of a call that failed as a whole. */
export function fromError(error: TaktError): RecordOutcome {
  return { action: 'error', error: { code: error.code, message: error.message, retryable: error.retryable } };
}

/**
 * One result object of the target (`{ external_id, id, action, error }`) as an outcome. An `error` action is
 * ERP_REJECTED with the target's own words, since that is what the user must fix in the record.
 */
export function outcomeOf(result: unknown, paths: ResultPaths, label: string, status?: number): RecordOutcome {
  const word = getPath(result, paths.action);
  const actions = { ...DEFAULT_ACTIONS, ...paths.actions };
  // A single upsert that omits the action word still says it through 201 Created / 200 OK.
  const action =
    typeof word === 'string' ? actions[word] : status === 201 ? 'created' : status === 200 ? 'updated' : undefined;
  if (action === undefined) {
    return failed('RESPONSE_INVALID', `${label}: the target answered an unknown action ${JSON.stringify(word)}.`, true);
  }
  if (action === 'error' || action === 'conflict') {
    const reason = messageOf(getPath(result, paths.error)) ?? 'no reason given';
    return failed(action === 'error' ? 'ERP_REJECTED' : 'HTTP_CONFLICT', `${label} was rejected: ${reason}`);
  }
  const id = getPath(result, paths.id);
  return { action, ...(typeof id === 'string' || typeof id === 'number' ? { targetId: String(id) } : {}) };
}

/**
 * A single upsert the target refused as invalid (400 / 422 with its error body): the record's fault, reported
 * on the record as ERP_REJECTED instead of failing the call. Anything else is not a verdict on the record.
 */
export function rejectionOf(error: TaktError, paths: ResultPaths, label: string): RecordOutcome | undefined {
  const status = error.details.status;
  if (status !== 400 && status !== 422) return undefined;
  const snippet = error.details.bodySnippet;
  let reason: string | undefined;
  if (typeof snippet === 'string') {
    try {
      reason = messageOf(getPath(JSON.parse(snippet) as unknown, paths.rejection));
    } catch {
      reason = snippet.replace(/\s+/g, ' ').trim().slice(0, 300) || undefined;
    }
  }
  return failed('ERP_REJECTED', `${label} was rejected (${status}): ${reason ?? 'no reason given'}`);
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  const nested = getPath(value, 'message');
  return typeof nested === 'string' && nested.length > 0 ? nested : undefined;
}
