import { TaktError } from '../../../errors';
import type { WriteResult } from '../../types';

/**
 * Which records travel in which `$batch` request and which changeset (reference erp-protocols.md A.9). The
 * index bookkeeping lives here and only here: every planned operation carries the position of its record in
 * the caller's input, and results are put back by that position (`collectResults`).
 */

/** MERGE is V2's partial update (A.8); V4 uses PATCH. */
export type BatchMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'MERGE' | 'DELETE';

/** One operation as the connector describes it: the wire format is the codec's business. */
export interface BatchOperation {
  readonly method: BatchMethod;
  /**
   * Relative to the service root, without a leading slash and without `sap-client` (A.2): the batch request
   * URL carries it. E.g. `A_ProductionOrder_2('1000005')`; `$<contentId>/to_Item` references an earlier
   * operation of the same changeset.
   */
  readonly url: string;
  /** JSON body for POST/PUT/PATCH/MERGE. */
  readonly body?: unknown;
  /** Sent as If-Match (A.8): a stale value makes the operation fail with 412 instead of overwriting. */
  readonly ifMatch?: string;
  /** Extra inner request headers (lower- or mixed-case names). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Property names that identify the entity, in key order; with them the target id is read from the
   * response body. Without them it comes from the Location header or the entity URL.
   */
  readonly keyFields?: readonly string[];
  /** V4 JSON batch only: input indexes of operations (in the same request) this one needs first. */
  readonly dependsOn?: readonly number[];
}

export interface PlannedOperation {
  /** The record's position in the caller's input. */
  readonly index: number;
  /**
   * Content-ID (multipart) and request id (JSON batch): the input index as a string, unique in a request
   * and readable in logs.
   */
  readonly contentId: string;
  readonly operation: BatchOperation;
}

/** A read stands alone (reads may not be inside a changeset, A.9); writes travel in atomic changesets. */
export type BatchPart =
  | { readonly kind: 'read'; readonly operation: PlannedOperation }
  | { readonly kind: 'changeset'; readonly operations: readonly PlannedOperation[] };

export interface BatchRequestPlan {
  readonly parts: readonly BatchPart[];
  /** All operations of the request in wire order. */
  readonly operations: readonly PlannedOperation[];
}

export interface BatchPlanOptions {
  /**
   * Operations per `$batch` request. SAP documents no hard limit; Gateway runs the whole request inside one
   * HTTP call, so a large batch risks the ICM / Web Dispatcher timeout and a transient failure repeats every
   * operation in it. Default DEFAULT_MAX_OPERATIONS, at most MAX_OPERATIONS_LIMIT.
   */
  readonly maxOperations?: number;
  /**
   * Writes per changeset. 1 (default): every record is its own atomic unit, so a bad record fails alone.
   * N > 1: N consecutive writes commit or fail together (atomic groups); a changeset never spans requests.
   */
  readonly changesetSize?: number;
}

/**
 * 100 operations: Business Central's documented `$batch` limit and a tenth of Dataverse's (reference B.2,
 * B.4); small enough that one request finishes well inside gateway timeouts for document-creating writes
 * such as production order confirmations. A tunable default, not an SAP rule.
 */
export const DEFAULT_MAX_OPERATIONS = 100;
/** The largest request the planner builds (Dataverse's limit, B.4); beyond it failures get expensive. */
export const MAX_OPERATIONS_LIMIT = 1000;

/** Splits operations (in input order) into `$batch` requests of whole changesets and standalone reads. */
export function planBatches(operations: readonly BatchOperation[], options: BatchPlanOptions = {}): BatchRequestPlan[] {
  const maxOperations = positiveInteger('maxOperations', options.maxOperations ?? DEFAULT_MAX_OPERATIONS);
  if (maxOperations > MAX_OPERATIONS_LIMIT) {
    throw new TaktError('CONFIG_INVALID', `maxOperations ${maxOperations} exceeds ${MAX_OPERATIONS_LIMIT}.`);
  }
  const changesetSize = Math.min(positiveInteger('changesetSize', options.changesetSize ?? 1), maxOperations);

  const requests: BatchRequestPlan[] = [];
  let parts: BatchPart[] = [];
  let count = 0;
  const flushRequest = (): void => {
    if (parts.length > 0) requests.push({ parts, operations: parts.flatMap(operationsOf) });
    parts = [];
    count = 0;
  };
  const addPart = (part: BatchPart): void => {
    const size = operationsOf(part).length;
    if (count + size > maxOperations) flushRequest();
    parts.push(part);
    count += size;
  };

  let changeset: PlannedOperation[] = [];
  const flushChangeset = (): void => {
    if (changeset.length > 0) addPart({ kind: 'changeset', operations: changeset });
    changeset = [];
  };
  operations.forEach((operation, index) => {
    const planned: PlannedOperation = { index, contentId: String(index), operation };
    if (operation.method === 'GET') {
      // Keeps input order: a read between writes closes the open changeset.
      flushChangeset();
      addPart({ kind: 'read', operation: planned });
      return;
    }
    changeset.push(planned);
    if (changeset.length === changesetSize) flushChangeset();
  });
  flushChangeset();
  flushRequest();
  return requests;
}

export function operationsOf(part: BatchPart): readonly PlannedOperation[] {
  return part.kind === 'read' ? [part.operation] : part.operations;
}

/**
 * Results of several requests back in input order, one per record: a record no result covers gets an
 * explicit error rather than disappearing (an item in is an item out).
 */
export function collectResults(count: number, results: Iterable<WriteResult>): WriteResult[] {
  const slots = new Array<WriteResult | undefined>(count).fill(undefined);
  for (const result of results) {
    if (Number.isInteger(result.index) && result.index >= 0 && result.index < count) slots[result.index] = result;
  }
  return slots.map(
    (result, index) =>
      result ?? {
        index,
        action: 'error',
        error: {
          code: 'INTERNAL',
          message: `No batch result for record #${index}; it may or may not have been written.`,
          retryable: false,
        },
      },
  );
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TaktError('CONFIG_INVALID', `${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}
