import type { Connector } from '../../../connectors';
import { TaktError } from '../../../errors';
import { createLogger, type LogRecord, type Logger } from '../../../log';
import type { StateStore } from '../../../state/types';
import { FakeTarget, type FakeEntity } from '../../../testing/fake-target';
import type { Clock, FakeClock } from '../../../time';
import type { PullOptions, PullResult } from '../pull-types';
import { parseCursor, pullStreamName, type PullCursor } from '../stream-cursor';

export const ORDERS: FakeEntity = { name: 'orders', keyFields: ['id'], deltaField: 'updatedAt' };
export const STREAM = pullStreamName('erp', 'orders');
export const MINUTE = 60_000;

/** A FakeTarget source of orders (`id`, `qty`, `updatedAt` as ISO text). */
export function orderSource(entity: FakeEntity = ORDERS): FakeTarget {
  return new FakeTarget([entity]);
}

/** Puts an order dated `offsetMs` from the clock's now. */
export function putOrder(source: FakeTarget, clock: FakeClock, id: string, qty: number, offsetMs: number): void {
  source.put('orders', { id, qty, updatedAt: new Date(clock.now() + offsetMs).toISOString() });
}

export function pullOptions(
  store: StateStore,
  connector: Connector,
  clock: Clock,
  extra: Partial<PullOptions> = {},
): PullOptions {
  return {
    store,
    connector,
    connection: 'erp',
    entity: 'orders',
    source: 'erp-100',
    mode: 'incremental',
    owner: 'worker-a',
    clock,
    ...extra,
  };
}

/** The external ids a result handed out, in delivery order ([] when it handed out nothing). */
export function handedOut(result: PullResult): string[] {
  return result.status === 'delivered' ? result.delivery.records.map((record) => record.externalId) : [];
}

export function tokenOf(result: PullResult): string {
  if (result.status !== 'delivered') throw new Error(`expected a delivery, got ${result.status}`);
  return result.delivery.token;
}

export async function storedCursor(store: StateStore, stream = STREAM): Promise<PullCursor & { version: number }> {
  const state = await store.getCursor(stream);
  return { ...parseCursor(stream, state?.value), version: state?.version ?? 0 };
}

export function watermarkMs(cursor: PullCursor): number | undefined {
  return cursor.watermark?.kind === 'instant' ? cursor.watermark.ms : undefined;
}

export function capturingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { logger: createLogger({ level: 'debug', sink: (record) => records.push(record) }), records };
}

/** The TaktError code a promise rejects with. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (TaktError.is(error)) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}
