import { parseSapErrorBody } from '../sap-error';
import type { PlannedOperation } from './batch-plan';
import type { OperationResponse } from './http-message';

/**
 * What became of each planned operation, before it is worded as a WriteResult. Shared by the multipart and
 * the JSON codec, so that a failed changeset (V2, V4 multipart) and a failed atomicity group (V4 JSON) are
 * settled by the same rules.
 */
export type OperationOutcome =
  /** The server answered this operation (success or its own failure). */
  | { readonly kind: 'answered'; readonly planned: PlannedOperation; readonly response: OperationResponse }
  /**
   * Its atomic group failed and was rolled back. `failedIndex` is the input index of the operation that
   * failed, when the server named it; `response` is that failure.
   */
  | {
      readonly kind: 'rolled-back';
      readonly planned: PlannedOperation;
      readonly failedIndex: number | undefined;
      readonly response: OperationResponse;
    }
  /**
   * No answer for it. `afterFailureOf` is the input index of an earlier failed operation: a V4 service stops
   * at the first failure unless continue-on-error was honoured, so the operation was not processed.
   */
  | { readonly kind: 'unanswered'; readonly planned: PlannedOperation; readonly afterFailureOf: number | undefined };

/** A response with the id the batch format gave it (MIME Content-ID, JSON `id`), when it gave one. */
export interface IdentifiedResponse {
  readonly id?: string;
  readonly response: OperationResponse;
}

/** 424 Failed Dependency: not a failure of its own, a consequence of another (OData 4.01 JSON batch). */
const FAILED_DEPENDENCY = 424;

/** 4xx/5xx, and a status that could not be read (0), which must never pass for a success. */
export function isFailure(response: OperationResponse): boolean {
  return response.status >= 400 || response.status < 100;
}

/**
 * Matches the responses of one atomic group (a changeset or an atomicity group) to its operations.
 *
 * A failed V2 changeset is answered by ONE error response for the whole changeset (A.9): the operation that
 * failed is found through the response's Content-ID, then the error body's `@Core.ContentID` (V4) or
 * `errordetails[].ContentID`, and in a group of one it is that one. Every other operation of the group was
 * rolled back because of it.
 */
export function settleGroup(
  operations: readonly PlannedOperation[],
  responses: readonly IdentifiedResponse[],
): OperationOutcome[] {
  const byId = new Map(operations.map((planned) => [planned.contentId, planned]));
  const failures = responses.filter(({ response }) => isFailure(response) && response.status !== FAILED_DEPENDENCY);
  const first = failures[0];
  if (first !== undefined || responses.some(({ response }) => isFailure(response))) {
    const failing = new Map<number, OperationResponse>();
    for (const failure of failures) {
      const planned = identify(failure, byId) ?? (operations.length === 1 ? operations[0] : undefined);
      if (planned !== undefined && !failing.has(planned.index)) failing.set(planned.index, failure.response);
    }
    const primaryIndex = failing.keys().next().value;
    const primary = (primaryIndex === undefined ? undefined : failing.get(primaryIndex)) ?? first?.response;
    return operations.map((planned): OperationOutcome => {
      const own = failing.get(planned.index);
      if (own !== undefined) return { kind: 'answered', planned, response: own };
      const response = primary ?? responses.find((r) => isFailure(r.response))?.response;
      return response === undefined
        ? { kind: 'unanswered', planned, afterFailureOf: primaryIndex }
        : { kind: 'rolled-back', planned, failedIndex: primaryIndex, response };
    });
  }
  return matchSuccesses(operations, responses, byId);
}

/** By id where the server echoed one, by position for the rest (V2 Gateway need not echo Content-ID). */
function matchSuccesses(
  operations: readonly PlannedOperation[],
  responses: readonly IdentifiedResponse[],
  byId: ReadonlyMap<string, PlannedOperation>,
): OperationOutcome[] {
  const matched = new Map<number, OperationResponse>();
  const positional: OperationResponse[] = [];
  for (const item of responses) {
    const planned = item.id === undefined ? undefined : byId.get(item.id);
    if (planned !== undefined && !matched.has(planned.index)) matched.set(planned.index, item.response);
    else positional.push(item.response);
  }
  return operations.map((planned): OperationOutcome => {
    const response = matched.get(planned.index) ?? positional.shift();
    return response === undefined
      ? { kind: 'unanswered', planned, afterFailureOf: undefined }
      : { kind: 'answered', planned, response };
  });
}

function identify(
  failure: IdentifiedResponse,
  byId: ReadonlyMap<string, PlannedOperation>,
): PlannedOperation | undefined {
  const fromHeader = failure.id === undefined ? undefined : byId.get(failure.id);
  if (fromHeader !== undefined) return fromHeader;
  const named = parseSapErrorBody(failure.response.json ?? failure.response.text)?.contentId;
  return named === undefined ? undefined : byId.get(named.replace(/^\$/, ''));
}

/**
 * After the whole request is settled: an unanswered operation that follows a failure was skipped by a server
 * that stops at the first error, so it names that failure.
 */
export function markStopped(outcomes: readonly OperationOutcome[]): OperationOutcome[] {
  let lastFailure: number | undefined;
  return outcomes.map((outcome) => {
    if (outcome.kind === 'unanswered') {
      return outcome.afterFailureOf === undefined && lastFailure !== undefined
        ? { ...outcome, afterFailureOf: lastFailure }
        : outcome;
    }
    if (outcome.kind === 'answered' && isFailure(outcome.response)) lastFailure = outcome.planned.index;
    if (outcome.kind === 'rolled-back') lastFailure = outcome.failedIndex ?? outcome.planned.index;
    return outcome;
  });
}
