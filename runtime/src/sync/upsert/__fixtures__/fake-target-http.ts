import { setTimeout as delay } from 'node:timers/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  ReadOptions,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '../../../connectors';
import { TaktError } from '../../../errors';
import type { FakeTarget } from '../../../testing/fake-target';

/**
 * A FakeTarget served over loopback HTTP, so the target outlives a SIGKILLed sync process: the crash tests
 * run the target in the test process and the engine in a child. Every written item is logged with its
 * idempotency key, so a test can check that a record sent twice carried the same key both times.
 */
export interface ServedTarget {
  readonly url: string;
  /** Per `entity/key`: the idempotency keys of every write request that carried the record, in order. */
  readonly sent: Map<string, string[]>;
  close(): Promise<void>;
}

interface WriteBody {
  readonly entity: string;
  readonly mode: WriteOptions['mode'];
  readonly records: WriteItem[];
}

interface ReadBody {
  readonly entity: string;
  readonly key?: Record<string, string>;
}

export interface ServeOptions {
  /**
   * How long a write's answer takes after the target applied it: a real target's round trip. It keeps a run
   * long enough for seeded kills to land inside it, and widens the window in which the target is ahead of
   * the store (applied, not yet acknowledged).
   */
  readonly writeLatencyMs?: number;
}

export async function serveFakeTarget(target: FakeTarget, options: ServeOptions = {}): Promise<ServedTarget> {
  const sent = new Map<string, string[]>();
  const server: Server = createServer((request, response) => {
    readJson(request)
      .then(async (body) => {
        let answer: unknown;
        if (request.url === '/write') {
          const { entity, mode, records } = body as WriteBody;
          for (const item of records) {
            const id = `${entity}/${target.keyOf(entity, item.data)}`;
            sent.set(id, [...(sent.get(id) ?? []), item.idempotencyKey ?? '']);
          }
          answer = await target.write(entity, records, { mode });
          if (options.writeLatencyMs) await delay(options.writeLatencyMs);
        } else if (request.url === '/read') {
          const { entity, key } = body as ReadBody;
          const records: unknown[] = [];
          for await (const page of target.read(entity, key ? { key } : {})) records.push(...page.records);
          answer = { records };
        } else {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      })
      .catch((error: unknown) => {
        // A client killed mid-request leaves a half-read body: nothing was applied, nothing to answer.
        if (!response.headersSent) response.writeHead(500).end(JSON.stringify({ error: String(error) }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('aborted', () => reject(new Error('request aborted')));
    request.on('error', reject);
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** The child's side: a Connector that forwards writes and keyed reads to a served FakeTarget. */
export class HttpFakeTargetClient implements Connector {
  readonly kind = 'fake-http';

  constructor(
    private readonly url: string,
    private readonly descriptors: readonly EntityDescriptor[],
  ) {}

  test(): Promise<ConnectionTestResult> {
    return Promise.resolve({ ok: true, latencyMs: 0, message: 'ok' });
  }

  entities(): readonly EntityDescriptor[] {
    return this.descriptors;
  }

  async *read(entity: string, options: ReadOptions = {}): AsyncIterable<Page> {
    const answer = (await this.post('/read', { entity, ...(options.key ? { key: options.key } : {}) })) as {
      records: Record<string, unknown>[];
    };
    yield { records: answer.records };
  }

  async write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    return (await this.post('/write', { entity, mode: options.mode, records })) as WriteResult[];
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new TaktError('CONNECTION_REFUSED', 'The served fake target did not answer.', { cause: error });
    }
    if (!response.ok) throw new TaktError('HTTP_SERVER_ERROR', `The served fake target answered ${response.status}.`);
    return (await response.json()) as unknown;
  }
}
