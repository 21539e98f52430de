export {
  DEFAULT_MAX_OPERATIONS,
  MAX_OPERATIONS_LIMIT,
  collectResults,
  operationsOf,
  planBatches,
  type BatchMethod,
  type BatchOperation,
  type BatchPart,
  type BatchPlanOptions,
  type BatchRequestPlan,
  type PlannedOperation,
} from './batch-plan';
export { entityOf, etagOf, keyPredicateOf, targetIdOf } from './entity-identity';
export { parseHttpResponse, renderHttpRequest, type OperationResponse } from './http-message';
export { boundaryOf, parseMultipart, type MimePart } from './multipart';
export { type IdentifiedResponse, type OperationOutcome } from './operation-outcome';
export {
  encodeMultipartBatch,
  parseMultipartBatchResponse,
  parseMultipartBatchResults,
  type EncodedBatch,
  type MultipartEncodeOptions,
} from './v2-multipart';
export { encodeJsonBatch, parseJsonBatchResponse, parseJsonBatchResults, type JsonBatchRequest } from './v4-json';
export { errorForOutcome, failRequest, toWriteResult, toWriteResults } from './write-results';
