import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MemoryStateStore } from '../../../state/memory/memory-state-store';
import { PostgresStateStore } from '../../../state/postgres/postgres-state-store';
import { SqliteStateStore } from '../../../state/sqlite/sqlite-state-store';
import type { StateStore } from '../../../state/types';
import { POSTGRES_TEST_URL, describeWithPostgres, uniqueSchemaName } from '../../../testing/services';
import type { Clock } from '../../../time';

/** One database of a test; `connect` opens another session on it (the same object for memory). */
export interface TestDatabase {
  readonly store: StateStore;
  connect(): Promise<StateStore>;
}

export type OpenDatabase = (clock: Clock) => Promise<TestDatabase>;

/**
 * Runs a pull test body on memory, SQLite (a file per database) and PostgreSQL (a schema per database, dropped
 * afterwards; skipped with a notice when the server is not reachable unless TAKT_REQUIRE_SERVICES=1). Every
 * store a body opens is closed after each test.
 */
export function describeEachStore(title: string, body: (open: OpenDatabase) => void): void {
  const opened: StateStore[] = [];
  const closeAll = async (): Promise<void> => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined);
  };
  const track = async (store: Promise<StateStore>): Promise<StateStore> => {
    const ready = await store;
    opened.push(ready);
    return ready;
  };

  describe(`${title} [memory]`, () => {
    afterEach(closeAll);
    body(async (clock) => {
      const store = new MemoryStateStore(clock);
      return { store, connect: () => Promise.resolve(store) };
    });
  });

  describe(`${title} [SQLite]`, () => {
    let dir = '';
    let files = 0;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'takt-pull-'));
    });
    afterEach(closeAll);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    body(async (clock) => {
      const file = join(dir, `state-${files++}.db`);
      const store = await track(SqliteStateStore.open({ file, clock }));
      return { store, connect: () => track(SqliteStateStore.open({ file, clock })) };
    });
  });

  describeWithPostgres(title, () => {
    const schemas: string[] = [];
    afterEach(closeAll);
    afterAll(async () => {
      const client = new Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    });
    body(async (clock) => {
      const schema = uniqueSchemaName('takt_pull');
      schemas.push(schema);
      const open = (): Promise<StateStore> =>
        track(PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema, clock, poolSize: 2 }));
      return { store: await open(), connect: open };
    });
  });
}
