import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '@takt/runtime';

import { KeyBitmap } from './key-bitmap';

/** The entity W2 writes its mapped work orders to. */
export const ACK_ENTITY = 'work-orders';

/**
 * A write target that acknowledges every record as created and keeps nothing but a bitmap of the keys it was
 * sent. The runtime's FakeTarget keeps every record it receives (its state is what engine tests assert on), so
 * at 1M records its memory would grow with the input and W2 would measure the target instead of the pipeline:
 * this one's footprint is one bit per expected key, fixed before the run starts.
 */
export class AckConnector implements Connector {
  readonly kind = 'bench-ack';
  /** Records acknowledged, and calls made: the pipeline must send every record once, one call per page. */
  writes = 0;
  writeCalls = 0;
  readonly written: KeyBitmap;

  constructor(
    /** Maps a written record to its bit: the production order number minus the first one. */
    private readonly bitOf: (data: Readonly<Record<string, unknown>>) => number,
    capacity: number,
  ) {
    this.written = new KeyBitmap(capacity);
  }

  entities(): readonly EntityDescriptor[] {
    return [
      {
        name: ACK_ENTITY,
        title: 'Work orders (acknowledged in memory)',
        keyFields: ['external_source', 'external_id'],
        canonical: 'work_order',
        capabilities: { read: false, create: true, update: true, delete: false, upsert: true, batch: true },
      },
    ];
  }

  test(): Promise<ConnectionTestResult> {
    return Promise.resolve({ ok: true, latencyMs: 0, message: 'in memory' });
  }

  read(): AsyncIterable<Page> {
    throw new Error('the acknowledging target is write-only');
  }

  write(_entity: string, records: readonly WriteItem[], _options: WriteOptions): Promise<WriteResult[]> {
    this.writeCalls += 1;
    this.writes += records.length;
    return Promise.resolve(
      records.map((record, index): WriteResult => {
        this.written.add(this.bitOf(record.data));
        return { index, action: 'created', targetId: String(record.data.external_id) };
      }),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
