import { ERROR_CODES, TaktError, redactText, type ErrorCode } from '../../errors';

/**
 * SAP Gateway error bodies → TaktError (reference erp-protocols.md A.10).
 *
 * Three shapes reach us: V2 JSON (`error.message.value`, `innererror.errordetails[]`), V4 JSON (`error.message`
 * a plain string, `details[]`), and the XML body Gateway sends when JSON was not negotiated (a failed
 * `$batch`, `$metadata`, or a request without `Accept: application/json`). The transport keeps only the first
 * 2 KB of a body (`details.bodySnippet`) and a Gateway V2 error with `Error_Resolution` is often longer, so a
 * cut JSON body still yields its code and message.
 * V2 JSON format: https://www.odata.org/documentation/odata-version-2-0/json-format/ (Error Response)
 * V4 JSON format: https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_ErrorResponse
 */

export interface SapErrorDetail {
  readonly code?: string;
  readonly message: string;
  readonly propertyref?: string;
  readonly severity?: string;
  readonly target?: string;
}

export interface SapErrorBody {
  readonly format: 'v2' | 'v4' | 'xml';
  /** The SAP message id, e.g. `/IWBEP/CM_MGW_RT/021` or `CO/017`. */
  readonly code?: string;
  readonly message: string;
  readonly lang?: string;
  readonly target?: string;
  readonly details: readonly SapErrorDetail[];
  /** What Basis needs to find the request in /IWFND/ERROR_LOG (A.10). */
  readonly transactionId?: string;
  readonly timestamp?: string;
  /** The Content-ID of the `$batch` operation that failed, when the server names it (V4 `@Core.ContentID`). */
  readonly contentId?: string;
  /** The body was cut before its end; only the fields before the cut were read. */
  readonly truncated?: boolean;
}

/** A response (or a `$batch` part) that failed. `body` is the raw text or an already parsed JSON value. */
export interface SapFailedResponse {
  readonly status: number;
  readonly statusText?: string;
  readonly contentType?: string;
  readonly body: unknown;
}

export interface SapErrorOptions {
  /** Merged into the error's details (request method and URL, batch position). */
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
  readonly retryAt?: Date;
  /** Appended to the message, e.g. "POST A_ProductionOrder_2" or "record #4". */
  readonly context?: string;
}

const MAX_MESSAGE = 500;
const MAX_DETAILS_IN_MESSAGE = 2;
const MAX_DETAILS_KEPT = 10;

/** Reads a V2, V4 or XML SAP error body; undefined when the body is none of them (HTML, empty, plain text). */
export function parseSapErrorBody(body: unknown): SapErrorBody | undefined {
  if (typeof body !== 'string') return fromJson(body);
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      return fromJson(JSON.parse(text));
    } catch {
      return salvageJson(text);
    }
  }
  return text.startsWith('<') ? fromXml(text) : undefined;
}

/** The TaktError for a failed response or `$batch` part, classified by status and worded by SAP's message. */
export function sapErrorFromResponse(response: SapFailedResponse, options: SapErrorOptions = {}): TaktError {
  const parsed = parseSapErrorBody(response.body);
  const code = codeForStatus(response.status, parsed);
  const message = parsed
    ? sapMessage(parsed, response.status, options.context)
    : plainMessage(response, options.context);
  return new TaktError(code, message, {
    retryable: isLockMessage(parsed) || codeRetryable(code, response.status),
    ...(options.retryAt ? { retryAt: options.retryAt } : {}),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    details: { ...options.details, status: response.status, ...(parsed ? { sap: sapDetails(parsed) } : {}) },
  });
}

/**
 * Refines an error the HTTP transport raised for an SAP response (it carries `details.status` and
 * `details.bodySnippet`): SAP's own message and code replace the generic wording, and a business rejection
 * becomes ERP_REJECTED. Errors without a readable SAP body are returned unchanged, transport hint included.
 */
export function refineSapError(error: TaktError): TaktError {
  const { status, bodySnippet, responseHeaders, method, url } = error.details;
  if (typeof status !== 'number' || typeof bodySnippet !== 'string') return error;
  const parsed = parseSapErrorBody(bodySnippet);
  if (!parsed) return error;
  const code = codeForStatus(status, parsed);
  const context = typeof method === 'string' && typeof url === 'string' ? `${method} ${url}` : undefined;
  return new TaktError(code, sapMessage(parsed, status, context), {
    // The transport may have overridden retryable for this call (e.g. a POST that reached the server).
    retryable: isLockMessage(parsed) || (code === error.code ? error.retryable : codeRetryable(code, status)),
    ...(error.retryAt ? { retryAt: error.retryAt } : {}),
    cause: error,
    details: { ...error.details, ...contentTypeOf(responseHeaders), sap: sapDetails(parsed) },
  });
}

/**
 * Status first where it says what to do (auth, conflict, transient); a readable SAP body on any other 4xx is
 * a business or validation rejection by the ERP.
 */
export function codeForStatus(status: number, parsed: SapErrorBody | undefined): ErrorCode {
  switch (status) {
    case 401:
      return 'AUTH_FAILED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return isServiceMissing(parsed) ? 'SERVICE_NOT_FOUND' : 'HTTP_NOT_FOUND';
    case 408:
      return 'HTTP_TIMEOUT';
    case 409:
      return 'HTTP_CONFLICT';
    case 410:
      return 'HTTP_GONE';
    case 412:
      return 'HTTP_PRECONDITION_FAILED';
    case 413:
      return 'HTTP_PAYLOAD_TOO_LARGE';
    case 425:
      return 'HTTP_TOO_EARLY';
    case 428:
      return 'HTTP_PRECONDITION_REQUIRED';
    case 429:
      return 'HTTP_RATE_LIMITED';
    case 502:
    case 503:
    case 504:
      return 'HTTP_UNAVAILABLE';
  }
  if (status >= 500) return 'HTTP_SERVER_ERROR';
  if (status >= 400) {
    if (parsed) return 'ERP_REJECTED';
    return status === 400 ? 'HTTP_BAD_REQUEST' : status === 422 ? 'HTTP_UNPROCESSABLE' : 'HTTP_CLIENT_ERROR';
  }
  return 'RESPONSE_INVALID';
}

/** 501 Not Implemented stays so; every other code keeps the table's default (the transport's rule too). */
function codeRetryable(code: ErrorCode, status: number): boolean {
  return status !== 501 && ERROR_CODES[code].retryable;
}

/**
 * Gateway answers 404 both for a missing record and for a service or entity set that is not there; the latter
 * is a configuration error. `/IWFND/MED/*` are Gateway's service-catalog messages [unverified as exhaustive].
 */
function isServiceMissing(parsed: SapErrorBody | undefined): boolean {
  if (!parsed) return false;
  if (parsed.code?.startsWith('/IWFND/MED/')) return true;
  return /no service found|service .{0,80}not (found|active)|resource not found for (the )?segment/i.test(
    parsed.message,
  );
}

/**
 * A record locked by another user or job (an SAP enqueue lock) passes once that user saves; shop-floor
 * confirmations meet this often. Recognised by wording only [unverified: message ids differ by application].
 */
function isLockMessage(parsed: SapErrorBody | undefined): boolean {
  if (!parsed) return false;
  return /\b(is locked by|locked by user|currently being (processed|edited)|is being processed by)\b/i.test(
    parsed.message,
  );
}

function sapMessage(parsed: SapErrorBody, status: number, context: string | undefined): string {
  const extra = parsed.details
    .filter((d) => d.message !== parsed.message && (d.severity === undefined || /error|^4$/i.test(d.severity)))
    .slice(0, MAX_DETAILS_IN_MESSAGE)
    .map((d) => (d.code ? `${d.message} [${d.code}]` : d.message));
  const head = parsed.code ? `${parsed.message} [${parsed.code}]` : parsed.message;
  const where = context ? `HTTP ${status} on ${context}` : `HTTP ${status}`;
  // The transaction id is what Basis searches /IWFND/ERROR_LOG for (A.10); per-record results keep no details.
  const log = parsed.transactionId ? `; SAP transaction ${parsed.transactionId}` : '';
  return cut([head, ...extra].join('; ')) + ` (${where}${log})`;
}

function plainMessage(response: SapFailedResponse, context: string | undefined): string {
  const raw = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
  const text = /html/i.test(response.contentType ?? '') || /^\s*</.test(raw) ? raw.replace(/<[^>]*>/g, ' ') : raw;
  const said = cut(text.replace(/\s+/g, ' ').trim());
  const head = `SAP answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return `${head}${context ? ` on ${context}` : ''}${said ? `: ${said}` : ''}`;
}

/** Redact before cutting: a cut through a secret would leave a piece the redaction no longer recognises. */
function cut(text: string): string {
  const clean = redactText(text);
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean;
}

function sapDetails(parsed: SapErrorBody): Record<string, unknown> {
  return compact({ ...parsed, details: parsed.details.slice(0, MAX_DETAILS_KEPT) });
}

/** Without the absent fields, so details and job records show only what SAP said. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function contentTypeOf(headers: unknown): Record<string, unknown> {
  const value = (headers as Record<string, unknown> | undefined)?.['content-type'];
  return typeof value === 'string' ? { contentType: value } : {};
}

// ---- JSON -------------------------------------------------------------------------------------------------

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fromJson(value: unknown): SapErrorBody | undefined {
  const error = isObject(value) ? value.error : undefined;
  if (!isObject(error)) return undefined;
  const inner = isObject(error.innererror) ? error.innererror : {};
  const v2Message = isObject(error.message) ? error.message : undefined;
  const message = str(v2Message?.value) ?? str(error.message);
  const rawDetails = Array.isArray(inner.errordetails) ? inner.errordetails : error.details;
  const details = (Array.isArray(rawDetails) ? rawDetails : []).filter(isObject).map(detailFromJson);
  if (message === undefined && details.length === 0) return undefined;
  return {
    format: v2Message ? 'v2' : 'v4',
    code: str(error.code),
    message: message ?? details[0]?.message ?? '',
    lang: str(v2Message?.lang),
    target: str(error.target),
    details,
    transactionId: str(inner.transactionid),
    timestamp: str(inner.timestamp),
    contentId: contentIdOf(error) ?? firstContentId(rawDetails),
  };
}

function detailFromJson(detail: Json): SapErrorDetail {
  const severity = str(detail.severity) ?? numericSeverity(annotation(detail, 'numericSeverity'));
  return compact({
    code: str(detail.code),
    message: str(detail.message) ?? '',
    propertyref: str(detail.propertyref),
    severity,
    target: str(detail.target),
  });
}

/** V4 instance annotations come with the vocabulary's alias: `@Core.ContentID`, `@SAP__core.ContentID`. */
function annotation(object: Json, term: string): unknown {
  const key = Object.keys(object).find((k) => k.startsWith('@') && k.endsWith(`.${term}`));
  return key === undefined ? undefined : object[key];
}

function contentIdOf(object: Json): string | undefined {
  const value = annotation(object, 'ContentID') ?? object.ContentID;
  return typeof value === 'number' ? String(value) : str(value);
}

/** Gateway may name the failing changeset operation in `errordetails[].ContentID` [unverified]. */
function firstContentId(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const id = isObject(detail) ? contentIdOf(detail) : undefined;
    if (id !== undefined) return id;
  }
  return undefined;
}

/** OData Common vocabulary: 1 success, 2 info, 3 warning, 4 error. */
function numericSeverity(value: unknown): string | undefined {
  return typeof value === 'number' ? (['success', 'info', 'warning', 'error'][value - 1] ?? undefined) : undefined;
}

const JSON_STRING = '"((?:[^"\\\\]|\\\\.)*)"';

/** A JSON error body cut short: the outer code and message come first, so they usually survive the cut. */
function salvageJson(text: string): SapErrorBody | undefined {
  if (!/^\{\s*"error"\s*:/.test(text)) return undefined;
  const grab = (pattern: string): string | undefined => {
    const found = new RegExp(pattern).exec(text)?.[1];
    if (found === undefined) return undefined;
    try {
      return str(JSON.parse(`"${found}"`));
    } catch {
      return str(found);
    }
  };
  const v2 = grab(`"message"\\s*:\\s*\\{[^{}]*?"value"\\s*:\\s*${JSON_STRING}`);
  const message = v2 ?? grab(`"message"\\s*:\\s*${JSON_STRING}`);
  if (message === undefined) return undefined;
  return {
    format: v2 === undefined ? 'v4' : 'v2',
    code: grab(`"code"\\s*:\\s*${JSON_STRING}`),
    message,
    details: [],
    transactionId: grab(`"transactionid"\\s*:\\s*${JSON_STRING}`),
    timestamp: grab(`"timestamp"\\s*:\\s*${JSON_STRING}`),
    truncated: true,
  };
}

// ---- XML --------------------------------------------------------------------------------------------------

/** `<error><code/><message xml:lang/><innererror>…</innererror></error>`, with or without a namespace prefix. */
function fromXml(text: string): SapErrorBody | undefined {
  if (!/<(?:[\w-]+:)?error[\s>]/.test(text)) return undefined;
  const innerXml = element(text, 'innererror', true);
  const outer = innerXml === undefined ? text : text.replace(innerXml, '');
  const message = element(outer, 'message');
  if (message === undefined) return undefined;
  const lang = /<(?:[\w-]+:)?message\b[^>]*\bxml:lang="([^"]*)"/.exec(outer)?.[1];
  const detailBlocks = innerXml?.match(/<(?:[\w-]+:)?errordetail\b[^>]*>[\s\S]*?<\/(?:[\w-]+:)?errordetail>/g) ?? [];
  return {
    format: 'xml',
    code: str(element(outer, 'code')),
    message,
    lang: str(lang),
    details: detailBlocks.map((block) =>
      compact({
        code: str(element(block, 'code')),
        message: element(block, 'message') ?? '',
        propertyref: str(element(block, 'propertyref')),
        severity: str(element(block, 'severity')),
        target: str(element(block, 'target')),
      }),
    ),
    transactionId: innerXml === undefined ? undefined : str(element(innerXml, 'transactionid')),
    timestamp: innerXml === undefined ? undefined : str(element(innerXml, 'timestamp')),
  };
}

/** The text of the first `<name>` element (or, with `whole`, the element itself). */
function element(xml: string, name: string, whole = false): string | undefined {
  const pattern = new RegExp(`<(?:[\\w-]+:)?${name}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>)`);
  const match = pattern.exec(xml);
  if (!match) return undefined;
  return whole ? match[0] : decodeXmlText(match[1] ?? '');
}

function decodeXmlText(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_all, data: string) => data)
    .replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_all, entity: string) => {
      const lower = entity.toLowerCase();
      if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
      if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
      return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[lower] ?? '';
    })
    .trim();
}
