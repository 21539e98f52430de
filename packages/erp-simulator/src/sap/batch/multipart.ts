import { badRequest } from '../odata/odata-error';

/**
 * multipart/mixed for $batch (reference A.9, and the CRLF caveat of section 0): parts are MIME headers, a
 * blank line, content; nested changesets are multipart parts of their own. The parser accepts bare LF too,
 * since clients that build bodies by hand often get line endings wrong; the writer always emits CRLF.
 */
export interface MimePart {
  readonly headers: ReadonlyMap<string, string>;
  readonly content: string;
}

export interface HttpMessage {
  /** Request line or status line. */
  readonly startLine: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed/i.test(contentType)) return undefined;
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits "headers CRLF CRLF rest" at the first blank line. */
function splitHead(text: string): { head: string[]; rest: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { head: text.split(/\r?\n/).filter((l) => l !== ''), rest: '' };
  return { head: text.slice(0, match.index).split(/\r?\n/), rest: text.slice(match.index + match[0].length) };
}

function headerMap(lines: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export function parseMultipart(body: string, boundary: string): MimePart[] {
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: MimePart[] = [];
  let start = -1;
  let closed = false;
  for (let match = delimiter.exec(body); match; match = delimiter.exec(body)) {
    if (start >= 0) {
      const raw = body.slice(start, match.index).replace(/^\r?\n/, '');
      const { head, rest } = splitHead(raw);
      parts.push({ headers: headerMap(head), content: rest });
    }
    start = match.index + match[0].length;
    if (match[1]) {
      closed = true;
      break;
    }
  }
  if (!closed) throw badRequest(`The multipart body has no closing delimiter --${boundary}--`);
  return parts;
}

export function parseHttpMessage(text: string): HttpMessage {
  const { head, rest } = splitHead(text.replace(/^(\r?\n)+/, ''));
  const [startLine = '', ...headerLines] = head;
  return { startLine: startLine.trim(), headers: headerMap(headerLines), body: rest.replace(/\r?\n$/, '') };
}

export interface ResponsePart {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly contentId?: string;
}

function httpPart(part: ResponsePart): string {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (part.contentId) mime.push(`Content-ID: ${part.contentId}`);
  const headers = Object.entries(part.headers).map(([k, v]) => `${k}: ${v}`);
  if (part.body) headers.push(`Content-Length: ${Buffer.byteLength(part.body)}`);
  return `${mime.join('\r\n')}\r\n\r\nHTTP/1.1 ${part.status} ${part.statusText}\r\n${headers.join('\r\n')}\r\n\r\n${part.body}`;
}

/** A changeset answered as a whole: its parts, or one error part in its place (reference A.9). */
export type BatchResponseItem =
  | { readonly kind: 'single'; readonly part: ResponsePart }
  | { readonly kind: 'changeset'; readonly boundary: string; readonly parts: readonly ResponsePart[] };

export function writeMultipart(boundary: string, items: readonly BatchResponseItem[]): string {
  const chunks: string[] = [];
  for (const item of items) {
    chunks.push(`--${boundary}\r\n`);
    if (item.kind === 'single') {
      chunks.push(`${httpPart(item.part)}\r\n`);
    } else {
      chunks.push(`Content-Type: multipart/mixed; boundary=${item.boundary}\r\n\r\n`);
      for (const part of item.parts) chunks.push(`--${item.boundary}\r\n${httpPart(part)}\r\n`);
      chunks.push(`--${item.boundary}--\r\n`);
    }
  }
  chunks.push(`--${boundary}--\r\n`);
  return chunks.join('');
}
