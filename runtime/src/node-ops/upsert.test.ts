import { TaktError } from '../errors';
import { MemoryStateStore } from '../state';
import { FakeTarget } from '../testing/fake-target';
import { prepareMapping } from './map';
import { simulate } from './map-simulate';
import { runUpsert, type RunUpsertOptions } from './upsert';

const SOURCE = 'sap-prd-100';

function target(): FakeTarget {
  const identity = ['external_source', 'external_id'];
  return new FakeTarget([
    { name: 'job', keyFields: identity },
    { name: 'part', keyFields: identity },
    { name: 'operation', keyFields: identity },
  ]);
}

function job(n: number, note = 'v1'): Record<string, unknown> {
  return {
    external_source: SOURCE,
    external_id: `J${n}`,
    job_number: `JOB-${n}`,
    notes: note,
    parts: [1, 2].map((p) => ({
      external_id: `J${n}-P${p}`,
      part_number: `P-${p}`,
      quantity: '10',
      operations: [{ external_id: `J${n}-P${p}-O1`, operation_number: '0010', name: 'Cut' }],
    })),
  };
}

function options(store: MemoryStateStore, fake: FakeTarget, records: readonly unknown[]): RunUpsertOptions {
  return { store, connector: fake, connection: 'mes', entity: 'job', records };
}

describe('runUpsert', () => {
  it('writes jobs with parts and operations as one job run, one outcome per item with its children', async () => {
    const store = new MemoryStateStore();
    const fake = target();
    const progress: string[] = [];
    const run = await runUpsert({
      ...options(store, fake, [job(1), job(2)]),
      jobName: 'orders to MES',
      onProgress: ({ done, total }) => progress.push(`${done}/${total}`),
    });
    expect(run.results.map((r) => [r.index, r.action, r.externalId])).toEqual([
      [0, 'created', 'J1'],
      [1, 'created', 'J2'],
    ]);
    expect(run.results[0]?.targetId).toBe(fake.get('job', `${SOURCE}|J1`)?.targetId);
    expect(run.results[0]?.children?.map((c) => [c.path, c.entity, c.action])).toEqual([
      ['0.parts[0]', 'part', 'created'],
      ['0.parts[0].operations[0]', 'operation', 'created'],
      ['0.parts[1]', 'part', 'created'],
      ['0.parts[1].operations[0]', 'operation', 'created'],
    ]);
    expect(fake.get('operation', `${SOURCE}|J2-P2-O1`)?.data).toMatchObject({ part_external_id: 'J2-P2' });
    expect(run.summary).toMatchObject({ total: 10, created: 10, error: 0 });
    expect(progress).toEqual(['2/2', '2/2', '2/2']);
    const stored = await store.getJob(run.jobId);
    expect(stored).toMatchObject({ kind: 'push', direction: 'outbound', status: 'success', total: 2, entity: 'job' });
    expect(stored?.params).toMatchObject({ strategy: 'source_wins', name: 'orders to MES' });
  });

  it('drops _takt before hashing and sending, so a redelivery with a new token is unchanged', async () => {
    const store = new MemoryStateStore();
    const fake = target();
    await runUpsert(options(store, fake, [{ ...job(1), _takt: { token: 'a' } }]));
    expect(fake.get('job', `${SOURCE}|J1`)?.data).not.toHaveProperty('_takt');
    const again = await runUpsert(options(store, fake, [{ ...job(1), _takt: { token: 'b' } }]));
    expect(again.results[0]?.action).toBe('unchanged');
    expect(again.results[0]?.children?.every((child) => child.action === 'unchanged')).toBe(true);
  });

  it('a bad record and a non-object item fail alone under their index; the job ends failed', async () => {
    const store = new MemoryStateStore();
    const fake = target();
    fake.reject = (_entity, data) =>
      data['external_id'] === 'J2' ? { code: 'ERP_REJECTED', message: 'Job J2 is locked.' } : undefined;
    const run = await runUpsert(options(store, fake, [job(1), 'text', job(2), job(3)]));
    expect(run.results.map((r) => [r.index, r.action, r.error?.code])).toEqual([
      [0, 'created', undefined],
      [1, 'error', 'RECORD_INVALID'],
      [2, 'error', 'ERP_REJECTED'],
      [3, 'created', undefined],
    ]);
    expect(run.results[1]?.error?.message).toBe('Item 1 is not a JSON object: Upsert Sync needs one record per item.');
    expect(run.results[2]?.children?.map((c) => c.error?.code)).toEqual([
      'PARENT_FAILED',
      'PARENT_FAILED',
      'PARENT_FAILED',
      'PARENT_FAILED',
    ]);
    expect((await store.getJob(run.jobId))?.status).toBe('failed');
  });

  it('predicts what it then does: simulate of nested jobs agrees with the next run', async () => {
    const store = new MemoryStateStore();
    const fake = target();
    await runUpsert(options(store, fake, [job(1), job(2)]));
    const prepared = prepareMapping({ source: { kind: 'jsonata', entity: 'job', expression: '$' } });
    const inputs = [job(1), job(2, 'v2'), job(3)];
    const predicted = await simulate(prepared, inputs, { store, connection: 'mes', entity: 'job' });
    expect(predicted.map((p) => [p.predictedAction, p.changedFields])).toEqual([
      ['unchanged', undefined],
      ['update', ['notes']],
      ['create', undefined],
    ]);
    const run = await runUpsert(options(store, fake, inputs));
    expect(run.results.map((r) => r.action)).toEqual(['unchanged', 'updated', 'created']);
  });

  it('refuses an unknown entity before a job starts, naming the known ones', async () => {
    const store = new MemoryStateStore();
    const run = runUpsert({ ...options(store, target(), [job(1)]), entity: 'jobs' });
    await expect(run).rejects.toThrow('The target has no entity "jobs"; pick one of: job, part, operation.');
    expect(await store.listJobs({})).toEqual([]);
    await expect(runUpsert({ ...options(store, target(), []), connection: ' ' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await expect(runUpsert({ ...options(store, target(), [job(1)]), batchSize: 2.5 })).rejects.toThrow(
      'Batch size must be a whole number of at least 1, not 2.5 (more than 1000 is capped).',
    );
    expect(await store.listJobs({})).toEqual([]);
  });

  it('a cancelled run skips the rest and ends the job cancelled', async () => {
    const store = new MemoryStateStore();
    const controller = new AbortController();
    const run = await runUpsert({
      ...options(store, target(), [job(1), job(2), job(3)]),
      batchSize: 1,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 1) controller.abort(new TaktError('ABORTED', 'stopped by the user'));
      },
    });
    expect(run.results.map((r) => r.action)).toEqual(['created', 'skipped', 'skipped']);
    expect(run.summary.stoppedBy?.code).toBe('ABORTED');
    expect((await store.getJob(run.jobId))?.status).toBe('cancelled');
  });
});
