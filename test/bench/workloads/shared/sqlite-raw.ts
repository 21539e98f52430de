import { loadSqliteBinding } from '@takt/runtime';

/** A raw connection of the binding the SQLite store itself uses (node:sqlite where built in, else better-sqlite3). */
export type RawSqlite = ReturnType<ReturnType<typeof loadSqliteBinding>['open']>;

/**
 * A raw database file with the store's durability settings (WAL, synchronous=FULL) and the smallest state a
 * sync must keep: one row per key with its content hash and cursor, and the stream's cursor. What the floor
 * and the naive loop write to; the runtime's store writes the same facts and more (target id, written state,
 * job counters) through its own schema.
 */
export function openRawSqlite(file: string): RawSqlite {
  const db = loadSqliteBinding().open(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec(
    `CREATE TABLE IF NOT EXISTS id_map (external_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, cursor TEXT NOT NULL);
     CREATE TABLE IF NOT EXISTS cursors (stream TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  );
  return db;
}

export const RAW_UPSERT_ROW = `INSERT INTO id_map (external_id, content_hash, cursor) VALUES (?, ?, ?)
  ON CONFLICT (external_id) DO UPDATE SET content_hash = excluded.content_hash, cursor = excluded.cursor`;
export const RAW_UPSERT_CURSOR = `INSERT INTO cursors (stream, value) VALUES (?, ?)
  ON CONFLICT (stream) DO UPDATE SET value = excluded.value`;

/** Rows and distinct keys of a table, and one cursor: the correctness figures every SQLite variant reports. */
export function sqliteFigures(
  file: string,
  table: string,
  keyColumn: string,
  cursorSql: string,
): { rows: number; distinctKeys: number; cursor: string } {
  const db = loadSqliteBinding().open(file);
  try {
    const counts = db.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT ${keyColumn}) AS d FROM ${table}`).all()[0] as
      { n: number; d: number } | undefined;
    const cursor = db.prepare(cursorSql).all()[0] as { value: string } | undefined;
    return { rows: Number(counts?.n ?? 0), distinctKeys: Number(counts?.d ?? 0), cursor: String(cursor?.value ?? '') };
  } finally {
    db.close();
  }
}
