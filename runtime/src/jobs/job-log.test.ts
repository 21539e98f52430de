import { TaktError } from '../errors';
import { describeOnEveryStore } from './__fixtures__/store-backings';
import { connectionStatistics } from './connection-stats';
import { startJob, type JobRun } from './job-run';
import { jobView } from './job-view';
import { failedRecords, retryFailedRecords } from './retry-failed';

const inbound = { connection: 'sap-prd', direction: 'inbound' } as const;

describe('jobView', () => {
  const job = {
    id: 'j',
    connection: 'c',
    entity: 'e',
    kind: 'push',
    direction: 'outbound',
    parentJobId: undefined,
    params: {},
    status: 'in_progress',
    total: 8,
    counters: { read: 9, created: 1, updated: 2, unchanged: 3, skipped: 1, conflict: 1, failed: 2 },
    error: undefined,
    cancelRequested: false,
    createdAt: 1_000,
    startedAt: 2_000,
    heartbeatAt: 2_000,
    finishedAt: undefined,
  } as const;

  it('derives processed, success, error, skip, a capped progress and the running duration', () => {
    const view = jobView(job, 7_000);
    expect([view.processed, view.success, view.errorCount, view.skip]).toEqual([10, 6, 3, 1]);
    expect(view.progressPercent).toBe(100);
    expect(view.durationMs).toBe(5_000);
  });

  it('has no progress without a total and no duration while pending', () => {
    const view = jobView({ ...job, total: undefined, status: 'pending', startedAt: undefined }, 7_000);
    expect(view.progressPercent).toBeUndefined();
    expect(view.durationMs).toBeUndefined();
  });
});

describeOnEveryStore('job log', (backing) => {
  async function failedPush(run: JobRun, failing: readonly number[]): Promise<void> {
    const store = await backing.open();
    await store.commit({
      job: {
        id: run.id,
        counters: { read: 5, created: 5 - failing.length, failed: failing.length },
        errors: failing.map((index) => ({
          recordIndex: index,
          entity: 'work_order',
          externalId: `WO-${index}`,
          code: 'HTTP_UNAVAILABLE',
          message: 'target 503',
          retryable: true,
          payload: { external_id: `WO-${index}`, qty: index },
        })),
      },
    });
  }

  it('retries a failed job over its failed records only, as a child job of the same kind', async () => {
    const store = await backing.open();
    const parent = await startJob(store, { ...inbound, entity: 'work_order', kind: 'full', id: 'parent', total: 5 });
    await failedPush(parent, [1, 3]);
    expect((await parent.finish()).status).toBe('failed');
    expect((await failedRecords(store, 'parent')).map((r) => [r.index, r.externalId, r.payload])).toEqual([
      [1, 'WO-1', { external_id: 'WO-1', qty: 1 }],
      [3, 'WO-3', { external_id: 'WO-3', qty: 3 }],
    ]);

    const outcome = await retryFailedRecords(store, 'parent', async (records, job) => {
      await store.commit({ job: { id: job.id, counters: { read: records.length, updated: records.length } } });
      return records.map((r) => r.externalId);
    });
    expect(outcome.result).toEqual(['WO-1', 'WO-3']);
    expect(outcome.job).toMatchObject({ parentJobId: 'parent', kind: 'full', entity: 'work_order', status: 'success' });
    expect(outcome.job.total).toBe(2);
    expect(jobView(outcome.job, backing.clock.now()).progressPercent).toBe(100);

    const second = await retryFailedRecords(store, outcome.job.id, async () => 0).catch((e: unknown) => e);
    expect(TaktError.is(second) && second.code).toBe('CONFIG_INVALID');
  });

  it('pages through many failed records', async () => {
    const store = await backing.open();
    const run = await startJob(store, { ...inbound, entity: 'operation', kind: 'push', id: 'big' });
    const errors = Array.from({ length: 1_203 }, (_, i) => ({
      recordIndex: i * 2,
      code: 'RECORD_INVALID',
      message: 'bad',
      retryable: false,
    }));
    await store.commit({ job: { id: run.id, counters: { read: 2_406, failed: 1_203 }, errors } });
    const records = await failedRecords(store, 'big');
    expect(records).toHaveLength(1_203);
    expect(records[1_202]?.index).toBe(2_404);
    expect(new Set(records.map((r) => r.index)).size).toBe(1_203);
  });

  it('a retry whose run throws ends failed and rethrows', async () => {
    const store = await backing.open();
    const parent = await startJob(store, { ...inbound, entity: 'work_order', kind: 'full', id: 'p2' });
    await failedPush(parent, [0]);
    await parent.finish();
    const thrown = await retryFailedRecords(
      store,
      'p2',
      () => Promise.reject(new TaktError('CONNECTION_REFUSED', 'still down')),
      { id: 'p2-retry' },
    ).catch((e: unknown) => e);
    expect(TaktError.is(thrown) && thrown.code).toBe('CONNECTION_REFUSED');
    expect(await store.getJob('p2-retry')).toMatchObject({ status: 'failed', parentJobId: 'p2' });
  });

  it('statistics per connection: records by entity, last full and incremental sync, failures, last job', async () => {
    const store = await backing.open();
    const clock = backing.clock;
    await store.commit({
      idMap: ['1', '2', '3'].map((id) => ({
        connection: 'sap-prd',
        entity: 'work_order',
        source: 'sap',
        externalId: id,
        targetId: `T${id}`,
        contentHash: 'h',
      })),
    });
    await store.commit({
      idMap: [
        { connection: 'sap-prd', entity: 'part', source: 'sap', externalId: 'p', targetId: 'TP', contentHash: 'h' },
      ],
    });
    const full = await startJob(store, { ...inbound, entity: 'work_order', kind: 'full', id: 'full-1' });
    await store.commit({ job: { id: full.id, counters: { read: 3, created: 3 } } });
    await clock.advance(60_000);
    await full.finish();
    await clock.advance(60_000);
    const incremental = await startJob(store, { ...inbound, entity: 'work_order', kind: 'incremental', id: 'inc-1' });
    await store.commit({ job: { id: incremental.id, counters: { read: 2, updated: 1, unchanged: 1 } } });
    await incremental.finish();
    await clock.advance(60_000);
    const old = await startJob(store, { ...inbound, entity: 'part', kind: 'incremental', id: 'old-fail' });
    await old.finish({ error: new TaktError('AUTH_FAILED', 'bad password') });
    await clock.advance(25 * 3600_000);
    const broken = await startJob(store, { ...inbound, entity: 'part', kind: 'incremental', id: 'new-fail' });
    await broken.finish({ error: new TaktError('HTTP_UNAVAILABLE', 'ERP down') });
    await startJob(store, { connection: 'other', direction: 'inbound', entity: 'x', kind: 'full', id: 'other' });
    await clock.advance(1_000);
    const last = await startJob(store, { ...inbound, entity: 'part', kind: 'push', id: 'last', total: 10 });
    await store.commit({ job: { id: last.id, counters: { read: 4, created: 3, skipped: 1 } } });

    const stats = await connectionStatistics(store, 'sap-prd', { clock });
    expect(Object.keys(stats.entities)).toEqual(['part', 'work_order']);
    expect(stats.entities['work_order']?.records).toBe(3);
    expect(stats.entities['part']?.records).toBe(1);
    expect(stats.entities['work_order']?.lastFullSync?.id).toBe('full-1');
    expect(stats.entities['work_order']?.lastFullSync?.durationMs).toBe(60_000);
    expect(stats.entities['work_order']?.lastIncrementalSync?.id).toBe('inc-1');
    expect(stats.entities['part']?.lastIncrementalSync).toBeUndefined();
    expect(stats.recentFailures.map((f) => [f.jobId, f.error?.code])).toEqual([['new-fail', 'HTTP_UNAVAILABLE']]);
    expect(stats.lastJob).toMatchObject({
      id: 'last',
      status: 'in_progress',
      success: 3,
      skip: 1,
      progressPercent: 40,
    });
  });
});
