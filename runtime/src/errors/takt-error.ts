import { ERROR_CODES, type ErrorCode, type ErrorKind } from './codes';
import { redactText, redactValue } from './redact';

/** Brand on a global symbol: `TaktError.is` holds across two copies of the runtime in one process. */
const BRAND = Symbol.for('takt.error');

/** What is kept of a foreign cause: never the object itself, which may carry a request config or headers. */
export interface CauseSummary {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface TaktErrorOptions {
  /** Overrides the code table's default for this one occurrence (a 503 on a non-idempotent POST, say). */
  readonly retryable?: boolean;
  readonly cause?: unknown;
  /** Structured context (status, url, attempt, …); redacted before it is stored. */
  readonly details?: Record<string, unknown>;
  /** For a deferred or rate-limited call: the earliest time the same call may be tried again. */
  readonly retryAt?: Date;
}

/**
 * The root of every error Takt raises. A `code` from the one table, the `kind` and default `retryable` that
 * table gives it, a redacted `message`, redacted `details`, and a `cause` reduced to name / code / message
 * (or another TaktError). Secrets cannot reach `message`, `stack`, `cause` or `toJSON()` because all of them
 * are built from redacted text.
 */
export class TaktError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly details: ErrorDetails;
  readonly retryAt: Date | undefined;
  declare readonly cause: TaktError | CauseSummary | undefined;

  constructor(code: ErrorCode, message: string, options: TaktErrorOptions = {}) {
    super(redactText(message));
    const spec = ERROR_CODES[code];
    this.name = 'TaktError';
    this.code = code;
    this.kind = spec.kind;
    this.retryable = options.retryable ?? spec.retryable;
    this.details = Object.freeze((redactValue(options.details ?? {}) ?? {}) as Record<string, unknown>);
    this.retryAt = options.retryAt;
    Object.defineProperty(this, 'cause', {
      value: summarizeCause(options.cause),
      enumerable: false,
      writable: false,
      configurable: true,
    });
    Object.defineProperty(this, BRAND, { value: true });
    // The stack's first line repeats the (already redacted) message; the frames hold file paths only.
    if (this.stack) this.stack = redactText(this.stack);
  }

  static is(value: unknown): value is TaktError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      kind: this.kind,
      retryable: this.retryable,
      message: this.message,
      details: this.details,
      ...(this.retryAt ? { retryAt: this.retryAt.toISOString() } : {}),
      ...(this.cause ? { cause: TaktError.is(this.cause) ? this.cause.toJSON() : this.cause } : {}),
    };
  }
}

function summarizeCause(cause: unknown): TaktError | CauseSummary | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (TaktError.is(cause)) return cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return Object.freeze({
      name: cause.name,
      ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
      message: redactText(cause.message),
    });
  }
  return Object.freeze({ name: typeof cause, message: redactText(String(cause)) });
}

/**
 * Any thrown value as a TaktError. TaktErrors pass through unchanged; everything else becomes INTERNAL with a
 * redacted message, so a host edge never has to handle a raw error that may hold secrets.
 */
export function toTaktError(value: unknown, fallback: ErrorCode = 'INTERNAL'): TaktError {
  if (TaktError.is(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TaktError(fallback, message, { cause: value });
}
