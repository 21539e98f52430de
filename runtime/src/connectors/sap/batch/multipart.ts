import { TaktError } from '../../../errors';

/**
 * MIME multipart (RFC 2046 §5.1) as `$batch` uses it: reading is lenient (LF or CRLF, quoted boundaries,
 * preamble and epilogue, transport padding after a delimiter), writing is strict CRLF because Gateway needs
 * it (reference erp-protocols.md §0 "Multipart `$batch`").
 * https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1
 */

export const CRLF = '\r\n';

export interface MimePart {
  /** Lower-case header names; repeated headers are joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The `boundary` parameter of a multipart Content-Type, unquoted; undefined when it is not multipart. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^\s*multipart\//i.test(contentType)) return undefined;
  const match = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]+))/i.exec(contentType);
  const value = match?.[1]?.replace(/\\(.)/g, '$1') ?? match?.[2];
  return value === undefined || value === '' ? undefined : value;
}

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * The parts between `--boundary` delimiters. The line break before a delimiter belongs to the delimiter, so a
 * part's body does not end with it. A body without the closing delimiter (a cut response) still yields the
 * parts before the cut; a body with no delimiter at all is not multipart and throws RESPONSE_INVALID.
 */
export function parseMultipart(body: string, boundary: string): MimePart[] {
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  const parts: MimePart[] = [];
  let start: number | undefined;
  let closed = false;
  for (const match of body.matchAll(delimiter)) {
    if (start !== undefined) parts.push(parsePart(body.slice(start, match.index)));
    start = match.index + match[0].length;
    if (match[1] === '--') {
      closed = true;
      break;
    }
  }
  if (start === undefined) {
    throw new TaktError('RESPONSE_INVALID', `The batch response has no part delimited by "--${boundary}".`);
  }
  if (!closed && body.slice(start).trim() !== '') parts.push(parsePart(body.slice(start)));
  return parts;
}

/** Headers, a blank line, the body. A part without a blank line is all headers. */
export function parsePart(text: string): MimePart {
  const blank = /\r?\n\r?\n/.exec(text);
  // A part may start directly with the blank line (no headers at all).
  const leading = /^\r?\n/.exec(text);
  if (leading) return { headers: {}, body: text.slice(leading[0].length) };
  const headerText = blank ? text.slice(0, blank.index) : text;
  const body = blank ? text.slice(blank.index + blank[0].length) : '';
  return { headers: parseHeaderLines(headerText.split(/\r?\n/)), body };
}

/** `Name: value` lines; continuation lines (leading white space) are folded into the previous header. */
export function parseHeaderLines(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      headers[last] = `${headers[last] ?? ''} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    last = name;
  }
  return headers;
}

/** One multipart body from already rendered parts (each: header lines, blank line, body). */
export function renderMultipart(boundary: string, parts: readonly string[]): string {
  return parts.map((part) => `--${boundary}${CRLF}${part}${CRLF}`).join('') + `--${boundary}--${CRLF}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
