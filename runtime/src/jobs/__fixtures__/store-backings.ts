import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MemoryStateStore } from '../../state/memory/memory-state-store';
import { PostgresStateStore } from '../../state/postgres/postgres-state-store';
import { SqliteStateStore } from '../../state/sqlite/sqlite-state-store';
import type { StateStore } from '../../state/types';
import { POSTGRES_TEST_URL, describeWithPostgres, uniqueSchemaName } from '../../testing/services';
import { FakeClock } from '../../time';

/** What a test body gets: a fake clock, and stores on one backing (each open a new connection where it can). */
export interface Backing {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  readonly clock: FakeClock;
  /** A store on this test's backing; closed after the test. All opens of one test share the data. */
  open(clock?: FakeClock): Promise<StateStore>;
}

interface Factory {
  create(): { open(clock: FakeClock): Promise<StateStore>; destroy(): Promise<void> };
}

const START = Date.UTC(2026, 10, 21, 8, 0, 0);

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const FACTORIES: Record<Backing['kind'], Factory> = {
  memory: {
    create() {
      let shared: MemoryStateStore | undefined;
      return {
        open: async (clock) => (shared ??= new MemoryStateStore(clock)),
        destroy: async () => undefined,
      };
    },
  },
  sqlite: {
    create() {
      const dir = mkdtempSync(join(tmpdir(), 'takt-jobs-'));
      return {
        open: (clock) => SqliteStateStore.open({ file: join(dir, 'state.db'), clock }),
        destroy: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  postgres: {
    create() {
      const schema = uniqueSchemaName('takt_jobs');
      return {
        open: (clock) => PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema, clock, poolSize: 4 }),
        destroy: () => dropSchema(schema),
      };
    },
  },
};

function describeOn(kind: Backing['kind'], body: (backing: Backing) => void): void {
  let harness: ReturnType<Factory['create']> | undefined;
  const opened: StateStore[] = [];
  let clock = new FakeClock(START);
  const backing: Backing = {
    kind,
    get clock() {
      return clock;
    },
    async open(override) {
      harness ??= FACTORIES[kind].create();
      const store = await harness.open(override ?? clock);
      if (!opened.includes(store)) opened.push(store);
      return store;
    },
  };
  beforeEach(() => {
    clock = new FakeClock(START);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await harness?.destroy();
    harness = undefined;
  });
  body(backing);
}

/** Runs `body` on memory, SQLite and PostgreSQL (the last skipped with a notice when it is not reachable). */
export function describeOnEveryStore(name: string, body: (backing: Backing) => void): void {
  describe(`${name} [memory]`, () => describeOn('memory', body));
  describe(`${name} [SQLite]`, () => describeOn('sqlite', body));
  describeWithPostgres(name, () => describeOn('postgres', body));
}
