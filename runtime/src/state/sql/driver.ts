/**
 * The little a SQL adapter needs from a database driver. SQLite (node:sqlite or better-sqlite3) and
 * PostgreSQL (pg) both implement it, so one `SqlStateStore` holds every statement of the store's contract.
 *
 * Statements use `?` placeholders; the PostgreSQL driver numbers them. Statements never contain a literal
 * question mark.
 */
export type SqlValue = string | number | null;

export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlResult {
  readonly rows: readonly SqlRow[];
  /** Rows inserted, updated or deleted by a statement without RETURNING. */
  readonly changes: number;
}

export interface SqlSession {
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlResult>;
}

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlDriver extends SqlSession {
  readonly dialect: SqlDialect;
  /**
   * Runs `work` in one transaction that takes the write lock up front (SQLite BEGIN IMMEDIATE; PostgreSQL
   * rows are locked with FOR UPDATE where the store needs it). Commits when `work` resolves, rolls back when
   * it throws, and rethrows.
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
