import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MemoryStateStore, PostgresStateStore, SqliteStateStore, type StateStore } from '../../state';
import { POSTGRES_TEST_URL, uniqueSchemaName } from '../../testing/services';
import type { Clock } from '../../time';

/**
 * One place of storage per test, of each kind: `open` may be called again to reopen the same place (a
 * restart), `args` names it for a child process (`sqlite <file>` / `postgres <url> <schema>`), `destroy`
 * removes it. Memory cannot be reopened or shared with a child.
 */
export interface StorePlace {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  open(clock?: Clock): Promise<StateStore>;
  readonly args: readonly string[] | undefined;
  destroy(): Promise<void>;
}

export type StoreKind = StorePlace['kind'];

export function createStorePlace(kind: StoreKind): StorePlace {
  if (kind === 'memory') {
    let store: MemoryStateStore | undefined;
    return {
      kind,
      args: undefined,
      open: (clock) => Promise.resolve((store ??= new MemoryStateStore(clock))),
      destroy: () => Promise.resolve(),
    };
  }
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'takt-outbox-'));
    const file = join(dir, 'state.db');
    return {
      kind,
      args: ['sqlite', file],
      open: (clock) => SqliteStateStore.open({ file, ...(clock ? { clock } : {}) }),
      destroy: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const schema = uniqueSchemaName('takt_outbox');
  return {
    kind,
    args: ['postgres', POSTGRES_TEST_URL, schema],
    open: (clock) =>
      PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema, ...(clock ? { clock } : {}) }),
    destroy: async () => {
      const client = new Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
