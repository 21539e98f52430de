import type { SqlDialect } from './driver';

/**
 * Versioned migrations, shared by SQLite and PostgreSQL. A migration is applied once, in its own transaction,
 * and recorded in takt_schema_migrations; a store refuses to open a database whose schema is newer than the
 * code (a downgrade would silently misread it). Never edit a released migration: append a new one.
 *
 * Times are epoch milliseconds in 64-bit integers; JSON documents are TEXT so both dialects read them alike.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (dialect: SqlDialect) => readonly string[];
}

const types = (dialect: SqlDialect): { id: string; int: string } =>
  dialect === 'sqlite'
    ? { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', int: 'INTEGER' }
    : { id: 'BIGSERIAL PRIMARY KEY', int: 'BIGINT' };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'cursors, leases, id map, claims, outbox, dead letters, jobs',
    statements: (dialect) => {
      const { id, int } = types(dialect);
      return [
        `CREATE TABLE takt_cursors (
          stream TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          version ${int} NOT NULL,
          updated_at ${int} NOT NULL)`,
        `CREATE TABLE takt_leases (
          stream TEXT PRIMARY KEY,
          owner TEXT NOT NULL,
          fence ${int} NOT NULL,
          expires_at ${int} NOT NULL)`,
        `CREATE TABLE takt_id_map (
          connection TEXT NOT NULL,
          entity TEXT NOT NULL,
          source TEXT NOT NULL,
          external_id TEXT NOT NULL,
          target_id TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          source_version TEXT,
          updated_at ${int} NOT NULL,
          PRIMARY KEY (connection, entity, source, external_id))`,
        `CREATE TABLE takt_claims (
          scope TEXT NOT NULL,
          claim_key TEXT NOT NULL,
          owner TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('claimed', 'done')),
          expires_at ${int} NOT NULL,
          updated_at ${int} NOT NULL,
          PRIMARY KEY (scope, claim_key))`,
        `CREATE INDEX takt_claims_expiry ON takt_claims (expires_at)`,
        `CREATE TABLE takt_outbox (
          id ${id},
          connection TEXT NOT NULL,
          entity TEXT NOT NULL,
          order_key TEXT NOT NULL,
          idempotency_key TEXT NOT NULL,
          payload TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
          attempts ${int} NOT NULL,
          next_attempt_at ${int} NOT NULL,
          last_error TEXT,
          created_at ${int} NOT NULL,
          updated_at ${int} NOT NULL)`,
        `CREATE INDEX takt_outbox_pending ON takt_outbox (connection, status, order_key, id)`,
        `CREATE TABLE takt_dead_letters (
          id ${id},
          scope TEXT NOT NULL,
          record_key TEXT NOT NULL,
          payload TEXT NOT NULL,
          error TEXT NOT NULL,
          attempts ${int} NOT NULL,
          job_id TEXT,
          status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
          created_at ${int} NOT NULL,
          updated_at ${int} NOT NULL,
          resolved_at ${int},
          resolution TEXT)`,
        `CREATE INDEX takt_dead_letters_scope ON takt_dead_letters (scope, status, id)`,
        `CREATE TABLE takt_jobs (
          id TEXT PRIMARY KEY,
          connection TEXT NOT NULL,
          entity TEXT NOT NULL,
          kind TEXT NOT NULL,
          status TEXT NOT NULL,
          params TEXT NOT NULL,
          c_read ${int} NOT NULL DEFAULT 0,
          c_created ${int} NOT NULL DEFAULT 0,
          c_updated ${int} NOT NULL DEFAULT 0,
          c_unchanged ${int} NOT NULL DEFAULT 0,
          c_skipped ${int} NOT NULL DEFAULT 0,
          c_conflict ${int} NOT NULL DEFAULT 0,
          c_failed ${int} NOT NULL DEFAULT 0,
          error TEXT,
          cancel_requested ${int} NOT NULL DEFAULT 0,
          started_at ${int} NOT NULL,
          heartbeat_at ${int} NOT NULL,
          finished_at ${int})`,
        `CREATE INDEX takt_jobs_connection ON takt_jobs (connection, started_at)`,
        `CREATE TABLE takt_job_errors (
          id ${id},
          job_id TEXT NOT NULL REFERENCES takt_jobs (id) ON DELETE CASCADE,
          record_index ${int} NOT NULL,
          external_id TEXT,
          code TEXT NOT NULL,
          message TEXT NOT NULL,
          retryable ${int} NOT NULL,
          created_at ${int} NOT NULL)`,
        `CREATE INDEX takt_job_errors_job ON takt_job_errors (job_id, record_index)`,
      ];
    },
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS takt_schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL)`;
