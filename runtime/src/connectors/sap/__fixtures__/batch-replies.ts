import type { Reply } from './mock-sap';

/** One answer inside a `$batch` response. */
export interface PartReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A changeset that succeeded (one answer per operation) or failed as a whole (one error answer, reference A.9). */
export type ChangesetReply = { readonly ok: readonly PartReply[] } | { readonly failed: PartReply };

const CRLF = '\r\n';
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  412: 'Precondition Failed',
  428: 'Precondition Required',
};

function httpPart(reply: PartReply): string {
  const headers = { ...(reply.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...reply.headers };
  const lines = [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    reply.body === undefined ? '' : JSON.stringify(reply.body),
  ];
  return lines.join(CRLF);
}

/** A Gateway-shaped multipart `$batch` response (202, reference A.9), one part per changeset. */
export function v2BatchReply(changesets: readonly ChangesetReply[]): Reply {
  const parts = changesets.map((changeset, i) => {
    if ('failed' in changeset) return httpPart(changeset.failed);
    const boundary = `changesetresponse_${i}`;
    const inner = changeset.ok.map((reply) => `--${boundary}${CRLF}${httpPart(reply)}`).join(CRLF);
    return `Content-Type: multipart/mixed; boundary=${boundary}${CRLF}${CRLF}${inner}${CRLF}--${boundary}--`;
  });
  const body = parts.map((part) => `--batchresponse_1${CRLF}${part}`).join(CRLF) + `${CRLF}--batchresponse_1--${CRLF}`;
  return {
    status: 202,
    body,
    headers: { 'content-type': 'multipart/mixed; boundary=batchresponse_1', dataserviceversion: '2.0' },
  };
}

/** The ids of a JSON batch request, in order. */
export function jsonBatchIds(body: string): string[] {
  const parsed = JSON.parse(body) as { requests: { id: string }[] };
  return parsed.requests.map((request) => request.id);
}

/** The bodies of the operations inside a multipart request, in order. */
export function multipartBodies(body: string): unknown[] {
  return [...body.matchAll(/\r\n\r\n(\{[^\r\n]*\})/g)].map((m) => JSON.parse(m[1] ?? '{}') as unknown);
}
