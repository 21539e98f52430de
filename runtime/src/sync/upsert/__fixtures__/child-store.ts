import { Client } from 'pg';
import { PostgresStateStore } from '../../../state/postgres/postgres-state-store';
import { loadSqliteBinding } from '../../../state/sqlite/sqlite-binding';
import { SqliteStateStore } from '../../../state/sqlite/sqlite-state-store';
import type { StateStore } from '../../../state/types';

const APPLICATION = 'takt_upsert_crash_child';

export interface ChildStore {
  readonly store: StateStore;
  /**
   * True while the store's connection is inside a write transaction, seen from outside it: on SQLite a
   * second connection cannot take the write lock; on PostgreSQL pg_stat_activity shows an open transaction.
   */
  readonly probe: () => Promise<boolean>;
  close(): Promise<void>;
}

/** `sqlite <file>` or `postgres <url> <schema>`, as the state fixtures take them. */
export async function openChildStore(args: readonly string[]): Promise<ChildStore> {
  const [kind, location, schema] = args;
  if (kind === 'sqlite' && location) {
    const store = await SqliteStateStore.open({ file: location });
    const spy = loadSqliteBinding().open(location);
    spy.exec('PRAGMA busy_timeout = 0');
    return {
      store,
      probe: () => {
        // Yield once so the store's transaction can take its next step, then try for the write lock.
        return Promise.resolve().then(() => {
          try {
            spy.exec('BEGIN IMMEDIATE');
            spy.exec('ROLLBACK');
            return false;
          } catch {
            return true;
          }
        });
      },
      close: async () => {
        spy.close();
        await store.close();
      },
    };
  }
  if (kind === 'postgres' && location && schema) {
    const named = `${location}${location.includes('?') ? '&' : '?'}application_name=${APPLICATION}`;
    const store = await PostgresStateStore.open({ connectionString: named, schema });
    const spy = new Client({ connectionString: location });
    await spy.connect();
    return {
      store,
      probe: async () => {
        const { rows } = await spy.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE application_name = $1 AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`,
          [APPLICATION],
        );
        return (rows[0]?.n ?? 0) > 0;
      },
      close: async () => {
        await spy.end();
        await store.close();
      },
    };
  }
  throw new Error(`usage: sqlite <file> | postgres <url> <schema> (got ${args.join(' ')})`);
}
