import type { WriteResult } from '../../types';
import { collectResults, planBatches, type BatchOperation, type BatchPlanOptions } from './batch-plan';
import { boundaryOf, parseHeaderLines, parseMultipart, type MimePart } from './multipart';
import { encodeJsonBatch, parseJsonBatchResults, type JsonBatchRequest } from './v4-json';
import { encodeMultipartBatch, parseMultipartBatchResults } from './v2-multipart';

/**
 * encode → a tiny in-test SAP that reads the request format → parse. The responder applies creates, rejects
 * Material "BAD" with a Gateway error and answers a failed changeset with ONE error part (reference A.9).
 */

interface Request {
  readonly contentId: string | undefined;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>> | undefined;
}
interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 201: 'Created', 400: 'Bad Request', 424: 'Failed Dependency' };

function apply(request: Request): Reply {
  const order = String(request.body?.ManufacturingOrder);
  if (request.body?.Material === 'BAD') {
    return {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: {
        error: {
          code: 'M3/305',
          message: { lang: 'en', value: `Material BAD not maintained for order ${order}` },
          innererror: {
            transactionid: 'AB12',
            errordetails: [
              { ContentID: request.contentId, code: 'M3/305', message: 'Material BAD', severity: 'error' },
            ],
          },
        },
      },
    };
  }
  return {
    status: 201,
    headers: { 'Content-Type': 'application/json', Location: `A_ProductionOrder_2('${order}')`, ETag: `W/"${order}"` },
    body: { d: { ManufacturingOrder: order } },
  };
}

function readRequest(part: MimePart): Request {
  const [head = '', body = ''] = part.body.split(/\r\n\r\n/);
  const [line = '', ...headerLines] = head.split('\r\n');
  const [method = '', url = ''] = line.split(' ');
  return {
    contentId: part.headers['content-id'],
    method,
    url,
    headers: parseHeaderLines(headerLines),
    body: body === '' ? undefined : (JSON.parse(body) as Record<string, unknown>),
  };
}

function httpPart(reply: Reply, contentId?: string): string {
  const headers = Object.entries(reply.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return (
    `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n` +
    (contentId === undefined ? '' : `Content-ID: ${contentId}\r\n`) +
    `\r\nHTTP/1.1 ${reply.status} ${STATUS_TEXT[reply.status] ?? ''}\r\n${headers.join('')}\r\n` +
    (reply.body === undefined ? '' : JSON.stringify(reply.body))
  );
}

function multipartResponder(contentType: string, body: string): { contentType: string; body: string } {
  const out: string[] = [];
  for (const part of parseMultipart(body, boundaryOf(contentType)!)) {
    const changeset = boundaryOf(part.headers['content-type']);
    if (changeset === undefined) {
      out.push(httpPart(apply(readRequest(part))));
      continue;
    }
    const replies = parseMultipart(part.body, changeset).map(readRequest).map(apply);
    const failed = replies.find((reply) => reply.status >= 400);
    out.push(
      failed
        ? httpPart(failed)
        : `Content-Type: multipart/mixed; boundary=cs_resp\r\n\r\n` +
            replies.map((reply) => `--cs_resp\r\n${httpPart(reply)}\r\n`).join('') +
            '--cs_resp--\r\n',
    );
  }
  return {
    contentType: 'multipart/mixed; boundary="resp"',
    body: out.map((part) => `--resp\r\n${part}\r\n`).join('') + '--resp--\r\n',
  };
}

function jsonResponder(body: string): unknown {
  const requests = (JSON.parse(body) as { requests: JsonBatchRequest[] }).requests;
  const responses: unknown[] = [];
  const groups = new Map<string, JsonBatchRequest[]>();
  for (const request of requests) {
    const key = request.atomicityGroup ?? `single:${request.id}`;
    groups.set(key, [...(groups.get(key) ?? []), request]);
  }
  for (const members of groups.values()) {
    const replies = members.map((request) =>
      apply({ ...request, contentId: request.id, headers: {}, body: request.body as Record<string, unknown> }),
    );
    const failed = replies.some((reply) => reply.status >= 400);
    members.forEach((request, i) => {
      const reply = replies[i]!;
      const status = failed && reply.status < 400 ? 424 : reply.status;
      const headers = Object.fromEntries(Object.entries(reply.headers).map(([k, v]) => [k.toLowerCase(), v]));
      // Answer the last request first: a JSON batch response may come in any order.
      responses.unshift({ id: request.id, status, headers, body: status === 424 ? undefined : reply.body });
    });
  }
  return { responses };
}

const operations: BatchOperation[] = Array.from({ length: 1000 }, (_, i) => ({
  method: 'POST',
  url: 'A_ProductionOrder_2',
  body: { ManufacturingOrder: String(4_000_000 + i), Material: i % 97 === 5 ? 'BAD' : 'FG126' },
}));
const bad = (i: number): boolean => i % 97 === 5;

function runMultipart(options: BatchPlanOptions): WriteResult[] {
  const results = planBatches(operations, options).flatMap((plan) => {
    const request = encodeMultipartBatch(plan);
    const response = multipartResponder(request.headers['Content-Type']!, request.body);
    return parseMultipartBatchResults(plan, response.contentType, response.body);
  });
  return collectResults(operations.length, results);
}

function runJson(options: BatchPlanOptions): WriteResult[] {
  const results = planBatches(operations, options).flatMap((plan) =>
    parseJsonBatchResults(plan, 'application/json', jsonResponder(encodeJsonBatch(plan).body)),
  );
  return collectResults(operations.length, results);
}

describe.each([
  ['V2 multipart', runMultipart],
  ['V4 JSON', runJson],
])('%s round trip of 1000 records', (_name, run) => {
  it.each([{ maxOperations: 1000 }, {}])('fails each bad record alone (%j)', (options) => {
    const results = run(options);
    expect(results).toHaveLength(1000);
    results.forEach((result, i) => {
      expect(result.index).toBe(i);
      if (bad(i)) {
        expect(result.action).toBe('error');
        expect(result.error?.code).toBe('ERP_REJECTED');
        expect(result.error?.message).toContain(`Material BAD not maintained for order ${4_000_000 + i} [M3/305]`);
      } else {
        expect(result).toEqual({
          index: i,
          action: 'created',
          targetId: String(4_000_000 + i),
          etag: `W/"${4_000_000 + i}"`,
        });
      }
    });
    expect(results.filter((r) => r.action === 'error')).toHaveLength(11);
  });

  it('rolls back the whole atomic group of a bad record and names it', () => {
    const results = run({ maxOperations: 1000, changesetSize: 4 });
    // Record 5 is bad; its changeset is 4..7.
    expect(results.slice(3, 9).map((r) => [r.index, r.action, r.error?.code])).toEqual([
      [3, 'created', undefined],
      [4, 'error', 'BATCH_CHANGESET_FAILED'],
      [5, 'error', 'ERP_REJECTED'],
      [6, 'error', 'BATCH_CHANGESET_FAILED'],
      [7, 'error', 'BATCH_CHANGESET_FAILED'],
      [8, 'created', undefined],
    ]);
    expect(results[6]!.error?.message).toContain('record #5 in the same changeset failed');
    expect(results.filter((r) => r.action === 'created')).toHaveLength(1000 - 11 * 4);
  });
});
