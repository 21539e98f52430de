import { TaktError } from '../../errors';
import { startJob } from '../../jobs';
import { MemoryStateStore } from '../../state';
import { contentHash } from '../content-hash';
import {
  CONNECTION,
  SOURCE,
  answering,
  failingCommits,
  makeTarget,
  options,
  workOrder,
  workOrders,
  writeCalls,
} from './__fixtures__/upsert-harness';
import { idempotencyKey } from './idempotency-key';
import { upsertSync } from './upsert-sync';

describe('upsertSync basics', () => {
  it('creates, then reports unchanged with zero target writes and no commit', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const first = await upsertSync(options(store, target, workOrders(3)));
    expect(first.results.map((r) => [r.index, r.action, r.targetId])).toEqual([
      [0, 'created', 'T1'],
      [1, 'created', 'T2'],
      [2, 'created', 'T3'],
    ]);
    expect(first.summary).toMatchObject({ created: 3, writeCalls: 1, commits: 1 });
    const mapped = await store.getIdMappings({ connection: CONNECTION, entity: 'work_order', source: SOURCE }, [
      'WO-000001',
    ]);
    expect(mapped.get('WO-000001')).toMatchObject({ targetId: 'T2', contentHash: contentHash(workOrder(1)) });

    const second = await upsertSync(options(store, target, workOrders(3)));
    expect(second.results.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(second.summary).toMatchObject({ unchanged: 3, writeCalls: 0, readCalls: 0, commits: 0 });
    expect(writeCalls(target)).toBe(1);
  });

  it('updates only the records whose content changed', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    await upsertSync(options(store, target, workOrders(3)));
    const changed = workOrders(3);
    changed[1] = workOrder(1, { quantity: '7.000' });
    const result = await upsertSync(options(store, target, changed));
    expect(result.results.map((r) => r.action)).toEqual(['unchanged', 'updated', 'unchanged']);
    expect(target.requests.filter((r) => r.kind === 'write').map((r) => r.records)).toEqual([3, 1]);
    expect(target.get('work_order', `${SOURCE}|WO-000001`)?.data.quantity).toBe('7.000');
  });

  it('a bad record fails alone, with its payload in the job errors', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    target.reject = (_entity, data) =>
      data.external_id === 'WO-000002' ? { code: 'ERP_REJECTED', message: 'Quantity too large.' } : undefined;
    const job = await startJob(store, {
      connection: CONNECTION,
      entity: 'work_order',
      kind: 'push',
      direction: 'outbound',
    });
    const result = await upsertSync(options(store, target, workOrders(4), { job }));
    expect(result.results.map((r) => r.action)).toEqual(['created', 'created', 'error', 'created']);
    expect(result.results[2]?.error).toEqual({
      code: 'ERP_REJECTED',
      message: 'Quantity too large.',
      retryable: false,
    });
    const finished = await job.finish();
    expect(finished.status).toBe('failed');
    expect(finished.counters).toMatchObject({ read: 4, created: 3, failed: 1 });
    const errors = await store.listJobErrors(job.id);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      recordIndex: 2,
      entity: 'work_order',
      externalId: 'WO-000002',
      code: 'ERP_REJECTED',
      payload: workOrder(2),
    });
  });

  it('splits at the hard maximum: 1001 records with batch size 5000 make two calls of 1000 and 1', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const result = await upsertSync(options(store, target, workOrders(1001), { batchSize: 5000 }));
    expect(result.summary.created).toBe(1001);
    expect(target.requests.filter((r) => r.kind === 'write').map((r) => r.records)).toEqual([1000, 1]);
    const small = makeTarget();
    await upsertSync(options(new MemoryStateStore(), small, workOrders(250)));
    expect(small.requests.map((r) => r.records)).toEqual([100, 100, 50]);
  });

  it('refuses a batch size below 1 and an unknown strategy', async () => {
    const store = new MemoryStateStore();
    await expect(upsertSync(options(store, makeTarget(), [], { batchSize: 0 }))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await expect(
      upsertSync(options(store, makeTarget(), [], { strategy: 'loudest_wins' as never })),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('idempotency keys', () => {
  it('are deterministic per connection, key, previous and new content, and differ when any of them does', () => {
    const key = { entity: 'work_order', source: SOURCE, externalId: 'WO-1' };
    const base = idempotencyKey(CONNECTION, key, undefined, 'h1');
    expect(idempotencyKey(CONNECTION, key, undefined, 'h1')).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(
      new Set([
        base,
        idempotencyKey('other', key, undefined, 'h1'),
        idempotencyKey(CONNECTION, { ...key, externalId: 'WO-2' }, undefined, 'h1'),
        idempotencyKey(CONNECTION, { ...key, source: 'other' }, undefined, 'h1'),
        idempotencyKey(CONNECTION, key, 'h0', 'h1'),
        idempotencyKey(CONNECTION, key, undefined, 'h2'),
      ]).size,
    ).toBe(6);
  });

  it('a batch re-sent after a lost commit carries the same keys, and the target applies it once', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const lost = failingCommits(store, 1);
    await expect(upsertSync(options(lost, target, workOrders(5)))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const keysAfterCrash = [...target.idempotencyKeys.keys()];
    expect(keysAfterCrash).toHaveLength(5);
    expect(
      await store.getIdMappings({ connection: CONNECTION, entity: 'work_order', source: SOURCE }, ['WO-000000']),
    ).toEqual(new Map());

    const rerun = await upsertSync(options(store, target, workOrders(5)));
    expect(rerun.results.map((r) => r.action)).toEqual(['created', 'created', 'created', 'created', 'created']);
    expect([...target.idempotencyKeys.keys()]).toEqual(keysAfterCrash);
    expect([...target.idempotencyKeys.values()]).toEqual([2, 2, 2, 2, 2]);
    expect(target.totalEffects()).toBe(5);
  });

  it('can be turned off', async () => {
    const target = makeTarget();
    await upsertSync(options(new MemoryStateStore(), target, workOrders(2), { idempotencyKeys: false }));
    expect(target.idempotencyKeys.size).toBe(0);
    expect(target.totalEffects()).toBe(2);
  });
});

describe('target failures', () => {
  it('a failed call gives its records retryable errors, commits nothing for them, and stops the run', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const job = await startJob(store, {
      connection: CONNECTION,
      entity: 'work_order',
      kind: 'push',
      direction: 'outbound',
    });
    let calls = 0;
    const result = await upsertSync(
      options(store, target, workOrders(300), {
        job,
        stream: { name: 'wo-push', cursorOf: (record) => String(record.external_id) },
        onStage: (stage) => {
          if (stage === 'committed' && ++calls === 1) target.failNext(1, new TaktError('HTTP_UNAVAILABLE', 'down'));
        },
      }),
    );
    expect(result.summary).toMatchObject({ created: 100, error: 200, writeCalls: 2, watermark: 'WO-000099' });
    expect(result.summary.stoppedBy).toEqual({ code: 'HTTP_UNAVAILABLE', message: 'down', retryable: true });
    expect(result.results[150]?.error).toMatchObject({ code: 'HTTP_UNAVAILABLE', retryable: true });
    expect(result.results[250]?.error?.message).toMatch(/^Not attempted/);
    expect((await store.getCursor('wo-push'))?.value).toBe('WO-000099');
    const mapped = await store.getIdMappings({ connection: CONNECTION, entity: 'work_order', source: SOURCE }, [
      'WO-000099',
      'WO-000100',
    ]);
    expect([...mapped.keys()]).toEqual(['WO-000099']);
    const finished = await job.finish();
    expect(finished.counters).toMatchObject({ created: 100, failed: 200 });
    expect(await store.listJobErrors(job.id, { limit: 1000 })).toHaveLength(200);

    // Recovery: the same input applies the rest, each record once.
    const again = await upsertSync(options(store, target, workOrders(300)));
    expect(again.summary).toMatchObject({ unchanged: 100, created: 200 });
    expect(target.totalEffects()).toBe(300);
  });

  it('a retryable per-record failure freezes the cursor at the last batch before it', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const result = await upsertSync(
      options(store, target, workOrders(300), {
        stream: { name: 'wo-push', cursorOf: (record) => String(record.external_id) },
        connector: answering(target, (data, index) =>
          data.external_id === 'WO-000150'
            ? { index, action: 'error', error: { code: 'HTTP_UNAVAILABLE', message: '503', retryable: true } }
            : undefined,
        ),
      }),
    );
    expect(result.summary).toMatchObject({ created: 299, error: 1, watermark: 'WO-000099' });
    expect((await store.getCursor('wo-push'))?.value).toBe('WO-000099');
  });
});

describe('cooperative cancel', () => {
  it('stops between batches: committed batches stay, the rest is skipped, the job ends cancelled', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const job = await startJob(store, {
      connection: CONNECTION,
      entity: 'work_order',
      kind: 'push',
      direction: 'outbound',
    });
    const result = await upsertSync(
      options(store, target, workOrders(500), {
        job,
        onStage: async (stage, batch) => {
          if (stage === 'committed' && batch.number === 2) await store.requestJobCancel(job.id);
        },
      }),
    );
    expect(result.summary).toMatchObject({ created: 200, skipped: 300, writeCalls: 2 });
    expect(result.summary.stoppedBy?.code).toBe('ABORTED');
    expect(result.results[200]).toMatchObject({ action: 'skipped', error: { code: 'ABORTED' } });
    const finished = await job.finish({ error: new TaktError('ABORTED', 'cancelled') });
    expect(finished.status).toBe('cancelled');
    expect(finished.counters).toMatchObject({ read: 200, created: 200 });
    expect((await store.countIdMappings(CONNECTION)).get('work_order')).toBe(200);
    expect(target.totalEffects()).toBe(200);
  });

  it('an aborted signal stops before the next batch', async () => {
    const controller = new AbortController();
    const target = makeTarget();
    const result = await upsertSync(
      options(new MemoryStateStore(), target, workOrders(300), {
        signal: controller.signal,
        onStage: (stage) => {
          if (stage === 'committed') controller.abort();
        },
      }),
    );
    expect(result.summary).toMatchObject({ created: 100, skipped: 200 });
    expect(result.summary.stoppedBy?.code).toBe('ABORTED');
  });
});
