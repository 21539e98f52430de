/**
 * The little a SQL adapter needs from a database driver. SQLite (node:sqlite or better-sqlite3) and
 * PostgreSQL (pg) both implement it, so one `SqlStateStore` holds every statement of the store's contract.
 *
 * Statements use `?` placeholders; the PostgreSQL driver numbers them. Statements never contain a literal
 * question mark.
 */
export type SqlValue = string | number | null;

/**
 * A whole column of values as one PostgreSQL array parameter (`?::text[]`), so `UNNEST` writes a batch of rows in
 * one statement whose text does not grow with the batch. PostgreSQL only: SQLite has no array type and its driver
 * refuses one.
 */
export type SqlArray = readonly SqlValue[];

export type SqlParam = SqlValue | SqlArray;

export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlResult {
  readonly rows: readonly SqlRow[];
  /** Rows inserted, updated or deleted by a statement without RETURNING. */
  readonly changes: number;
}

export interface SqlSession {
  query(sql: string, params?: readonly SqlParam[]): Promise<SqlResult>;
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
