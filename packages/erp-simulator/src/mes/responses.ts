import type { SimResponse } from '../service';

/** The vendor's error codes as they appear in `{ success: false, error: { code, message } }`. */
export type MesErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMIT_EXCEEDED';

export function success(status: number, data: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: { success: true, data } };
}

export function failure(
  status: number,
  code: MesErrorCode,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: { success: false, error: { code, message } },
  };
}
