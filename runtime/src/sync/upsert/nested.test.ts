import { startJob } from '../../jobs';
import { MemoryStateStore } from '../../state';
import { FakeClock } from '../../time';
import { describeEachStore } from '../pull/__fixtures__/stores';
import { CONNECTION, SOURCE, makeTarget, nestedJobs, options, writeCalls } from './__fixtures__/upsert-harness';
import { upsertSync } from './upsert-sync';

/**
 * The issue counts this tree as 5,100 records; 100 jobs with 10 parts each and 5 operations per part are
 * 100 + 1,000 + 5,000 = 6,100 records, which is what is asserted (every one created, then every one unchanged).
 */
describeEachStore('ACCEPTANCE nested upsert of 100 jobs × 10 parts × 5 operations in one call', (open) => {
  it('writes parents before children, all 6,100 created; the same call again is all unchanged with zero writes', async () => {
    const { store } = await open(new FakeClock());
    const target = makeTarget();
    const input = nestedJobs(100, 10, 5);

    const first = await upsertSync({ ...options(store, target, input), entity: 'job' });
    expect(first.results).toHaveLength(6_100);
    expect(first.summary).toMatchObject({ total: 6_100, created: 6_100, error: 0 });
    expect(target.records('job')).toHaveLength(100);
    expect(target.records('part')).toHaveLength(1_000);
    expect(target.records('operation')).toHaveLength(5_000);

    // Dependency order, from the target's own effect log: every child's effect comes after its parent's.
    const position = new Map(target.effectLog.map((effect, i) => [`${effect.entity}/${effect.key}`, i]));
    let checked = 0;
    for (const part of target.records('part')) {
      const parentAt = position.get(`job/${SOURCE}|${String(part.data.job_external_id)}`);
      expect(parentAt).toBeLessThan(position.get(`part/${SOURCE}|${String(part.data.external_id)}`) ?? -1);
      checked += 1;
    }
    for (const operation of target.records('operation')) {
      const parentAt = position.get(`part/${SOURCE}|${String(operation.data.part_external_id)}`);
      expect(parentAt).toBeLessThan(position.get(`operation/${SOURCE}|${String(operation.data.external_id)}`) ?? -1);
      checked += 1;
    }
    expect(checked).toBe(6_000);
    expect(target.totalEffects()).toBe(6_100);
    const writes = writeCalls(target);

    const second = await upsertSync({ ...options(store, target, nestedJobs(100, 10, 5)), entity: 'job' });
    expect(second.summary).toMatchObject({ total: 6_100, unchanged: 6_100, writeCalls: 0, commits: 0 });
    expect(writeCalls(target)).toBe(writes);
    expect(target.totalEffects()).toBe(6_100);
    process.stdout.write(
      `nested acceptance [${store.kind}]: ${first.summary.created} created in ${writes} write calls; ` +
        `second call ${second.summary.unchanged} unchanged, ${writeCalls(target) - writes} writes\n`,
    );
  }, 60_000);
});

describe('nested children', () => {
  it('reports children by path in input order, inherits the source and fills the parent field', async () => {
    const target = makeTarget();
    const result = await upsertSync({ ...options(new MemoryStateStore(), target, nestedJobs(2, 2, 1)), entity: 'job' });
    expect(result.results.map((r) => `${r.path} ${r.entity} ${r.action}`)).toEqual([
      '0 job created',
      '0.parts[0] part created',
      '0.parts[0].operations[0] operation created',
      '0.parts[1] part created',
      '0.parts[1].operations[0] operation created',
      '1 job created',
      '1.parts[0] part created',
      '1.parts[0].operations[0] operation created',
      '1.parts[1] part created',
      '1.parts[1].operations[0] operation created',
    ]);
    expect(result.results[2]?.index).toBe(0);
    const operation = target.get('operation', `${SOURCE}|J0-P1-O0`)?.data;
    expect(operation).toMatchObject({ external_source: SOURCE, part_external_id: 'J0-P1' });
    expect(operation).not.toHaveProperty('operations');
    expect(target.get('job', `${SOURCE}|J0`)?.data).not.toHaveProperty('parts');
  });

  it('a failed parent fails its children with PARENT_FAILED naming it; the siblings go on', async () => {
    const target = makeTarget();
    target.reject = (entity, data) =>
      entity === 'job' && data.external_id === 'J0'
        ? { code: 'ERP_REJECTED', message: 'Customer blocked.' }
        : undefined;
    const result = await upsertSync({ ...options(new MemoryStateStore(), target, nestedJobs(2, 1, 1)), entity: 'job' });
    expect(result.results.map((r) => [r.path, r.error?.code ?? r.action])).toEqual([
      ['0', 'ERP_REJECTED'],
      ['0.parts[0]', 'PARENT_FAILED'],
      ['0.parts[0].operations[0]', 'PARENT_FAILED'],
      ['1', 'created'],
      ['1.parts[0]', 'created'],
      ['1.parts[0].operations[0]', 'created'],
    ]);
    expect(result.results[1]?.error?.message).toMatch(/parent job "J0" \(at 0\) failed with ERP_REJECTED/);
    expect(result.results[2]?.error?.message).toMatch(
      /parent part "J0-P0" \(at 0\.parts\[0\]\) failed with PARENT_FAILED/,
    );
    expect(target.records('part').map((p) => p.data.external_id)).toEqual(['J1-P0']);
  });

  it('resolves parent ids to target ids, created earlier in the call or by an earlier call (flat input)', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const children = [
      { field: 'parts', entity: 'part', parentField: 'job_external_id', parentTargetIdField: 'job_id' },
    ];
    await upsertSync({ ...options(store, target, nestedJobs(1, 1, 0)), entity: 'job', children });
    const job = target.get('job', `${SOURCE}|J0`);
    expect(target.get('part', `${SOURCE}|J0-P0`)?.data.job_id).toBe(job?.targetId);

    const flat = await upsertSync({
      ...options(store, target, [
        { external_source: SOURCE, external_id: 'J0-P9', job_external_id: 'J0', part_number: 'X', quantity: '1' },
        { external_source: SOURCE, external_id: 'J7-P0', job_external_id: 'J7', part_number: 'Y', quantity: '1' },
      ]),
      entity: 'part',
      parent: { entity: 'job', field: 'job_external_id', parentTargetIdField: 'job_id' },
    });
    expect(flat.results.map((r) => r.error?.code ?? r.action)).toEqual(['created', 'PARENT_FAILED']);
    expect(flat.results[1]?.error?.message).toMatch(/parent job "J7" has no target id/);
    expect(target.get('part', `${SOURCE}|J0-P9`)?.data.job_id).toBe(job?.targetId);
  });

  it('flat parts take their parent link from CANONICAL_ENTITIES by default', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const result = await upsertSync({
      ...options(store, target, [{ external_source: SOURCE, external_id: 'P1', job_external_id: 'J-none' }]),
      entity: 'part',
    });
    expect(result.results[0]?.error?.code).toBe('PARENT_FAILED');
  });

  it('refuses a child that names another parent than the one it is nested in', async () => {
    const input = nestedJobs(1, 1, 0);
    const parts = input[0]?.parts as Record<string, unknown>[];
    parts[0] = { ...parts[0], job_external_id: 'J-other' };
    const result = await upsertSync({ ...options(new MemoryStateStore(), makeTarget(), input), entity: 'job' });
    expect(result.results.map((r) => r.error?.code ?? r.action)).toEqual(['created', 'RECORD_INVALID']);
    expect(result.results[1]?.error?.message).toMatch(/names job_external_id "J-other" but is nested under "J0"/);
  });

  it('a nesting field that is not a list fails its record', async () => {
    const result = await upsertSync({
      ...options(new MemoryStateStore(), makeTarget(), [{ external_source: SOURCE, external_id: 'J0', parts: 'none' }]),
      entity: 'job',
    });
    expect(result.results[0]?.error).toMatchObject({ code: 'RECORD_INVALID' });
    expect(result.results[0]?.error?.message).toMatch(/"parts" .* must be a list/);
  });

  it('counts nested children in the job log and keeps a child payload for retry', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    target.reject = (entity, data) =>
      entity === 'operation' && data.external_id === 'J0-P0-O1'
        ? { code: 'ERP_REJECTED', message: 'No cell.' }
        : undefined;
    const job = await startJob(store, { connection: CONNECTION, entity: 'job', kind: 'push', direction: 'outbound' });
    await upsertSync({ ...options(store, target, nestedJobs(1, 1, 2)), entity: 'job', job });
    const finished = await job.finish();
    expect(finished.counters).toMatchObject({ read: 4, created: 3, failed: 1 });
    const [error] = await store.listJobErrors(job.id);
    expect(error).toMatchObject({
      recordIndex: 0,
      entity: 'operation',
      externalId: 'J0-P0-O1',
      message: '0.parts[0].operations[1]: No cell.',
      payload: { external_id: 'J0-P0-O1', part_external_id: 'J0-P0', external_source: SOURCE },
    });
  });
});
