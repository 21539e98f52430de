import { REDACTED, TaktError, redactUrl } from '../../errors';
import { basicAuthorization } from './secret-set';

export type QueryValue = string | number | boolean;
export type Query = Readonly<Record<string, QueryValue | readonly QueryValue[] | undefined>>;

/** A URL ready to send: credentials moved out of it, into `authorization` and `secrets`. */
export interface ResolvedUrl {
  /** Never carries userinfo; safe to pass to undici and to show after `redactUrl`. */
  readonly url: URL;
  /** `Basic …` built from the URL's userinfo, when it had one. */
  readonly authorization?: string;
  /** Credential values found in the URL, to be registered for masking. */
  readonly secrets: readonly string[];
}

const MAX_SHOWN_URL = 300;

/**
 * Parses an absolute http(s) URL, moving `user:password@` into a Basic Authorization header: undici would
 * otherwise reject it, and a URL with credentials tends to end up in logs.
 *
 * Node's URL errors carry the whole input (its `input` property; n8n #30598 is such a leak), so a failure is
 * rethrown as URL_INVALID with the input masked, and the original error survives only as TaktError's
 * name / code / message summary.
 */
export function parseHttpUrl(raw: string, field: string, base?: URL): ResolvedUrl {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch (cause) {
    throw new TaktError(
      'URL_INVALID',
      `${field} "${showRawUrl(raw)}" is not a valid URL. Check for spaces, a missing "https://" or a stray character.`,
      { cause, details: { field, requestMayHaveReachedServer: false } },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TaktError(
      'URL_INVALID',
      `${field} "${showRawUrl(raw)}" must start with https:// or http:// (it uses "${url.protocol}").`,
      { details: { field, requestMayHaveReachedServer: false } },
    );
  }
  const credentials = userinfoOf(url);
  if (!credentials) return { url, secrets: [] };

  const { username, password } = credentials;
  const authorization = basicAuthorization(username, password);
  url.username = '';
  url.password = '';
  return { url, authorization, secrets: [password, authorization.slice('Basic '.length)] };
}

/**
 * The URL of one request.
 *
 * - `path` is appended to the base URL's path (`https://h/sap/opu/odata/sap/API_X` + `A_Item` →
 *   `…/API_X/A_Item`), because a base URL is a service root. RFC 3986 resolution would drop `API_X`.
 * - `url` is absolute, or a reference resolved against the base URL by RFC 3986, which is what OData next
 *   links need (they may be relative).
 * - `query` is appended to whatever query the path or URL already has.
 */
export function resolveRequestUrl(
  target: { readonly url?: string; readonly path?: string; readonly query?: Query },
  base: URL | undefined,
): ResolvedUrl {
  if ((target.url === undefined) === (target.path === undefined)) {
    throw new TaktError('INTERNAL', 'A request needs exactly one of `url` or `path`.');
  }
  let resolved: ResolvedUrl;
  if (target.path !== undefined) {
    if (!base) {
      throw new TaktError(
        'CONFIG_INVALID',
        `The request path "${showRawUrl(target.path)}" needs a base URL; set baseUrl on the connection.`,
        { details: { field: 'baseUrl', requestMayHaveReachedServer: false } },
      );
    }
    resolved = parseHttpUrl(joinPath(base, target.path), 'The request URL');
    // Query parameters on the base URL (`?sap-client=100`) belong to every request made under it.
    const shared = base.search.replace(/^\?/, '');
    const own = resolved.url.search.replace(/^\?/, '');
    if (shared) resolved.url.search = own ? `${shared}&${own}` : shared;
  } else {
    resolved = parseHttpUrl(target.url ?? '', 'The request URL', base);
  }
  if (target.query) appendQuery(resolved.url, target.query);
  return resolved;
}

function joinPath(base: URL, path: string): string {
  const root = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const rest = path.replace(/^\/+/, '');
  return rest.length === 0 || rest.startsWith('?') ? `${root}${rest}` : `${root}/${rest}`;
}

/**
 * Encodes with encodeURIComponent (spaces as %20, not "+": OData servers read "+" in `$filter` literally),
 * except "$", which RFC 3986 allows in a query and which keeps OData system options (`$top`) readable.
 */
function appendQuery(url: URL, query: Query): void {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? (value as readonly QueryValue[]) : [value as QueryValue]) {
      pairs.push(`${encodeQueryPart(key)}=${encodeQueryPart(String(item))}`);
    }
  }
  if (pairs.length === 0) return;
  const existing = url.search.replace(/^\?/, '');
  url.search = existing ? `${existing}&${pairs.join('&')}` : pairs.join('&');
}

function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%24/g, '$');
}

/** The decoded user name and password of a URL, or undefined when it has none. */
export function userinfoOf(url: URL): { readonly username: string; readonly password: string } | undefined {
  if (!url.username && !url.password) return undefined;
  return { username: safeDecode(url.username), password: safeDecode(url.password) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A URL string that failed to parse, fit for a message: the userinfo is masked by position (the URL class
 * cannot find it for us), then the usual shapes and registered secrets are masked, then it is shortened.
 */
export function showRawUrl(raw: string): string {
  const masked = raw.replace(
    /^(\s*[a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i,
    (_match, scheme: string, userinfo: string) =>
      `${scheme}${userinfo.includes(':') ? `${userinfo.slice(0, userinfo.indexOf(':'))}:` : ''}${REDACTED}@`,
  );
  const shown = redactUrl(masked);
  return shown.length > MAX_SHOWN_URL ? `${shown.slice(0, MAX_SHOWN_URL)}…` : shown;
}
