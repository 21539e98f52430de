export { ERROR_CODES, isErrorCode, type ErrorCode, type ErrorCodeSpec, type ErrorKind } from './codes';
export {
  REDACTED,
  forgetSecret,
  isSensitiveHeader,
  isSensitiveKey,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
  registerSecret,
} from './redact';
export { TaktError, toTaktError, type CauseSummary, type ErrorDetails, type TaktErrorOptions } from './takt-error';
