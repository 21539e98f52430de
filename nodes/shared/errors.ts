import { ERROR_CODES, toTaktError, type TaktError } from '@takt/runtime';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/**
 * The one place a Takt error becomes an n8n error. Kinds the remote system caused (`auth`, `transient`, or any
 * error carrying the HTTP status the system answered) become NodeApiError with that status; configuration, data
 * and internal errors become NodeOperationError. The message is the runtime's (already redacted and naming what
 * to fix); the description gives the code's title and whether retrying may help.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) {
    if (itemIndex !== undefined && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
    return error;
  }
  const takt = toTaktError(error);
  const description = describeTaktError(takt);
  const index = itemIndex === undefined ? {} : { itemIndex };
  const status = httpStatusOf(takt);
  const converted =
    takt.kind === 'auth' || takt.kind === 'transient' || status !== undefined
      ? new NodeApiError(node, takt.toJSON() as JsonObject, {
          message: takt.message,
          description,
          ...(status === undefined ? {} : { httpCode: String(status) }),
          ...index,
        })
      : new NodeOperationError(node, takt.message, { description, ...index });
  // Kept so Continue On Fail outputs and callers that catch the converted error still see Takt's code.
  converted.context.taktCode = takt.code;
  converted.context.retryable = takt.retryable;
  return converted;
}

/** `code` and `message` of any thrown value, for Continue On Fail outputs and per-record results. */
export function errorSummary(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) {
    const code = error.context.taktCode;
    return {
      code: typeof code === 'string' ? code : 'NODE_ERROR',
      message: error.message,
      retryable: error.context.retryable === true,
    };
  }
  const takt = toTaktError(error);
  return { code: takt.code, message: takt.message, retryable: takt.retryable };
}

function describeTaktError(error: TaktError): string {
  const title = ERROR_CODES[error.code].title;
  const retry = error.retryable
    ? 'Retrying later may succeed.'
    : 'Retrying unchanged will fail again; fix the cause first.';
  return `${error.code}: ${title}. ${retry}`;
}

function httpStatusOf(error: TaktError): number | undefined {
  const status = error.details.status;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : undefined;
}
