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
  {
    version: 2,
    name: 'claim attempts, outbox revisions, job life cycle, record error context, deliveries',
    statements: (dialect) => (dialect === 'sqlite' ? sqliteV2() : postgresV2()),
  },
];

/** v1 job statuses in the v2 vocabulary: a partial run is a failed one that kept its per-record errors. */
const V2_JOB_STATUS = `CASE status WHEN 'running' THEN 'in_progress' WHEN 'succeeded' THEN 'success'
  WHEN 'partial' THEN 'failed' ELSE status END`;

const CLAIM_STATUSES = `status IN ('claimed', 'done', 'released')`;

/**
 * SQLite can neither change a CHECK nor drop a NOT NULL, so takt_claims (its status CHECK gains 'released') and
 * takt_jobs (started_at becomes nullable: a pending job has not started) are rebuilt: create, copy, drop,
 * rename. takt_job_errors is rebuilt with them because it references takt_jobs: it is copied into a table that
 * references the new jobs table and dropped first, so dropping the old jobs table cascades into nothing, and
 * the rename points the reference at takt_jobs again. Ids are copied, so AUTOINCREMENT continues after them.
 */
function sqliteV2(): readonly string[] {
  const { id, int } = types('sqlite');
  return [
    `CREATE TABLE takt_claims_v2 (
      scope TEXT NOT NULL,
      claim_key TEXT NOT NULL,
      owner TEXT NOT NULL,
      status TEXT NOT NULL CHECK (${CLAIM_STATUSES}),
      attempts ${int} NOT NULL DEFAULT 0,
      last_error TEXT,
      expires_at ${int} NOT NULL,
      updated_at ${int} NOT NULL,
      PRIMARY KEY (scope, claim_key))`,
    `INSERT INTO takt_claims_v2 (scope, claim_key, owner, status, expires_at, updated_at)
      SELECT scope, claim_key, owner, status, expires_at, updated_at FROM takt_claims`,
    `DROP TABLE takt_claims`,
    `ALTER TABLE takt_claims_v2 RENAME TO takt_claims`,
    `CREATE INDEX takt_claims_expiry ON takt_claims (expires_at)`,

    `ALTER TABLE takt_outbox ADD COLUMN revision ${int} NOT NULL DEFAULT 1`,
    `CREATE INDEX takt_outbox_key ON takt_outbox (connection, order_key, id)`,

    `CREATE TABLE takt_jobs_v2 (
      id TEXT PRIMARY KEY,
      connection TEXT NOT NULL,
      entity TEXT NOT NULL,
      kind TEXT NOT NULL,
      direction TEXT NOT NULL,
      status TEXT NOT NULL,
      params TEXT NOT NULL,
      total ${int},
      parent_job_id TEXT,
      c_read ${int} NOT NULL DEFAULT 0,
      c_created ${int} NOT NULL DEFAULT 0,
      c_updated ${int} NOT NULL DEFAULT 0,
      c_unchanged ${int} NOT NULL DEFAULT 0,
      c_skipped ${int} NOT NULL DEFAULT 0,
      c_conflict ${int} NOT NULL DEFAULT 0,
      c_failed ${int} NOT NULL DEFAULT 0,
      error TEXT,
      cancel_requested ${int} NOT NULL DEFAULT 0,
      created_at ${int} NOT NULL,
      started_at ${int},
      heartbeat_at ${int} NOT NULL,
      finished_at ${int})`,
    `INSERT INTO takt_jobs_v2 (id, connection, entity, kind, direction, status, params, c_read, c_created, c_updated,
        c_unchanged, c_skipped, c_conflict, c_failed, error, cancel_requested, created_at, started_at, heartbeat_at,
        finished_at)
      SELECT id, connection, entity, kind, 'inbound', ${V2_JOB_STATUS}, params, c_read, c_created, c_updated,
        c_unchanged, c_skipped, c_conflict, c_failed, error, cancel_requested, started_at, started_at, heartbeat_at,
        finished_at
      FROM takt_jobs`,
    `CREATE TABLE takt_job_errors_v2 (
      id ${id},
      job_id TEXT NOT NULL REFERENCES takt_jobs_v2 (id) ON DELETE CASCADE,
      record_index ${int} NOT NULL,
      entity TEXT,
      external_id TEXT,
      target_id TEXT,
      payload TEXT,
      code TEXT NOT NULL,
      message TEXT NOT NULL,
      retryable ${int} NOT NULL,
      created_at ${int} NOT NULL)`,
    `INSERT INTO takt_job_errors_v2 (id, job_id, record_index, external_id, code, message, retryable, created_at)
      SELECT id, job_id, record_index, external_id, code, message, retryable, created_at FROM takt_job_errors`,
    `DROP TABLE takt_job_errors`,
    `DROP TABLE takt_jobs`,
    `ALTER TABLE takt_jobs_v2 RENAME TO takt_jobs`,
    `ALTER TABLE takt_job_errors_v2 RENAME TO takt_job_errors`,
    `CREATE INDEX takt_jobs_connection ON takt_jobs (connection, created_at)`,
    `CREATE INDEX takt_job_errors_job ON takt_job_errors (job_id, record_index)`,

    deliveriesTable('sqlite'),
    `CREATE INDEX takt_deliveries_stream ON takt_deliveries (stream, status, id)`,
  ];
}

/** PostgreSQL alters in place; v1 named the claims CHECK by PostgreSQL's rule, <table>_<column>_check. */
function postgresV2(): readonly string[] {
  const { int } = types('postgres');
  return [
    `ALTER TABLE takt_claims DROP CONSTRAINT takt_claims_status_check`,
    `ALTER TABLE takt_claims ADD CONSTRAINT takt_claims_status_check CHECK (${CLAIM_STATUSES})`,
    `ALTER TABLE takt_claims ADD COLUMN attempts ${int} NOT NULL DEFAULT 0, ADD COLUMN last_error TEXT`,

    `ALTER TABLE takt_outbox ADD COLUMN revision ${int} NOT NULL DEFAULT 1`,
    `CREATE INDEX takt_outbox_key ON takt_outbox (connection, order_key, id)`,

    // The default only fills existing rows; new jobs must say their direction.
    `ALTER TABLE takt_jobs ADD COLUMN direction TEXT NOT NULL DEFAULT 'inbound', ADD COLUMN total ${int},
      ADD COLUMN parent_job_id TEXT, ADD COLUMN created_at ${int}`,
    `ALTER TABLE takt_jobs ALTER COLUMN direction DROP DEFAULT`,
    `UPDATE takt_jobs SET created_at = started_at, status = ${V2_JOB_STATUS}`,
    `ALTER TABLE takt_jobs ALTER COLUMN created_at SET NOT NULL, ALTER COLUMN started_at DROP NOT NULL`,
    `DROP INDEX takt_jobs_connection`,
    `CREATE INDEX takt_jobs_connection ON takt_jobs (connection, created_at)`,
    `ALTER TABLE takt_job_errors ADD COLUMN entity TEXT, ADD COLUMN target_id TEXT, ADD COLUMN payload TEXT`,

    deliveriesTable('postgres'),
    `CREATE INDEX takt_deliveries_stream ON takt_deliveries (stream, status, id)`,
  ];
}

/** `expired` is not a stored status: it is pending past expires_at, by the clock of whoever reads. */
function deliveriesTable(dialect: SqlDialect): string {
  const { id, int } = types(dialect);
  return `CREATE TABLE takt_deliveries (
    id ${id},
    token TEXT NOT NULL UNIQUE,
    stream TEXT NOT NULL,
    commit_unit TEXT NOT NULL,
    records ${int} NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'acked')),
    created_at ${int} NOT NULL,
    expires_at ${int} NOT NULL,
    acked_at ${int})`;
}

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS takt_schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL)`;
