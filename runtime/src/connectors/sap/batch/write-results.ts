import { TaktError } from '../../../errors';
import type { RecordAction, WriteResult } from '../../types';
import { sapErrorFromResponse } from '../sap-error';
import type { BatchRequestPlan, PlannedOperation } from './batch-plan';
import { etagOf, targetIdOf } from './entity-identity';
import type { OperationResponse } from './http-message';
import { isFailure, type OperationOutcome } from './operation-outcome';

/**
 * Outcomes worded as the Connector contract's per-record results (runtime/src/connectors/types.ts): one per
 * planned operation, carrying the record's input index.
 */

export function toWriteResults(outcomes: readonly OperationOutcome[]): WriteResult[] {
  return outcomes.map(toWriteResult);
}

export function toWriteResult(outcome: OperationOutcome): WriteResult {
  const { planned } = outcome;
  const error = errorForOutcome(outcome);
  if (error !== undefined) {
    return {
      index: planned.index,
      action: error.kind === 'conflict' ? 'conflict' : 'error',
      error: { code: error.code, message: error.message, retryable: error.retryable },
    };
  }
  // Only an answered success reaches here.
  const response = outcome.kind === 'answered' ? outcome.response : undefined;
  const targetId = response === undefined ? undefined : targetIdOf(planned.operation, response);
  const etag = response === undefined ? undefined : etagOf(response);
  return {
    index: planned.index,
    action: successAction(planned, response?.status ?? 200),
    ...(targetId === undefined ? {} : { targetId }),
    ...(etag === undefined ? {} : { etag }),
  };
}

/**
 * The full TaktError behind a failed outcome (SAP code, transaction id and timestamp in `details.sap`), for
 * connectors that log more than the WriteResult carries. Undefined for a success.
 */
export function errorForOutcome(outcome: OperationOutcome): TaktError | undefined {
  const { planned } = outcome;
  switch (outcome.kind) {
    case 'answered':
      return isFailure(outcome.response) ? failureOf(planned, outcome.response) : undefined;
    case 'rolled-back': {
      const cause = failureOf(planned, outcome.response);
      const why =
        outcome.failedIndex === undefined
          ? 'its changeset failed and the server did not say which record caused it'
          : `record #${outcome.failedIndex} in the same changeset failed`;
      // A transient failure (a 503 inside the changeset) lets the whole group pass on a later try.
      return new TaktError(
        'BATCH_CHANGESET_FAILED',
        `Record #${planned.index} was not written: ${why}, so the changeset was rolled back. ${cause.code}: ${cause.message}`,
        {
          retryable: cause.retryable,
          cause,
          details: { index: planned.index, failedIndex: outcome.failedIndex, failure: cause.details },
        },
      );
    }
    case 'unanswered':
      return outcome.afterFailureOf === undefined
        ? new TaktError(
            'RESPONSE_INVALID',
            `The $batch response has no answer for record #${planned.index}; it may or may not have been written.`,
            { details: { index: planned.index } },
          )
        : new TaktError(
            'BATCH_CHANGESET_FAILED',
            `Record #${planned.index} was not processed: the server stopped the batch after record ` +
              `#${outcome.afterFailureOf} failed.`,
            // Not processed at all, so sending it again cannot write it twice.
            { retryable: true, details: { index: planned.index, failedIndex: outcome.afterFailureOf } },
          );
  }
}

/**
 * When the `$batch` request itself failed (the transport threw: auth, CSRF, 5xx, timeout), every record of
 * it carries that error, so the caller still gets one result per record.
 */
export function failRequest(plan: BatchRequestPlan, error: TaktError): WriteResult[] {
  const action: RecordAction = error.kind === 'conflict' ? 'conflict' : 'error';
  return plan.operations.map((planned) => ({
    index: planned.index,
    action,
    error: { code: error.code, message: error.message, retryable: error.retryable },
  }));
}

function failureOf(planned: PlannedOperation, response: OperationResponse): TaktError {
  const { method, url } = planned.operation;
  return sapErrorFromResponse(
    { status: response.status, contentType: response.headers['content-type'], body: response.json ?? response.text },
    { context: `${method} ${url} (record #${planned.index})`, details: { index: planned.index, method, url } },
  );
}

/** 201 on a PUT/PATCH means the server created what it was asked to replace (an upsert). */
function successAction(planned: PlannedOperation, status: number): RecordAction {
  switch (planned.operation.method) {
    case 'GET':
      return 'unchanged';
    case 'POST':
      return 'created';
    case 'DELETE':
      return 'deleted';
    default:
      return status === 201 ? 'created' : 'updated';
  }
}
