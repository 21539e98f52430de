import { TaktError } from '../../errors';
import type { SqlDriver, SqlParam, SqlResult, SqlRow, SqlSession } from '../sql/driver';
import { Serial } from '../sql/serial';
import type { SqliteBindingName, SqliteDatabase, SqliteStatement } from './sqlite-binding';

/** How long a writer waits for another process's write lock before failing with STORE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

const RETURNS_ROWS = /^\s*(SELECT|PRAGMA|WITH)\b|\bRETURNING\b/i;

/**
 * SqlDriver over a synchronous SQLite connection. The database calls block, but they are short and local;
 * what must not happen is two async callers interleaving inside one transaction, hence `Serial`.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly serial = new Serial();
  private readonly statements = new Map<string, SqliteStatement>();
  private closed = false;

  constructor(
    private readonly db: SqliteDatabase,
    readonly binding: SqliteBindingName,
    readonly file: string,
  ) {}

  query(sql: string, params: readonly SqlParam[] = []): Promise<SqlResult> {
    return this.serial.run(() => this.execute(sql, params));
  }

  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.serial.run(async () => {
      this.guard(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work({ query: async (sql, params = []) => this.execute(sql, params) });
        this.guard(() => this.db.exec('COMMIT'));
        return result;
      } catch (error) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // SQLite may already have rolled back (for example after SQLITE_FULL); the original error matters.
        }
        throw error;
      }
    });
  }

  /** Reads a PRAGMA outside the serial queue (its value, not data the queue protects). */
  pragma(sql: string): SqlRow[] {
    return this.guard(() => this.db.prepare(sql).all() as SqlRow[]);
  }

  /** Runs setup SQL outside the serial queue: only while opening, before anyone else holds the driver. */
  setup(sql: string): void {
    this.guard(() => this.db.exec(sql));
  }

  close(): Promise<void> {
    return this.serial.run(() => {
      if (this.closed) return;
      this.closed = true;
      this.statements.clear();
      this.db.close();
    });
  }

  private execute(sql: string, params: readonly SqlParam[]): SqlResult {
    if (this.closed) throw new TaktError('STORE_UNAVAILABLE', `The SQLite state store ${this.file} is closed.`);
    if (params.some(Array.isArray)) {
      throw new TaktError('INTERNAL', `SQLite state store ${this.file}: array parameters are PostgreSQL only.`);
    }
    return this.guard(() => {
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = this.db.prepare(sql);
        this.statements.set(sql, statement);
      }
      if (RETURNS_ROWS.test(sql)) {
        const rows = statement.all(...params) as SqlRow[];
        return { rows, changes: rows.length };
      }
      return { rows: [], changes: Number(statement.run(...params).changes) };
    });
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw sqliteError(error, this.file);
    }
  }
}

/** SQLite failures in Takt's terms. Both bindings expose the primary result code, under different names. */
export function sqliteError(error: unknown, file: string): TaktError {
  if (TaktError.is(error)) return error;
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const primary = typeof e.errcode === 'number' ? e.errcode & 0xff : undefined;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || primary === 5 || primary === 6) {
    return new TaktError(
      'STORE_BUSY',
      `The SQLite state store ${file} stayed locked by another writer for ${SQLITE_BUSY_TIMEOUT_MS} ms. If several ` +
        'processes share it (n8n queue mode, several gateways), use a PostgreSQL store instead.',
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || primary === 11 || primary === 26) {
    return new TaktError('STORE_CORRUPT', `The SQLite state store ${file} is damaged or not a database: ${message}`, {
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || primary === 14) {
    return new TaktError(
      'CONFIG_INVALID',
      `Cannot open the SQLite state store ${file}: check that its folder exists and is writable.`,
      { cause: error },
    );
  }
  return new TaktError('INTERNAL', `SQLite state store ${file}: ${message}`, { cause: error });
}
