import { TaktError, type ErrorCode } from '../errors';
import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  ReadOptions,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '../connectors';

/**
 * An in-memory system that implements the Connector contract for engine tests: a target that counts its
 * effects (so "applied exactly once" is checkable), honours idempotency keys the way Stripe-style APIs do (a
 * repeated key answers the first result and applies nothing), and can also serve as a source (records with a
 * delta field, read in pages). Faults: the whole system down, the next N calls failing, records rejected by a
 * predicate, and one-shot read faults (an expired delta token).
 */
export interface FakeEntity {
  readonly name: string;
  readonly keyFields: readonly string[];
  /** Sort and `since` field for reads (ISO strings compare lexically). */
  readonly deltaField?: string;
  /**
   * Delta-link mode (Graph / Business Central style): the last page of a read carries the cursor
   * `delta:<n>`, and `since` given such a link returns only records changed after it, in change order.
   * `expireDeltaTokens()` makes every link issued so far answer DELTA_TOKEN_EXPIRED (410 Gone).
   */
  readonly deltaTokens?: boolean;
}

export interface FakeRecordState {
  readonly targetId: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Grows with every applied change; the ETag is `"v<version>"`. */
  readonly version: number;
}

export type FakeEffect = 'created' | 'updated' | 'deleted';

export interface FakeRequest {
  readonly kind: 'read' | 'write' | 'test';
  readonly entity: string;
  readonly mode?: string;
  readonly records: number;
}

type Rejection = (
  entity: string,
  data: Readonly<Record<string, unknown>>,
) => { code: ErrorCode; message: string } | undefined;

export class FakeTarget implements Connector {
  readonly kind = 'fake';
  /** Every call, in order. */
  readonly requests: FakeRequest[] = [];
  /** Applied effects per `entity/key`: 1 for each create or changing update, never for a replayed idempotency key. */
  readonly effects = new Map<string, number>();
  /** Writes seen per idempotency key (requests, not effects). */
  readonly idempotencyKeys = new Map<string, number>();
  /** Every applied effect in order, so tests can check dependency order (parents before children). */
  readonly effectLog: { readonly entity: string; readonly key: string; readonly action: FakeEffect }[] = [];
  /** When true every call fails with CONNECTION_REFUSED (retryable), as an unreachable system does. */
  down = false;
  /** Records rejected per record with this error. */
  reject: Rejection | undefined;
  private readonly tables = new Map<string, Map<string, FakeRecordState>>();
  private readonly descriptors: readonly FakeEntity[];
  private readonly answered = new Map<string, WriteResult>();
  private failures: TaktError[] = [];
  private readFaults: TaktError[] = [];
  private nextId = 1;
  /** Change sequence per `entity/key` and the newest one, for delta links. */
  private readonly changedAt = new Map<string, number>();
  private changeSequence = 0;
  private expiredBelow = 0;

  constructor(entities: readonly FakeEntity[]) {
    this.descriptors = entities;
    for (const entity of entities) this.tables.set(entity.name, new Map());
  }

  /** The next `count` calls (reads or writes) throw this error before doing anything. */
  failNext(count: number, error: TaktError): void {
    for (let i = 0; i < count; i++) this.failures.push(error);
  }

  /** The next read throws this error (e.g. DELTA_TOKEN_EXPIRED / HTTP_GONE for an expired delta link). */
  failNextRead(error: TaktError): void {
    this.readFaults.push(error);
  }

  /** Every delta link issued so far now answers DELTA_TOKEN_EXPIRED, as a source past its retention does. */
  expireDeltaTokens(): void {
    // A step of the sequence with no change in it: links issued from now on are at or above it.
    this.expiredBelow = ++this.changeSequence;
  }

  /** Source-side change: stores a record as the system's own (no effect counted). */
  put(entity: string, data: Readonly<Record<string, unknown>>): FakeRecordState {
    const table = this.table(entity);
    const key = this.keyOf(entity, data);
    const previous = table.get(key);
    const state = {
      targetId: previous?.targetId ?? `T${this.nextId++}`,
      data: { ...data },
      version: (previous?.version ?? 0) + 1,
    };
    table.set(key, state);
    this.changedAt.set(`${entity}/${key}`, ++this.changeSequence);
    return state;
  }

  get(entity: string, key: string): FakeRecordState | undefined {
    return this.table(entity).get(key);
  }

  records(entity: string): FakeRecordState[] {
    return [...this.table(entity).values()];
  }

  /** Sum of effects over all keys: equals the number of distinct changes when nothing was applied twice. */
  totalEffects(): number {
    let total = 0;
    for (const count of this.effects.values()) total += count;
    return total;
  }

  test(): Promise<ConnectionTestResult> {
    this.requests.push({ kind: 'test', entity: '', records: 0 });
    return Promise.resolve(
      this.down ? { ok: false, latencyMs: 0, message: 'down' } : { ok: true, latencyMs: 0, message: 'ok' },
    );
  }

  entities(): readonly EntityDescriptor[] {
    return this.descriptors.map((entity) => ({
      name: entity.name,
      title: entity.name,
      keyFields: entity.keyFields,
      ...(entity.deltaField ? { deltaField: entity.deltaField, deltaFieldType: 'string' as const } : {}),
      capabilities: { read: true, create: true, update: true, delete: true, upsert: true, batch: true },
    }));
  }

  async *read(entity: string, options: ReadOptions = {}): AsyncIterable<Page> {
    this.requests.push({ kind: 'read', entity, records: 0 });
    this.throwIfFailing();
    const fault = this.readFaults.shift();
    if (fault) throw fault;
    const spec = this.spec(entity);
    const delta = spec.deltaField;
    let rows = [...this.table(entity).values()].map((state) => state.data);
    if (options.key)
      rows = rows.filter((row) => Object.entries(options.key ?? {}).every(([k, v]) => String(row[k]) === v));
    if (options.filter)
      rows = rows.filter((row) => Object.entries(options.filter ?? {}).every(([k, v]) => row[k] === v));
    if (spec.deltaTokens) {
      yield* this.readDeltaLink(entity, rows, options);
      return;
    }
    if (delta && options.since !== undefined)
      rows = rows.filter((row) => String(row[delta] ?? '') >= (options.since ?? ''));
    rows.sort((a, b) => {
      const byDelta = delta ? String(a[delta] ?? '').localeCompare(String(b[delta] ?? '')) : 0;
      return byDelta !== 0 ? byDelta : this.keyOf(entity, a).localeCompare(this.keyOf(entity, b));
    });
    const size = Math.max(1, options.pageSize ?? 100);
    for (let start = 0; start < rows.length || start === 0; start += size) {
      if (options.signal?.aborted) throw new TaktError('ABORTED', 'The read was cancelled.');
      const records = rows.slice(start, start + size);
      const last = records[records.length - 1];
      const cursor = delta && last ? String(last[delta]) : undefined;
      yield {
        records,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(start === 0 && options.count ? { total: rows.length } : {}),
      };
      if (rows.length === 0) break;
    }
  }

  private *readDeltaLink(
    entity: string,
    all: readonly Readonly<Record<string, unknown>>[],
    options: ReadOptions,
  ): Iterable<Page> {
    const sequenceOf = (row: Readonly<Record<string, unknown>>): number =>
      this.changedAt.get(`${entity}/${this.keyOf(entity, row)}`) ?? 0;
    let after = 0;
    if (options.since !== undefined) {
      const match = /^delta:(\d+)$/.exec(options.since);
      if (!match) throw new TaktError('HTTP_BAD_REQUEST', 'The fake target reads only its own delta links.');
      after = Number(match[1]);
      if (after < this.expiredBelow) {
        throw new TaktError('DELTA_TOKEN_EXPIRED', 'The delta link expired (410 Gone).', {
          details: { status: 410 },
        });
      }
    }
    const rows = all.filter((row) => sequenceOf(row) > after).sort((a, b) => sequenceOf(a) - sequenceOf(b));
    const link = `delta:${this.changeSequence}`;
    const size = Math.max(1, options.pageSize ?? 100);
    for (let start = 0; start < rows.length || start === 0; start += size) {
      const last = start + size >= rows.length;
      yield { records: rows.slice(start, start + size), ...(last ? { cursor: link } : {}) };
      if (last) break;
    }
  }

  write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    this.requests.push({ kind: 'write', entity, mode: options.mode, records: records.length });
    this.throwIfFailing();
    return Promise.resolve(records.map((item, index) => this.writeOne(entity, item, index, options)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private writeOne(entity: string, item: WriteItem, index: number, options: WriteOptions): WriteResult {
    if (item.idempotencyKey !== undefined) {
      this.idempotencyKeys.set(item.idempotencyKey, (this.idempotencyKeys.get(item.idempotencyKey) ?? 0) + 1);
      const earlier = this.answered.get(item.idempotencyKey);
      if (earlier) return { ...earlier, index };
    }
    const result = this.apply(entity, item, index, options);
    if (item.idempotencyKey !== undefined && result.action !== 'error') this.answered.set(item.idempotencyKey, result);
    return result;
  }

  private apply(entity: string, item: WriteItem, index: number, options: WriteOptions): WriteResult {
    const rejection = this.reject?.(entity, item.data);
    if (rejection) return { index, action: 'error', error: { ...rejection, retryable: false } };
    const table = this.table(entity);
    const key = item.key
      ? this.spec(entity)
          .keyFields.map((field) => item.key?.[field] ?? '')
          .join('|')
      : this.keyOf(entity, item.data);
    const existing = table.get(key);
    if (options.mode === 'delete') {
      if (!existing)
        return {
          index,
          action: 'error',
          error: { code: 'HTTP_NOT_FOUND', message: `No ${entity} ${key}.`, retryable: false },
        };
      table.delete(key);
      this.count(entity, key, 'deleted');
      return { index, action: 'deleted', targetId: existing.targetId };
    }
    if (existing && options.mode === 'create') {
      return {
        index,
        action: 'error',
        targetId: existing.targetId,
        error: { code: 'HTTP_CONFLICT', message: `${entity} ${key} exists.`, retryable: false },
      };
    }
    if (!existing && options.mode === 'update') {
      return {
        index,
        action: 'error',
        error: { code: 'HTTP_NOT_FOUND', message: `No ${entity} ${key}.`, retryable: false },
      };
    }
    if (existing && item.etag !== undefined && item.etag !== `"v${existing.version}"`) {
      return {
        index,
        action: 'conflict',
        targetId: existing.targetId,
        error: { code: 'HTTP_PRECONDITION_FAILED', message: `${entity} ${key} changed since read.`, retryable: false },
      };
    }
    if (existing && sameData(existing.data, item.data)) {
      return { index, action: 'unchanged', targetId: existing.targetId, etag: `"v${existing.version}"` };
    }
    const state = {
      targetId: existing?.targetId ?? `T${this.nextId++}`,
      data: { ...(existing?.data ?? {}), ...item.data },
      version: (existing?.version ?? 0) + 1,
    };
    table.set(key, state);
    this.changedAt.set(`${entity}/${key}`, ++this.changeSequence);
    this.count(entity, key, existing ? 'updated' : 'created');
    return { index, action: existing ? 'updated' : 'created', targetId: state.targetId, etag: `"v${state.version}"` };
  }

  private count(entity: string, key: string, action: FakeEffect): void {
    this.effectLog.push({ entity, key, action });
    const id = `${entity}/${key}`;
    this.effects.set(id, (this.effects.get(id) ?? 0) + 1);
  }

  private throwIfFailing(): void {
    if (this.down)
      throw new TaktError('CONNECTION_REFUSED', 'The fake target is down.', {
        details: { requestMayHaveReachedServer: false },
      });
    const failure = this.failures.shift();
    if (failure) throw failure;
  }

  private spec(entity: string): FakeEntity {
    const spec = this.descriptors.find((candidate) => candidate.name === entity);
    if (!spec) throw new TaktError('ENTITY_UNKNOWN', `The fake target has no entity ${entity}.`);
    return spec;
  }

  private table(entity: string): Map<string, FakeRecordState> {
    this.spec(entity);
    let table = this.tables.get(entity);
    if (!table) {
      table = new Map();
      this.tables.set(entity, table);
    }
    return table;
  }

  /** The record's key: its key fields' values joined with "|". */
  keyOf(entity: string, data: Readonly<Record<string, unknown>>): string {
    return this.spec(entity)
      .keyFields.map((field) => String(data[field] ?? ''))
      .join('|');
  }
}

function sameData(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(b).every(([field, value]) => JSON.stringify(a[field]) === JSON.stringify(value));
}
