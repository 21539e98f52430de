import { TaktError, redactUrl } from '../../errors';
import type { HttpConnection, RequestBody, RetryInfo } from '../../http';
import type { SapAuth } from './auth/sap-auth';
import type { CookieJar } from './cookie-jar';
import { CsrfToken, csrfRejectedAgain, isCsrfRejection, issuedToken } from './csrf';
import { refineSapError, sapErrorFromResponse } from './sap-error';

/** One request as the connector describes it; the pipeline adds client, language, auth, cookies and CSRF. */
export interface SapCall {
  readonly method: string;
  /** A path under the connection's base URL (`/sap/opu/odata/sap/SRV/Set`). Exactly one of path and url. */
  readonly path?: string;
  /** An absolute URL: a server's next link, resolved. */
  readonly url?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: RequestBody;
  /**
   * Set on modifying requests (writes, `$batch`): the service root the CSRF token is fetched from. Such a
   * request carries the token and is replayed once after a CSRF rejection.
   */
  readonly csrfRoot?: string;
  /** Whether a resend cannot duplicate an effect (GET, If-Match writes); see HttpConnection. */
  readonly idempotent?: boolean;
  /** Statuses besides 2xx returned to the caller instead of thrown (a 404 that means "absent", per-record 4xx). */
  readonly answers?: readonly number[];
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: RetryInfo) => void;
}

export interface SapAnswer {
  readonly status: number;
  /** Lower-case names; `set-cookie` is an array. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** The URL requested, without credentials: the base for relative next links. */
  readonly url: string;
}

/**
 * Every 4xx that the pipeline or its callers decide about: returned by the transport instead of thrown, so
 * that the CSRF header of a 403 can be read (the transport masks it in error details) and per-record
 * rejections keep their whole SAP error body. 407, 408, 425 and 429 stay with the transport's retry loop.
 */
const DECIDED_HERE: readonly number[] = Array.from({ length: 100 }, (_, i) => 400 + i).filter(
  (status) => ![407, 408, 425, 429].includes(status),
);

export interface SapHttpOptions {
  readonly connection: HttpConnection;
  readonly auth: SapAuth;
  readonly cookies: CookieJar;
  /** The base URL's origin, where the cookies of path requests belong. */
  readonly origin: string;
  /** `sap-client` and `sap-language` (reference A.2). */
  readonly client?: string;
  readonly language?: string;
}

/**
 * The request pipeline of one SAP connection, and the one place where SAP answers become TaktErrors:
 *
 * 1. `sap-client` / `sap-language` on every request, the CSRF fetch, `$batch` and next links included: the CSRF
 *    cookie name embeds the client, so a request in another client breaks token validation (reference A.2).
 * 2. Credentials from the auth strategy; the session cookies of the connection (reference A.4).
 * 3. Modifying requests carry the CSRF token; a 403 with `x-csrf-token: Required` drops token and cookies,
 *    fetches a new token and replays the request exactly once (README.md, "CSRF handshake").
 * 4. A 401 asks the auth strategy whether fresh credentials exist (an OAuth token); if so the request is
 *    replayed exactly once.
 * 5. The transport's retry loop (inside `connection.send`) handles 429 / 5xx with Retry-After.
 */
export class SapHttp {
  readonly csrf: CsrfToken;

  constructor(private readonly options: SapHttpOptions) {
    this.csrf = new CsrfToken((root, signal) => this.fetchCsrfToken(root, signal));
  }

  async send(call: SapCall): Promise<SapAnswer> {
    let authRenewed = false;
    let csrfRenewed = false;
    for (;;) {
      const answer = await this.sendOnce(call);
      if (answer.status === 401 && !authRenewed && this.options.auth.rejected()) {
        authRenewed = true;
        continue;
      }
      if (call.csrfRoot !== undefined && isCsrfRejection(answer.status, answer.headers)) {
        if (csrfRenewed) throw csrfRejectedAgain(call.method, redactUrl(answer.url));
        csrfRenewed = true;
        this.csrf.reset();
        this.options.cookies.clear();
        continue;
      }
      if ((answer.status >= 200 && answer.status < 300) || call.answers?.includes(answer.status)) return answer;
      throw this.failure(answer, call.method);
    }
  }

  /** The TaktError for an SAP answer: classified by status, worded with SAP's own message (reference A.10). */
  failure(answer: SapAnswer, method: string, context?: string): TaktError {
    const url = redactUrl(answer.url);
    const contentType = answer.headers['content-type'];
    return sapErrorFromResponse(
      {
        status: answer.status,
        ...(typeof contentType === 'string' ? { contentType } : {}),
        body: answer.body.toString('utf8'),
      },
      {
        context: context ?? `${method} ${url}`,
        details: { method, url, requestMayHaveReachedServer: ![401, 403].includes(answer.status) },
      },
    );
  }

  private async sendOnce(call: SapCall): Promise<SapAnswer> {
    const origin = call.url === undefined ? this.options.origin : new URL(call.url).origin;
    // The CSRF token first: fetching it may renew an expired OAuth token, and the credentials read after it
    // are then the renewed ones, so the write does not draw a second 401 and a second renewal.
    const csrfToken = call.csrfRoot === undefined ? undefined : await this.csrf.get(call.csrfRoot, call.signal);
    const headers: Record<string, string> = { ...call.headers, ...(await this.options.auth.headers(call.signal)) };
    if (csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
    const cookie = this.options.cookies.header(origin);
    if (cookie !== undefined) headers.cookie = cookie;
    try {
      const response = await this.options.connection.send(
        {
          method: call.method,
          ...(call.url === undefined ? { path: call.path ?? '' } : { url: call.url }),
          query: { ...this.sessionQuery(call), ...call.query },
          headers,
          ...(call.body === undefined ? {} : { body: call.body }),
          expect: 'buffer',
          okStatuses: DECIDED_HERE,
          ...(call.signal ? { signal: call.signal } : {}),
        },
        {
          ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
          ...(call.onRetry ? { onRetry: call.onRetry } : {}),
        },
      );
      this.options.cookies.store(origin, response.headers['set-cookie']);
      return { status: response.status, headers: response.headers, body: response.body, url: response.url };
    } catch (error) {
      throw TaktError.is(error) ? refineSapError(error) : error;
    }
  }

  /** `sap-client` and `sap-language`, unless the URL (a next link) already carries them. */
  private sessionQuery(call: SapCall): Record<string, string> {
    const present = call.url === undefined ? undefined : new URL(call.url).searchParams;
    const query: Record<string, string> = {};
    if (this.options.client !== undefined && !present?.has('sap-client')) query['sap-client'] = this.options.client;
    if (this.options.language !== undefined && !present?.has('sap-language')) {
      query['sap-language'] = this.options.language;
    }
    return query;
  }

  /**
   * GET on the service root with `x-csrf-token: Fetch` (reference A.4, steps 1-2). GET rather than HEAD:
   * some Gateway systems reject HEAD on the service root. The cookies it sets are absorbed by `sendOnce`.
   */
  private async fetchCsrfToken(root: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const answer = await this.send({
      method: 'GET',
      path: `${root}/`,
      headers: { accept: 'application/json', 'x-csrf-token': 'Fetch' },
      ...(signal ? { signal } : {}),
    });
    return issuedToken(answer.headers);
  }
}

/** A JSON answer body; RESPONSE_INVALID with a hint when it is not JSON (a login page, an HTML error page). */
export function answerJson(answer: SapAnswer): unknown {
  const text = answer.body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const start = text.slice(0, 200).replace(/\s+/g, ' ').trim();
    throw new TaktError(
      'RESPONSE_INVALID',
      `SAP answered ${redactUrl(answer.url)} with something that is not JSON (Content-Type: ` +
        `${String(answer.headers['content-type'] ?? 'none')}); it starts with: ${start}. An HTML page usually means ` +
        'a login page (single sign-on in front of the API), a proxy error page or a wrong service path.',
      { cause, details: { url: redactUrl(answer.url), status: answer.status } },
    );
  }
}

/** A single-valued response header. */
export function headerOf(answer: SapAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
