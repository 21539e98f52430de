import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '../../connectors';
import { TaktError } from '../../errors';
import { HttpConnection, type HttpConnectionOptions } from '../../http';

/**
 * The client of FakeTargetServer: one `POST /write` per call through an HttpConnection (shared limiter,
 * Retry-After, retry policy). Every record carries its idempotency key, so the call is declared idempotent.
 */
export class HttpTargetConnector implements Connector {
  readonly kind = 'http-fake-target';
  private readonly http: HttpConnection;

  constructor(options: HttpConnectionOptions) {
    this.http = new HttpConnection(options);
  }

  test(): Promise<ConnectionTestResult> {
    return Promise.resolve({ ok: true, latencyMs: 0, message: 'not checked' });
  }

  entities(): readonly EntityDescriptor[] {
    return [];
  }

  read(): AsyncIterable<Page> {
    throw new TaktError('ENTITY_UNKNOWN', 'The HTTP fake target is write-only.');
  }

  async write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    const response = await this.http.send<'json'>(
      {
        method: 'POST',
        path: '/write',
        body: { entity, mode: options.mode, records },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      { idempotent: records.every((record) => record.idempotencyKey !== undefined) },
    );
    return (response.body as { results: WriteResult[] }).results;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
