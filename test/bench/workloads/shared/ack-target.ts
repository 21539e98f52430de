import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '@takt/runtime';

/**
 * A target that acknowledges every write in memory and remembers nothing but counts: the workloads measure
 * what the runtime costs on our side of the wire, so the target must cost next to nothing. The runtime's own
 * FakeTarget is a test double of a whole system (it stores a copy of every record, keeps an effect log and
 * replays idempotency keys), which costs microseconds and megabytes per record that a remote MES would spend
 * on its own side, and the physical floor does not pay either.
 *
 * Every record answers `created`: the runtime decides create / update / unchanged from its id map and only
 * sends what changed, so whatever reaches this target is new to it in these workloads. No target id is
 * answered, so the id map keys the record by its external id (as an MES that upserts by external id does).
 */
export class AcknowledgingTarget implements Connector {
  readonly kind = 'bench-ack';
  /** Target write calls (requests) and the records they carried: W3's "outbound writes". */
  writeCalls = 0;
  recordsWritten = 0;

  constructor(
    private readonly entity: string,
    private readonly canonical: string,
    private readonly keyFields: readonly string[],
    /** Told of every record written, for workloads that check each was sent once (W2's key bitmap). */
    private readonly onRecord?: (data: Readonly<Record<string, unknown>>) => void,
  ) {}

  reset(): void {
    this.writeCalls = 0;
    this.recordsWritten = 0;
  }

  test(): Promise<ConnectionTestResult> {
    return Promise.resolve({ ok: true, latencyMs: 0, message: 'ok' });
  }

  entities(): readonly EntityDescriptor[] {
    return [
      {
        name: this.entity,
        title: this.entity,
        keyFields: this.keyFields,
        canonical: this.canonical,
        capabilities: { read: false, create: true, update: true, delete: false, upsert: true, batch: true },
      },
    ];
  }

  // The workloads only write; a read is a bug in the workload, so it fails loudly.
  // eslint-disable-next-line require-yield
  async *read(): AsyncIterable<Page> {
    throw new Error('The acknowledging target cannot be read.');
  }

  write(_entity: string, records: readonly WriteItem[], _options: WriteOptions): Promise<WriteResult[]> {
    this.writeCalls += 1;
    this.recordsWritten += records.length;
    const results: WriteResult[] = new Array<WriteResult>(records.length);
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      if (this.onRecord && record) this.onRecord(record.data);
      results[index] = { index, action: 'created' };
    }
    return Promise.resolve(results);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
