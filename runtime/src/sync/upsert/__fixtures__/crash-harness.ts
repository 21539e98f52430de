import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresStateStore } from '../../../state/postgres/postgres-state-store';
import { SqliteStateStore } from '../../../state/sqlite/sqlite-state-store';
import type { StateStore } from '../../../state/types';
import type { FakeTarget } from '../../../testing/fake-target';
import { POSTGRES_TEST_URL, uniqueSchemaName } from '../../../testing/services';
import {
  CRASH_CONNECTION,
  CRASH_ENTITY,
  CRASH_SOURCE,
  CRASH_STREAM,
  crashExternalId,
  crashRecord,
} from './crash-input';
import type { ServedTarget } from './fake-target-http';

/** The child runs as compiled JavaScript from dist/ (build first), a plain node process like a host's. */
const CHILD = join(__dirname, '..', '..', '..', '..', 'dist', 'sync', 'upsert', '__fixtures__', 'upsert-child.js');

export interface CrashStore {
  readonly kind: 'sqlite' | 'postgres';
  /** How the child names the store on its command line. */
  readonly args: readonly string[];
  open(): Promise<StateStore>;
  dispose(): Promise<void>;
}

export function sqliteCrashStore(): CrashStore {
  const dir = mkdtempSync(join(tmpdir(), 'takt-upsert-crash-'));
  const file = join(dir, 'state.db');
  return {
    kind: 'sqlite',
    args: ['sqlite', file],
    open: () => SqliteStateStore.open({ file }),
    dispose: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

export function postgresCrashStore(): CrashStore {
  const schema = uniqueSchemaName('takt_upsert_crash');
  return {
    kind: 'postgres',
    args: ['postgres', POSTGRES_TEST_URL, schema],
    open: () => PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema, poolSize: 2 }),
    dispose: async () => {
      const client = new Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

export function startChild(
  target: ServedTarget,
  records: number,
  batchSize: number,
  store: CrashStore,
  faultAt?: string,
): ChildProcess {
  const env = { ...process.env };
  delete env.TAKT_FAULT_AT;
  if (faultAt) env.TAKT_FAULT_AT = faultAt;
  return spawn(process.execPath, [CHILD, target.url, String(records), String(batchSize), ...store.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
}

export interface ChildEnd {
  readonly lines: readonly string[];
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Everything the child printed, once its pipes closed (after 'exit', so no output is lost). */
export function childEnd(child: ChildProcess, timeoutMs = 45_000): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    let out = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not finish in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ lines: out.split('\n').filter((line) => line !== ''), stderr, code, signal });
    });
  });
}

export interface StoreState {
  /** Index of the last record the stored cursor covers; -1 without a cursor. */
  readonly watermark: number;
  /** Indexes (of 0..records-1) that have an id map row, ascending. */
  readonly mapped: readonly number[];
  /** Sum of `created` + `updated` over every job of the run: must equal the id map rows. */
  readonly jobApplied: number;
  readonly integrity: string;
}

/** What the store holds between two child runs (the child is dead: nobody else writes). */
export async function storeState(store: CrashStore, records: number): Promise<StoreState> {
  const opened = await store.open();
  try {
    const cursor = await opened.getCursor(CRASH_STREAM);
    const ids = Array.from({ length: records }, (_, i) => crashExternalId(i));
    const rows = await opened.getIdMappings(
      { connection: CRASH_CONNECTION, entity: CRASH_ENTITY, source: CRASH_SOURCE },
      ids,
    );
    const mapped = ids.flatMap((id, i) => (rows.has(id) ? [i] : []));
    const jobs = await opened.listJobs({ connection: CRASH_CONNECTION, limit: 1000 });
    const jobApplied = jobs.reduce((sum, job) => sum + job.counters.created + job.counters.updated, 0);
    const integrity = opened instanceof SqliteStateStore ? await opened.integrityCheck() : 'ok';
    return { watermark: cursor ? Number(cursor.value) : -1, mapped, jobApplied, integrity };
  } finally {
    await opened.close();
  }
}

export interface TargetFigures {
  /** Keys with exactly one effect, and all keys with any effect. */
  readonly appliedOnce: number;
  readonly applied: number;
  /** Records sent more than once, and whether every re-send carried the first send's idempotency key. */
  readonly resent: number;
  readonly resentWithOtherKey: number;
  readonly writeRequests: number;
}

export function targetFigures(target: FakeTarget, served: ServedTarget): TargetFigures {
  const counts = [...target.effects.values()];
  const sends = [...served.sent.values()];
  return {
    appliedOnce: counts.filter((count) => count === 1).length,
    applied: counts.length,
    resent: sends.filter((keys) => keys.length > 1).length,
    resentWithOtherKey: sends.filter((keys) => new Set(keys).size > 1 || keys.includes('')).length,
    writeRequests: target.requests.filter((request) => request.kind === 'write').length,
  };
}

/** Every record the target holds is the input record, field by field and bit-exact. */
export function targetHoldsInput(target: FakeTarget, records: number): boolean {
  return Array.from({ length: records }, (_, i) => i).every((i) => {
    const expected = crashRecord(i);
    const held = target.get(CRASH_ENTITY, `${CRASH_SOURCE}|${crashExternalId(i)}`)?.data;
    return held !== undefined && Object.entries(expected).every(([field, value]) => held[field] === value);
  });
}

/** 0..n-1 */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
