import type { SqlDriver } from '../sql/driver';
import { MIGRATIONS, MIGRATIONS_TABLE } from '../sql/schema';
import type { StateStore } from '../types';

/**
 * A database as Takt with schema version 1 left it, with rows in every table migration 2 changes, so the
 * migration is tested on data (statuses mapped, errors kept, ids continued) and not only on empty tables.
 */
export const V1_STARTED = Date.UTC(2026, 0, 5, 6, 0, 0);

export async function seedSchemaV1(driver: SqlDriver, prelude: readonly string[] = []): Promise<void> {
  const v1 = MIGRATIONS.find((m) => m.version === 1);
  if (!v1) throw new Error('migration 1 is missing');
  await driver.transaction(async (tx) => {
    for (const statement of prelude) await tx.query(statement);
    await tx.query(MIGRATIONS_TABLE);
    for (const statement of v1.statements(driver.dialect)) await tx.query(statement);
    await tx.query('INSERT INTO takt_schema_migrations (version, name, applied_at) VALUES (1, ?, 0)', [v1.name]);
    const jobs: [string, string][] = [
      ['j-running', 'running'],
      ['j-succeeded', 'succeeded'],
      ['j-partial', 'partial'],
      ['j-failed', 'failed'],
      ['j-cancelled', 'cancelled'],
    ];
    for (const [index, [id, status]] of jobs.entries()) {
      await tx.query(
        `INSERT INTO takt_jobs (id, connection, entity, kind, status, params, c_read, c_failed, started_at,
           heartbeat_at, finished_at) VALUES (?, 'sap-prd', 'work_order', 'incremental', ?, '{"mode":"delta"}', 10, 2,
           ?, ?, ?)`,
        [id, status, V1_STARTED + index, V1_STARTED + index + 500, status === 'running' ? null : V1_STARTED + 900],
      );
    }
    for (const recordIndex of [3, 7]) {
      await tx.query(
        `INSERT INTO takt_job_errors (job_id, record_index, external_id, code, message, retryable, created_at)
         VALUES ('j-partial', ?, ?, 'HTTP_UNPROCESSABLE', 'rejected', 0, ?)`,
        [recordIndex, `ext-${recordIndex}`, V1_STARTED],
      );
    }
    await tx.query(
      `INSERT INTO takt_claims (scope, claim_key, owner, status, expires_at, updated_at) VALUES
         ('webhook', 'evt-claimed', 'w1', 'claimed', ?, ?), ('webhook', 'evt-done', 'w1', 'done', ?, ?)`,
      [V1_STARTED + 60_000, V1_STARTED, V1_STARTED + 3_600_000, V1_STARTED],
    );
    await tx.query(
      `INSERT INTO takt_outbox (connection, entity, order_key, idempotency_key, payload, status, attempts,
         next_attempt_at, created_at, updated_at) VALUES ('mes', 'downtime', 'M1', 'M1-1', '{"n":1}', 'pending', 2,
         ?, ?, ?)`,
      [V1_STARTED, V1_STARTED, V1_STARTED],
    );
  });
}

/** What the v1 rows look like through a v2 store; `now` is V1_STARTED + 1 s on the store's clock. */
export async function expectSchemaV1Migrated(store: StateStore): Promise<void> {
  const jobs = await store.listJobs({ connection: 'sap-prd' });
  expect(jobs.map((j) => [j.id, j.status])).toEqual([
    ['j-cancelled', 'cancelled'],
    ['j-failed', 'failed'],
    ['j-partial', 'failed'],
    ['j-succeeded', 'success'],
    ['j-running', 'in_progress'],
  ]);
  expect(await store.getJob('j-running')).toEqual({
    id: 'j-running',
    connection: 'sap-prd',
    entity: 'work_order',
    kind: 'incremental',
    direction: 'inbound',
    parentJobId: undefined,
    params: { mode: 'delta' },
    status: 'in_progress',
    total: undefined,
    counters: { read: 10, created: 0, updated: 0, unchanged: 0, skipped: 0, conflict: 0, failed: 2 },
    error: undefined,
    cancelRequested: false,
    createdAt: V1_STARTED,
    startedAt: V1_STARTED,
    heartbeatAt: V1_STARTED + 500,
    finishedAt: undefined,
  });
  expect((await store.listJobErrors('j-partial')).map((e) => [e.recordIndex, e.externalId, e.code])).toEqual([
    [3, 'ext-3', 'HTTP_UNPROCESSABLE'],
    [7, 'ext-7', 'HTTP_UNPROCESSABLE'],
  ]);
  // The migrated running job still moves on; a finished one stays final.
  await store.updateJob('j-running', { status: 'success' });
  await expect(store.updateJob('j-partial', { status: 'success' })).rejects.toMatchObject({ code: 'INTERNAL' });
  // New rows go on after the copied ones.
  await store.commit({
    job: { id: 'j-partial', errors: [{ recordIndex: 9, code: 'X', message: 'x', retryable: false }] },
  });
  expect((await store.listJobErrors('j-partial')).map((e) => e.recordIndex)).toEqual([3, 7, 9]);

  expect(await store.claim('webhook', 'evt-claimed', 'w2', 60_000)).toMatchObject({
    status: 'in_progress',
    owner: 'w1',
  });
  expect(await store.claim('webhook', 'evt-done', 'w2', 60_000)).toMatchObject({ status: 'duplicate' });
  expect(await store.releaseClaim('webhook', 'evt-claimed', 'w1', { code: 'X', message: 'x', retryable: true })).toBe(
    true,
  );
  expect(await store.claim('webhook', 'evt-claimed', 'w2', 60_000)).toMatchObject({ status: 'claimed', attempts: 1 });

  const [entry] = await store.dueOutbox('mes', 10);
  expect(entry).toMatchObject({ orderKey: 'M1', revision: 1, attempts: 2, payload: { n: 1 } });
  const coalesced = await store.commit({
    outbox: [
      { connection: 'mes', entity: 'downtime', orderKey: 'M1', idempotencyKey: 'M1-2', payload: {}, coalesce: true },
    ],
  });
  expect(coalesced.outboxIds).toEqual([entry?.id]);
}
