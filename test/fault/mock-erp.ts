import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback mock of an MES sync API (`PUT /api-<entity>/sync`, `POST /api-<entity>/bulk-sync`) with a
 * script of faults: each request takes the next scripted answer (or the one its client's script holds, by
 * the `x-client` header), and answers an upsert success when the script is empty. It logs every request
 * with its arrival time, so tests assert on what the wire saw rather than on what the client believes.
 */
export type MockAnswer =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: unknown }
  /** Read the request, then destroy the socket without an answer (the response is lost). */
  | 'reset'
  /** Never answer (the client's timeout must fire). */
  | 'hang';

export interface MockRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly client: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly body: unknown;
}

export class MockErp {
  readonly requests: MockRequest[] = [];
  /** Answers for any client, in order. */
  readonly script: MockAnswer[] = [];
  /** Answers per `x-client` header value, in order; used before the shared script. */
  readonly clientScripts = new Map<string, MockAnswer[]>();
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  /** Open sockets right now (keep-alive ones included): for the "no leak" check. */
  connections(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server?.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const client = header(request, 'x-client');
    const entry: MockRequest = {
      at: Date.now(),
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      client,
      idempotencyKey: header(request, 'idempotency-key'),
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    this.requests.push(entry);
    const answer = (client !== undefined ? this.clientScripts.get(client)?.shift() : undefined) ?? this.script.shift();
    if (answer === 'reset') {
      request.socket.destroy();
      return;
    }
    if (answer === 'hang') return;
    if (answer) {
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(success(entry)));
  }
}

/** The MES sync API's success answer for a single or bulk upsert: every record "created". */
function success(request: MockRequest): unknown {
  const body = request.body as Record<string, unknown> | undefined;
  const entity = /\/api-([a-z]+)\//.exec(request.path)?.[1] ?? '';
  const result = (record: unknown, i: number): unknown => ({
    external_id: (record as { external_id?: unknown } | undefined)?.external_id,
    id: `M-${i + 1}`,
    action: 'created',
  });
  if (request.path.endsWith('/bulk-sync')) {
    const records = (body?.[entity] as unknown[] | undefined) ?? [];
    return { success: true, data: { results: records.map(result) } };
  }
  return { success: true, data: result(body, 0) };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The MES error body for a rejected record. */
export function mesError(code: string, message: string): unknown {
  return { success: false, error: { code, message } };
}
