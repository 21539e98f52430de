import { TaktError } from '../../errors';
import type { FakeClock } from '../../time';
import type { IdMapUpsert, JobCreate, StateStore } from '../types';

/**
 * What every part of the contract suite works with. Getters, because jest's beforeEach replaces the store and
 * the clock for every test while the suites are declared once.
 */
export interface ContractContext {
  readonly store: StateStore;
  readonly clock: FakeClock;
  /** Another store on the same backing, over a new connection where the adapter has connections. */
  open(): Promise<StateStore>;
}

/**
 * The store a concurrency test races against. Two SQLite connections in one process cannot race: a
 * transaction awaits between statements while the other connection's BEGIN IMMEDIATE busy-waits synchronously
 * on the only thread, so both stall until the busy timeout. SQLite's concurrency is between processes, tested
 * with child processes (claim-race.test.ts, sqlite-crash.test.ts); in process, its calls queue on one connection.
 */
export async function racer(t: ContractContext): Promise<StateStore> {
  return t.store.kind === 'sqlite' ? t.store : t.open();
}

export const MINUTE = 60_000;
export const conn = { connection: 'sap-prd', entity: 'work_order', source: 'sap-prd-100' };

export function mapping(externalId: string, targetId: string, contentHash: string): IdMapUpsert {
  return { ...conn, externalId, targetId, contentHash, sourceVersion: '2026-01-01T00:00:00Z' };
}

export function jobOf(id: string, overrides: Partial<JobCreate> = {}): JobCreate {
  return { id, connection: 'sap-prd', entity: 'work_order', kind: 'incremental', direction: 'inbound', ...overrides };
}

export async function rejection(promise: Promise<unknown>): Promise<TaktError> {
  try {
    await promise;
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the call to be rejected');
}
