import { TaktError } from '../errors';
import { startJob } from '../jobs';
import { MemoryStateStore } from '../state/memory/memory-state-store';
import { FakeClock } from '../time';
import { summarizeStatus, syncStatus } from './status';

const HOUR = 3600_000;

async function seeded() {
  const clock = new FakeClock(Date.parse('2026-11-21T08:00:00.000Z'));
  const store = new MemoryStateStore(clock);
  const ok = await startJob(store, {
    id: 'job-ok',
    connection: 'sap',
    entity: 'orders',
    kind: 'incremental',
    direction: 'inbound',
    clock,
  });
  await store.commit({
    job: { id: ok.id, counters: { read: 3, created: 2, updated: 1 } },
    idMap: ['a', 'b', 'c'].map((externalId) => ({
      connection: 'sap',
      entity: 'orders',
      source: 'sap',
      externalId,
      targetId: externalId,
      contentHash: 'h',
    })),
  });
  await clock.advance(60_000);
  await ok.finish();
  const bad = await startJob(store, {
    id: 'job-bad',
    connection: 'sap',
    entity: 'orders',
    kind: 'push',
    direction: 'outbound',
    clock,
  });
  await store.commit({
    job: {
      id: bad.id,
      counters: { read: 2, created: 1, failed: 1 },
      errors: [
        {
          code: 'ERP_REJECTED',
          message: 'Order 4711 is locked',
          retryable: false,
          recordIndex: 1,
          externalId: '4711',
          payload: { order: '4711' },
        },
      ],
    },
  });
  await clock.advance(60_000);
  await bad.finish();
  await startJob(store, {
    id: 'job-mes',
    connection: 'mes',
    entity: 'jobs',
    kind: 'push',
    direction: 'outbound',
    clock,
  });
  return { clock, store };
}

describe('syncStatus', () => {
  it('jobs: newest first, as JSON rows with counts, duration and ISO times', async () => {
    const { store, clock } = await seeded();
    const rows = await syncStatus(store, { view: 'jobs', connection: 'sap', limit: 10, clock });
    expect(rows.map((row) => [row.id, row.status, row.success, row.errorCount, row.durationMs])).toEqual([
      ['job-bad', 'failed', 1, 1, 60_000],
      ['job-ok', 'success', 3, 0, 60_000],
    ]);
    expect(rows[1]).toMatchObject({
      read: 3,
      created: 2,
      updated: 1,
      total: null,
      finishedAt: '2026-11-21T08:01:00.000Z',
    });
    expect(await syncStatus(store, { view: 'jobs', status: 'failed', limit: 10 })).toHaveLength(1);
    expect((await syncStatus(store, { view: 'jobs', jobId: 'job-mes', limit: 1 }))[0]).toMatchObject({
      status: 'in_progress',
    });
  });

  it('statistics: records by entity with the last incremental sync and the recent failures', async () => {
    const { store, clock } = await seeded();
    const [orders] = await syncStatus(store, { view: 'statistics', connection: 'sap', limit: 10, clock });
    expect(orders).toMatchObject({ connection: 'sap', entity: 'orders', records: 3, lastFullSync: null });
    expect(orders?.lastIncrementalSync).toMatchObject({ id: 'job-ok' });
    expect(orders?.recentFailures).toEqual([
      { jobId: 'job-bad', kind: 'push', finishedAt: '2026-11-21T08:02:00.000Z', error: null, failedRecords: 1 },
    ]);
  });

  it('failed-records: the per-record errors of the failed jobs, payload included', async () => {
    const { store } = await seeded();
    expect(await syncStatus(store, { view: 'failed-records', connection: 'sap', limit: 10 })).toEqual([
      {
        jobId: 'job-bad',
        index: 1,
        entity: null,
        externalId: '4711',
        targetId: null,
        error: { code: 'ERP_REJECTED', message: 'Order 4711 is locked', retryable: false },
        payload: { order: '4711' },
      },
    ]);
  });

  it('stale-jobs marks a silent running job failed; the summary turns red until then it counts it', async () => {
    const { store, clock } = await seeded();
    await clock.advance(3 * HOUR);
    const summary = await summarizeStatus(store, { connection: 'mes', clock });
    expect(summary).toMatchObject({ state: 'error', staleJobs: 1, running: 0 });
    expect(summary.text).toBe('mes: last push jobs in_progress (0 ok, 0 failed), 0 record(s) synced, 1 stale job(s)');
    const marked = await syncStatus(store, { view: 'stale-jobs', limit: 10, clock });
    expect(marked.map((row) => [row.id, row.status, (row.error as { code: string }).code])).toEqual([
      ['job-mes', 'failed', 'JOB_STALE'],
    ]);
    const sap = await syncStatus(store, { view: 'summary', connection: 'sap', limit: 1, clock });
    expect(sap[0]).toMatchObject({ connection: 'sap', state: 'error', records: 3, recentFailures: 1 });
  });

  it.each([
    [
      { view: 'statistics' as const, limit: 5 },
      'The statistics view needs a connection name (for example "sap" or "mes").',
    ],
    [{ view: 'jobs' as const, limit: 0 }, 'The limit is a whole number from 1 to 1000, not 0.'],
    [
      { view: 'nope' as 'jobs', limit: 5 },
      'Sync status view "nope" is not one of jobs, statistics, failed-records, stale-jobs, summary.',
    ],
    [{ view: 'jobs' as const, limit: 5, jobId: 'missing' }, 'Sync job "missing" does not exist in this state store.'],
  ])('refuses %p naming the fix', async (options, message) => {
    const store = new MemoryStateStore();
    const error = await syncStatus(store, options).catch((thrown: unknown) => thrown);
    expect(TaktError.is(error) && error.message).toBe(message);
  });
});
