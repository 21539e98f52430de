/** Builds V2 multipart/mixed $batch bodies by hand, CRLF throughout (reference A.9 and section 0). */
export interface BatchOperation {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly contentId?: string;
}

function operation(op: BatchOperation): string {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (op.contentId) mime.push(`Content-ID: ${op.contentId}`);
  const headers = Object.entries(op.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  const body = op.body === undefined ? '' : JSON.stringify(op.body);
  if (body) headers.push('Content-Type: application/json');
  return `${mime.join('\r\n')}\r\n\r\n${op.method} ${op.url} HTTP/1.1\r\n${headers.join('\r\n')}${headers.length ? '\r\n' : ''}\r\n${body}`;
}

/** Items are reads (single operations) or changesets (arrays). */
export function batchBody(boundary: string, items: readonly (BatchOperation | readonly BatchOperation[])[]): string {
  const parts: string[] = [];
  items.forEach((item, i) => {
    if (Array.isArray(item)) {
      const changeset = `changeset_${i}`;
      const inner = (item as readonly BatchOperation[]).map((op) => `--${changeset}\r\n${operation(op)}\r\n`).join('');
      parts.push(
        `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n${inner}--${changeset}--\r\n`,
      );
    } else {
      parts.push(`--${boundary}\r\n${operation(item as BatchOperation)}\r\n`);
    }
  });
  return `${parts.join('')}--${boundary}--\r\n`;
}

export interface ParsedResponsePart {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Set for parts that came inside a changeset response. */
  readonly changeset?: number;
}

/** Flattens a multipart/mixed batch response into its HTTP answers, in order. */
export function parseBatchResponse(contentType: string, text: string): ParsedResponsePart[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)?.[1] ?? '';
  const out: ParsedResponsePart[] = [];
  const split = (body: string, mark: string): string[] =>
    body
      .split(`--${mark}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'));
  let changeset = 0;
  for (const part of split(text, boundary)) {
    const nested = /Content-Type: multipart\/mixed; boundary=([^\s;]+)/i.exec(part);
    const answers = nested?.[1] ? split(part, nested[1]) : [part];
    if (nested) changeset++;
    for (const answer of answers) {
      const statusLine = /HTTP\/1\.1 (\d{3})/.exec(answer);
      const afterStatus = answer.slice((statusLine?.index ?? 0) + (statusLine?.[0].length ?? 0));
      const [head = '', ...rest] = afterStatus.split('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      out.push({
        status: Number(statusLine?.[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n').trim(),
        ...(nested ? { changeset } : {}),
      });
    }
  }
  return out;
}
