import type {
  Connector,
  EntityDescriptor,
  Page,
  ReadOptions,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '../../connectors/types';

export interface LoggedCall {
  readonly method: 'test' | 'entities' | 'read' | 'write' | 'close';
  readonly entity?: string;
  readonly key?: Readonly<Record<string, string>>;
  readonly options?: unknown;
}

/**
 * An in-memory Connector that logs every call, so a test can prove what a caller did to a target: which
 * entities it read, by which key, and that it never wrote. Reads by key return the records whose key fields
 * all match; reads without a key return everything.
 */
export class LoggingConnector implements Connector {
  readonly kind = 'logging-fake';
  readonly calls: LoggedCall[] = [];

  constructor(
    private readonly descriptors: readonly EntityDescriptor[],
    private readonly data: Record<string, Readonly<Record<string, unknown>>[]>,
  ) {}

  async test(): Promise<{ ok: boolean; latencyMs: number; message: string }> {
    this.calls.push({ method: 'test' });
    return { ok: true, latencyMs: 0, message: 'fake' };
  }

  entities(): readonly EntityDescriptor[] {
    this.calls.push({ method: 'entities' });
    return this.descriptors;
  }

  async *read(entity: string, options: ReadOptions = {}): AsyncIterable<Page> {
    this.calls.push({ method: 'read', entity, ...(options.key ? { key: options.key } : {}), options });
    const { key } = options;
    const records = (this.data[entity] ?? []).filter(
      (record) => !key || Object.entries(key).every(([field, value]) => String(record[field]) === value),
    );
    yield { records };
  }

  async write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    this.calls.push({ method: 'write', entity, options });
    return records.map((_, index) => ({
      index,
      action: 'error',
      error: { code: 'INTERNAL', message: 'fake', retryable: false },
    }));
  }

  async close(): Promise<void> {
    this.calls.push({ method: 'close' });
  }
}

export function descriptor(name: string, keyFields: readonly string[]): EntityDescriptor {
  return {
    name,
    title: name,
    keyFields,
    capabilities: { read: true, create: true, update: true, delete: false, upsert: true, batch: true },
  };
}
