import type { Connector, WriteItem, WriteOptions, WriteResult } from '../../connectors';

/**
 * Wraps a Connector and remembers every write call (entity, the records' keys and payloads, idempotency keys)
 * in order, and lets a test run code while a write is in flight (`during`).
 */
export interface RecordedWrite {
  readonly entity: string;
  readonly items: readonly WriteItem[];
}

export class RecordingConnector implements Connector {
  readonly kind: string;
  readonly writes: RecordedWrite[] = [];
  /** Runs after the inner write answered, before the answer is returned (the "in flight" moment). */
  during: ((entity: string, items: readonly WriteItem[]) => Promise<void>) | undefined;

  constructor(private readonly inner: Connector) {
    this.kind = inner.kind;
  }

  test: Connector['test'] = (options) => this.inner.test(options);
  entities: Connector['entities'] = () => this.inner.entities();
  read: Connector['read'] = (entity, options) => this.inner.read(entity, options);
  close: Connector['close'] = () => this.inner.close();

  async write(entity: string, items: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    this.writes.push({ entity, items });
    const results = await this.inner.write(entity, items, options);
    if (this.during) await this.during(entity, items);
    return results;
  }

  /** The payloads written for one key field value, in write order. */
  writtenFor(field: string, value: unknown): Readonly<Record<string, unknown>>[] {
    return this.writes.flatMap((write) => write.items.filter((item) => item.data[field] === value).map((i) => i.data));
  }
}
