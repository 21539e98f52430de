import type { Connector, WriteResult } from '../../../connectors';
import { TaktError } from '../../../errors';
import type { CommitUnit, StateStore } from '../../../state';
import { FakeTarget } from '../../../testing/fake-target';
import type { UpsertSyncOptions } from '../types';

export const CONNECTION = 'mes-test';
export const SOURCE = 'sap-prd-100';
const IDENTITY = ['external_source', 'external_id'];

/** A target with flat work orders and the job → part → operation nesting, keyed like canonical records. */
export function makeTarget(): FakeTarget {
  return new FakeTarget([
    { name: 'work_order', keyFields: IDENTITY },
    { name: 'job', keyFields: IDENTITY },
    { name: 'part', keyFields: IDENTITY },
    { name: 'operation', keyFields: IDENTITY },
  ]);
}

export function workOrder(i: number, fields: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    external_source: SOURCE,
    external_id: `WO-${String(i).padStart(6, '0')}`,
    order_number: String(1_000_000 + i).padStart(12, '0'),
    quantity: `${i}.000`,
    changed_at: '2026-01-01T08:00:00.000Z',
    ...fields,
  };
}

export function workOrders(count: number, fields: Readonly<Record<string, unknown>> = {}): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => workOrder(i, fields));
}

/** Nested jobs: `jobs` × `parts` × `operations`, with ids that say where they sit. */
export function nestedJobs(jobs: number, parts: number, operations: number, note = 'v1'): Record<string, unknown>[] {
  return Array.from({ length: jobs }, (_, j) => ({
    external_source: SOURCE,
    external_id: `J${j}`,
    job_number: `JOB-${j}`,
    notes: note,
    parts: Array.from({ length: parts }, (_, p) => ({
      external_id: `J${j}-P${p}`,
      part_number: `P-${p}`,
      quantity: '10',
      operations: Array.from({ length: operations }, (_, o) => ({
        external_id: `J${j}-P${p}-O${o}`,
        operation_number: String((o + 1) * 10).padStart(4, '0'),
        name: `Step ${o}`,
      })),
    })),
  }));
}

export function options(
  store: StateStore,
  target: FakeTarget,
  records: readonly Readonly<Record<string, unknown>>[],
  extra: Partial<UpsertSyncOptions> = {},
): UpsertSyncOptions {
  return { store, connector: target, connection: CONNECTION, entity: 'work_order', records, ...extra };
}

/** Write calls the target saw (reads and connection tests excluded). */
export function writeCalls(target: FakeTarget): number {
  return target.requests.filter((request) => request.kind === 'write').length;
}

/** The store, but its next `failures` commits throw STORE_UNAVAILABLE: a crash between target write and commit. */
export function failingCommits(inner: StateStore, failures: number): StateStore {
  let left = failures;
  return new Proxy(inner, {
    get(store, name, receiver) {
      if (name === 'commit') {
        return (unit: CommitUnit) =>
          left-- > 0 ? Promise.reject(new TaktError('STORE_UNAVAILABLE', 'The store went away.')) : store.commit(unit);
      }
      const value: unknown = Reflect.get(store, name, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(store) : value;
    },
  });
}

/** A connector over `target` whose answers for some records are replaced (per-record failures). */
export function answering(
  target: FakeTarget,
  replace: (data: Readonly<Record<string, unknown>>, index: number) => WriteResult | undefined,
): Connector {
  return {
    kind: target.kind,
    test: () => target.test(),
    entities: () => target.entities(),
    read: (entity, readOptions) => target.read(entity, readOptions),
    write: async (entity, records, writeOptions) => {
      const results = await target.write(entity, records, writeOptions);
      return results.map((result, i) => {
        const data = records[i]?.data;
        return (data && replace(data, i)) ?? result;
      });
    },
    close: () => target.close(),
  };
}
