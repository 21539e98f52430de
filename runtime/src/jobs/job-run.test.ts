import { TaktError } from '../errors';
import { describeOnEveryStore } from './__fixtures__/store-backings';
import { markStaleJobs, requestCancel } from './job-control';
import { startJob } from './job-run';
import { jobView } from './job-view';

const base = { connection: 'sap-prd', entity: 'work_order', kind: 'incremental', direction: 'inbound' } as const;

describeOnEveryStore('JobRun', (backing) => {
  it('creates the job pending, runs it in_progress and ends success from clean counters', async () => {
    const store = await backing.open();
    const run = await startJob(store, { ...base, id: 'job-ok', total: 4, params: { mode: 'delta' } });
    expect(await store.getJob('job-ok')).toMatchObject({ status: 'in_progress', total: 4, params: { mode: 'delta' } });
    await store.commit({ job: { id: run.id, counters: { read: 4, created: 2, updated: 1, unchanged: 1 } } });
    await backing.clock.advance(1_500);
    const done = await run.finish();
    expect(done.status).toBe('success');
    expect(done.error).toBeUndefined();
    const view = jobView(done, backing.clock.now());
    expect([view.processed, view.success, view.errorCount, view.skip]).toEqual([4, 4, 0, 0]);
    expect(view.progressPercent).toBe(100);
    expect(view.durationMs).toBe(1_500);
  });

  it('ends failed when a record failed or conflicted, keeping the per-record errors', async () => {
    const store = await backing.open();
    const run = await startJob(store, { ...base, id: 'job-bad', total: 10 });
    await store.commit({
      job: {
        id: run.id,
        counters: { read: 3, created: 2, failed: 1 },
        errors: [{ recordIndex: 2, externalId: 'A-3', code: 'RECORD_INVALID', message: 'no qty', retryable: false }],
      },
    });
    const view = jobView(await run.finish(), backing.clock.now());
    expect(view.status).toBe('failed');
    expect([view.processed, view.success, view.errorCount, view.progressPercent]).toEqual([3, 2, 1, 30]);
    expect(await store.listJobErrors(run.id)).toMatchObject([{ recordIndex: 2, externalId: 'A-3' }]);
  });

  it('cancels cooperatively: checkCancelled throws ABORTED after a request, and finish records cancelled', async () => {
    const store = await backing.open();
    const run = await startJob(store, { ...base, id: 'job-cancel' });
    await run.checkCancelled();
    expect(await requestCancel(store, run.id)).toBe(true);
    const thrown = await run.checkCancelled().catch((error: unknown) => error);
    expect(TaktError.is(thrown) && thrown.code).toBe('ABORTED');
    const done = await run.finish({ error: thrown });
    expect(done.status).toBe('cancelled');
    expect(done.error?.code).toBe('ABORTED');
    expect(await requestCancel(store, run.id)).toBe(false);
  });

  it('fails with the error it stopped on, and skip keeps its reason', async () => {
    const store = await backing.open();
    const failing = await startJob(store, { ...base, id: 'job-err' });
    const failed = await failing.finish({ error: new TaktError('HTTP_UNAVAILABLE', 'ERP down') });
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'HTTP_UNAVAILABLE', retryable: true } });
    expect(await failing.finish()).toBe(failed);
    const skipping = await startJob(store, { ...base, id: 'job-skip' });
    const skipped = await skipping.skip('another worker holds the stream');
    expect(skipped).toMatchObject({
      status: 'skipped',
      error: { code: 'SKIPPED', message: 'another worker holds the stream' },
    });
  });

  it('stale-job detection fails silent jobs after 2 h with JOB_STALE, and their worker stops', async () => {
    const store = await backing.open();
    const silent = await startJob(store, { ...base, id: 'job-silent' });
    const alive = await startJob(store, { ...base, id: 'job-alive', clock: backing.clock, heartbeatEveryMs: 60_000 });
    await backing.clock.advance(90 * 60_000);
    await alive.checkCancelled(); // heartbeats: more than a minute since the last one
    expect(await markStaleJobs(store, { clock: backing.clock })).toEqual([]);
    await backing.clock.advance(31 * 60_000);
    const marked = await markStaleJobs(store, { clock: backing.clock });
    expect(marked.map((job) => [job.id, job.status, job.error?.code])).toEqual([['job-silent', 'failed', 'JOB_STALE']]);
    const thrown = await silent.checkCancelled().catch((error: unknown) => error);
    expect(TaktError.is(thrown) && thrown.code).toBe('JOB_STALE');
    expect((await silent.finish()).status).toBe('failed');
    expect((await alive.finish()).status).toBe('success');
  });
});
