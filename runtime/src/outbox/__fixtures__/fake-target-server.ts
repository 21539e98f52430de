import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WriteItem, WriteMode } from '../../connectors';
import { TaktError } from '../../errors';
import { FakeTarget } from '../../testing/fake-target';

/**
 * FakeTarget over loopback HTTP, so a pusher in another process (the crash tests) writes to a target that
 * outlives it and counts effects. `POST /write` takes `{ entity, mode, records: WriteItem[] }` and answers
 * `{ results }`; per-record idempotency keys are in the records, as a bulk API carries them.
 *
 * Faults: `down` answers 503 (with `retryAfterSeconds`, a Retry-After) to every call; `stop()` / `start()`
 * close and reopen the port (connection refused in between).
 */
export interface AppliedWrite {
  readonly key: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly at: number;
}

export class FakeTargetServer {
  readonly target: FakeTarget;
  /** Every write call that reached the target (not the faulted ones), with its time. */
  readonly calls: { readonly at: number; readonly records: number }[] = [];
  /** Applied changes per key, in the order the target applied them: what per-key order is checked on. */
  readonly applied = new Map<string, AppliedWrite[]>();
  down = false;
  retryAfterSeconds: number | undefined;
  /** Calls answered 503 while down. */
  refused = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(entity = 'orders', keyField = 'id') {
    this.target = new FakeTarget([{ name: entity, keyFields: [keyField] }]);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the port and every open socket: callers see connection refused (or reset) until `start()`. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Effects summed over keys: each distinct change counts once, a replayed idempotency key not at all. */
  totalEffects(): number {
    return this.target.totalEffects();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (this.down) {
      this.refused += 1;
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (this.retryAfterSeconds !== undefined) headers['retry-after'] = String(this.retryAfterSeconds);
      response.writeHead(503, headers).end('down for maintenance');
      return;
    }
    if (request.method !== 'POST' || request.url !== '/write') {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      entity: string;
      mode: WriteMode;
      records: WriteItem[];
    };
    this.calls.push({ at: Date.now(), records: body.records.length });
    try {
      const before = new Map(
        body.records.map((item) => [this.effectKey(body.entity, item), this.effectsOf(body.entity, item)]),
      );
      const results = await this.target.write(body.entity, body.records, { mode: body.mode });
      body.records.forEach((item) => {
        if (this.effectsOf(body.entity, item) === before.get(this.effectKey(body.entity, item))) return;
        const key = this.target.keyOf(body.entity, item.data);
        const list = this.applied.get(key) ?? [];
        list.push({ key, data: item.data, at: Date.now() });
        this.applied.set(key, list);
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
    } catch (error) {
      const status = TaktError.is(error) ? 503 : 500;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(String(error));
    }
  }

  private effectKey(entity: string, item: WriteItem): string {
    return `${entity}/${this.target.keyOf(entity, item.data)}`;
  }

  private effectsOf(entity: string, item: WriteItem): number {
    return this.target.effects.get(this.effectKey(entity, item)) ?? 0;
  }
}
