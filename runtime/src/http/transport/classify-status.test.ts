import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ErrorCode, ErrorKind, TaktError } from '../../errors';
import { FakeClock } from '../../time';
import { startHttpServer, type TestServer } from './__fixtures__/servers';
import { HttpClient } from './http-client';

interface StatusCase {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly reached: boolean;
  /** Expected retryAt relative to the fake clock; absent means no retryAt. */
  readonly retryAfterMs?: number;
}

const cases = JSON.parse(
  readFileSync(join(__dirname, '__fixtures__', 'status-cases.json'), 'utf8'),
) as readonly StatusCase[];

const NOW = Date.UTC(2026, 0, 1);

describe('classifyStatus: the status table, against a real server', () => {
  let server: TestServer;
  let client: HttpClient;

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const index = Number(new URL(request.url ?? '', 'http://x').searchParams.get('case'));
      const c = cases[index];
      if (!c) return void response.writeHead(500).end();
      response.writeHead(c.status, { 'content-type': 'application/json', ...c.headers });
      response.end(JSON.stringify({ error: { code: `E${c.status}`, message: `status ${c.status} for test` } }));
    });
    client = new HttpClient({ baseUrl: server.origin, proxy: 'none', clock: new FakeClock(NOW) });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  test.each(cases.map((c, index) => [c.status, c.headers?.['retry-after'] ?? '', index, c] as const))(
    '%i %s',
    async (status, _retryAfter, index, c) => {
      const error = await client.request({ method: 'PATCH', path: 'orders', query: { case: index } }).then(
        () => undefined,
        (thrown: unknown) => thrown as TaktError,
      );
      expect(error).toMatchObject({ code: c.code, kind: c.kind, retryable: c.retryable });
      // A 304 has no body (RFC 9110 §15.4.5); Node's server drops the one the handler writes.
      const body = status === 304 ? '' : `{"error":{"code":"E${status}","message":"status ${status} for test"}}`;
      expect(error?.details).toMatchObject({
        requestMayHaveReachedServer: c.reached,
        status,
        method: 'PATCH',
        url: `${server.origin}/orders?case=${index}`,
        bodySnippet: body,
      });
      expect(error?.retryAt?.getTime()).toBe(c.retryAfterMs === undefined ? undefined : NOW + c.retryAfterMs);
      expect(error?.message).toContain(`PATCH ${server.origin}/orders?case=${index} returned ${status}`);
      expect(error?.message.endsWith(body ? `Server said: ${body}` : '.')).toBe(true);
    },
  );

  it('keeps 2 KB of a long error body and still reuses the socket', async () => {
    const long = await startHttpServer((_request, response) => response.writeHead(500).end('x'.repeat(50_000)));
    const other = new HttpClient({ baseUrl: long.origin, proxy: 'none' });
    try {
      for (let i = 0; i < 2; i += 1) {
        const error = await other.request({ path: 'x' }).then(
          () => undefined,
          (thrown: unknown) => thrown as TaktError,
        );
        expect(error?.details.bodySnippet).toBe('x'.repeat(2048));
      }
      expect(long.connections()).toBe(1);
    } finally {
      await other.close();
      await long.close();
    }
  });
});
