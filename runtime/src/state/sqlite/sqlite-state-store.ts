import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TaktError } from '../../errors';
import { systemClock, type Clock } from '../../time';
import { migrate } from '../sql/migrate';
import { SqlStateStore } from '../sql/sql-state-store';
import { loadSqliteBinding, type SqliteBindingName } from './sqlite-binding';
import { SqliteDriver, SQLITE_BUSY_TIMEOUT_MS, sqliteError } from './sqlite-driver';

export interface SqliteStoreOptions {
  /** The database file (created if missing); `:memory:` for a throwaway store. */
  readonly file: string;
  readonly clock?: Clock;
  /** Overrides the binding choice (see sqlite-binding.ts); mostly for tests. */
  readonly binding?: SqliteBindingName;
}

export interface SqliteSettings {
  readonly binding: SqliteBindingName;
  readonly journalMode: string;
  readonly synchronous: number;
  readonly foreignKeys: boolean;
}

/**
 * The embedded default store: one file, WAL for readers beside a writer, and `synchronous=FULL` because
 * better-sqlite3 compiles in NORMAL, under which the last commits may vanish on power loss — and a cursor
 * that moved while its id map rows vanished is the data loss this store exists to prevent.
 */
export class SqliteStateStore extends SqlStateStore {
  private constructor(
    private readonly driver: SqliteDriver,
    clock: Clock,
  ) {
    super(driver, clock);
  }

  static async open(options: SqliteStoreOptions): Promise<SqliteStateStore> {
    const binding = loadSqliteBinding(options.binding);
    if (options.file !== ':memory:' && !existsSync(dirname(resolve(options.file)))) {
      throw new TaktError(
        'CONFIG_INVALID',
        `Cannot open the SQLite state store ${options.file}: its folder does not exist. Create it, or check ` +
          'that the folder exists and is writable.',
      );
    }
    let driver: SqliteDriver;
    try {
      driver = new SqliteDriver(binding.open(options.file), binding.name, options.file);
    } catch (error) {
      throw sqliteError(error, options.file);
    }
    try {
      driver.setup(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      const mode = String(driver.pragma('PRAGMA journal_mode = WAL')[0]?.journal_mode ?? '');
      if (mode !== 'wal' && options.file !== ':memory:') {
        throw new TaktError(
          'STORE_UNSUPPORTED',
          `SQLite refused WAL mode for ${options.file} (got "${mode}"); network file systems do not support it. ` +
            'Keep the store on a local disk.',
        );
      }
      driver.setup('PRAGMA synchronous = FULL');
      driver.setup('PRAGMA foreign_keys = ON');
      const clock = options.clock ?? systemClock;
      await migrate(driver, clock);
      return new SqliteStateStore(driver, clock);
    } catch (error) {
      await driver.close();
      throw error;
    }
  }

  /** What the connection runs with, so tests and diagnostics can prove durability settings. */
  settings(): SqliteSettings {
    return {
      binding: this.driver.binding,
      journalMode: String(this.driver.pragma('PRAGMA journal_mode')[0]?.journal_mode),
      synchronous: Number(this.driver.pragma('PRAGMA synchronous')[0]?.synchronous),
      foreignKeys: Number(this.driver.pragma('PRAGMA foreign_keys')[0]?.foreign_keys) === 1,
    };
  }

  /** `PRAGMA integrity_check`: "ok", or SQLite's list of what is damaged. */
  async integrityCheck(): Promise<string> {
    const { rows } = await this.driver.query('PRAGMA integrity_check');
    return rows.map((row) => String(Object.values(row)[0])).join('\n');
  }
}
