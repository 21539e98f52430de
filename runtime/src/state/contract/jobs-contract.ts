import type { JobDirection, JobUpdate } from '../types';
import { MINUTE, jobOf, rejection, type ContractContext } from './contract-helpers';

const failedOne = { code: 'HTTP_UNPROCESSABLE', message: '1 record failed', retryable: false };

export function describeJobsContract(t: ContractContext): void {
  describe('sync jobs', () => {
    it('creates a job pending, starts it once, and keeps counters, per-record errors and cancel requests', async () => {
      const { store, clock } = t;
      const job = await store.createJob(
        jobOf('job-1', { kind: 'full', total: 3, params: { mode: 'full', password: 'hunter2-secret' } }),
      );
      expect(job).toEqual({
        id: 'job-1',
        connection: 'sap-prd',
        entity: 'work_order',
        kind: 'full',
        direction: 'inbound',
        parentJobId: undefined,
        params: { mode: 'full', password: '[REDACTED]' },
        status: 'pending',
        total: 3,
        counters: { read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, conflict: 0, failed: 0 },
        error: undefined,
        cancelRequested: false,
        createdAt: clock.now(),
        startedAt: undefined,
        heartbeatAt: clock.now(),
        finishedAt: undefined,
      });
      expect((await rejection(store.createJob(jobOf('job-1')))).code).toBe('CONFIG_INVALID');

      await clock.advance(1_000);
      const started = await store.updateJob('job-1', { status: 'in_progress' });
      expect(started).toMatchObject({ status: 'in_progress', startedAt: clock.now(), createdAt: clock.now() - 1_000 });
      await clock.advance(1_000);
      // Going in_progress again (with the total now known) keeps the first start.
      expect(await store.updateJob('job-1', { status: 'in_progress', total: 5 })).toMatchObject({
        startedAt: clock.now() - 1_000,
        total: 5,
        heartbeatAt: clock.now(),
      });

      await store.commit({
        job: {
          id: 'job-1',
          counters: { read: 3, created: 2 },
          errors: [
            {
              recordIndex: 2,
              externalId: 'ext-2',
              code: 'HTTP_UNPROCESSABLE',
              message: 'quantity must be positive',
              retryable: false,
            },
          ],
        },
      });
      await store.commit({
        job: {
          id: 'job-1',
          counters: { read: 2, updated: 1, failed: 1 },
          errors: [{ recordIndex: 0, code: 'X', message: 'first', retryable: true }],
        },
      });
      expect((await store.getJob('job-1'))?.counters).toEqual({
        read: 5,
        created: 2,
        updated: 1,
        unchanged: 0,
        skipped: 0,
        conflict: 0,
        failed: 1,
      });
      const errors = await store.listJobErrors('job-1');
      expect(errors.map((e) => [e.recordIndex, e.code, e.retryable])).toEqual([
        [0, 'X', true],
        [2, 'HTTP_UNPROCESSABLE', false],
      ]);
      expect(errors[1]).toMatchObject({ externalId: 'ext-2', jobId: 'job-1' });
      expect((await store.listJobErrors('job-1', { afterIndex: 0 })).map((e) => e.recordIndex)).toEqual([2]);

      expect(await store.requestJobCancel('job-1')).toBe(true);
      await clock.advance(1_000);
      const done = await store.updateJob('job-1', { status: 'failed', error: failedOne });
      expect(done).toMatchObject({
        status: 'failed',
        cancelRequested: true,
        finishedAt: clock.now(),
        error: { code: 'HTTP_UNPROCESSABLE' },
      });
      expect(await store.requestJobCancel('job-1')).toBe(false);
      expect((await rejection(store.commit({ job: { id: 'nope', counters: { read: 1 } } }))).code).toBe(
        'CONFIG_INVALID',
      );
    });

    it('keeps a job record final: no leaving a terminal status, no way back to pending', async () => {
      const { store } = t;
      await store.createJob(jobOf('j'));
      const back = await rejection(store.updateJob('j', { status: 'pending' } as unknown as JobUpdate));
      expect(back.code).toBe('INTERNAL');
      await store.updateJob('j', { status: 'in_progress' });
      expect((await rejection(store.updateJob('j', { status: 'pending' } as unknown as JobUpdate))).code).toBe(
        'INTERNAL',
      );
      const finished = await store.updateJob('j', { status: 'success' });
      expect(finished).toMatchObject({ status: 'success', error: undefined });

      for (const update of [
        { status: 'in_progress' },
        { status: 'failed', error: failedOne },
        { status: 'success' },
        { total: 9 },
      ] as const) {
        const error = await rejection(store.updateJob('j', update));
        expect(error.code).toBe('INTERNAL');
        expect(error.message).toContain('"j"');
        expect(error.details).toMatchObject({ jobId: 'j', from: 'success' });
      }
      expect(await store.getJob('j')).toMatchObject({ status: 'success', total: undefined });
      expect((await rejection(store.updateJob('missing', { status: 'success' }))).code).toBe('CONFIG_INVALID');
      expect((await rejection(store.updateJob('j', { status: 'running' } as unknown as JobUpdate))).code).toBe(
        'CONFIG_INVALID',
      );
    });

    it('lets only one of two connections finish the same job', async () => {
      const { store } = t;
      const other = await t.open();
      for (let i = 0; i < 10; i += 1) {
        await store.createJob(jobOf(`race-${i}`));
        await store.updateJob(`race-${i}`, { status: 'in_progress' });
        const outcomes = await Promise.allSettled([
          store.updateJob(`race-${i}`, { status: 'success' }),
          other.updateJob(`race-${i}`, { status: 'failed', error: failedOne }),
        ]);
        const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.status] : []));
        expect(won).toHaveLength(1);
        const lost = outcomes.find((o) => o.status === 'rejected');
        expect(lost?.status === 'rejected' && (lost.reason as { code?: unknown }).code).toBe('INTERNAL');
        expect((await store.getJob(`race-${i}`))?.status).toBe(won[0]);
      }
    });

    it('finishes a job that never started (skipped, cancelled) without a start time', async () => {
      const { store, clock } = t;
      await store.createJob(jobOf('skip'));
      await store.createJob(jobOf('cancel', { direction: 'outbound', kind: 'push', parentJobId: 'skip' }));
      await clock.advance(500);
      expect(await store.updateJob('skip', { status: 'skipped' })).toMatchObject({
        status: 'skipped',
        startedAt: undefined,
        finishedAt: clock.now(),
      });
      expect(await store.requestJobCancel('cancel')).toBe(true);
      expect(await store.updateJob('cancel', { status: 'cancelled' })).toMatchObject({
        status: 'cancelled',
        direction: 'outbound',
        parentJobId: 'skip',
        cancelRequested: true,
        startedAt: undefined,
      });
    });

    it('sets the total alone while the job is open', async () => {
      const { store, clock } = t;
      await store.createJob(jobOf('j'));
      await clock.advance(100);
      expect(await store.updateJob('j', { total: 1_000 })).toMatchObject({
        status: 'pending',
        total: 1_000,
        heartbeatAt: clock.now(),
      });
      expect((await rejection(store.updateJob('j', { total: -1 }))).code).toBe('CONFIG_INVALID');
      expect((await rejection(store.createJob(jobOf('k', { total: 1.5 })))).code).toBe('CONFIG_INVALID');
      expect(
        (await rejection(store.createJob(jobOf('k', { direction: 'sideways' as unknown as JobDirection })))).code,
      ).toBe('CONFIG_INVALID');
    });

    it('stores a record error with its entity, ids and redacted payload', async () => {
      const { store } = t;
      await store.createJob(jobOf('j'));
      await store.commit({
        job: {
          id: 'j',
          errors: [
            {
              recordIndex: 4,
              entity: 'operation',
              externalId: '1000042/0010',
              targetId: 'OP-42',
              payload: { order: '1000042', qty: 3, password: 'hunter2', note: 'Authorization: Bearer s3cr3t-t0ken' },
              code: 'HTTP_UNPROCESSABLE',
              message: 'qty above order quantity',
              retryable: false,
            },
            { recordIndex: 5, code: 'X', message: 'bare', retryable: false },
          ],
        },
      });
      const [full, bare] = await store.listJobErrors('j');
      expect(full).toMatchObject({
        entity: 'operation',
        externalId: '1000042/0010',
        targetId: 'OP-42',
        payload: { order: '1000042', qty: 3, password: '[REDACTED]' },
      });
      expect(JSON.stringify(full)).not.toContain('s3cr3t-t0ken');
      expect(JSON.stringify(full)).not.toContain('hunter2');
      expect(bare).toEqual({
        jobId: 'j',
        recordIndex: 5,
        code: 'X',
        message: 'bare',
        retryable: false,
        createdAt: t.clock.now(),
      });
    });

    it('finds stale open jobs by heartbeat, newest first', async () => {
      const { store, clock } = t;
      await store.createJob(jobOf('old'));
      await store.updateJob('old', { status: 'in_progress' });
      await clock.advance(10 * MINUTE);
      await store.createJob(jobOf('fresh'));
      await store.updateJob('fresh', { status: 'in_progress' });
      await store.createJob(jobOf('elsewhere', { connection: 'd', kind: 'full' }));
      expect((await store.listJobs({ connection: 'sap-prd' })).map((j) => j.id)).toEqual(['fresh', 'old']);
      const stale = await store.listJobs({ status: 'in_progress', heartbeatBefore: clock.now() - 5 * MINUTE });
      expect(stale.map((j) => j.id)).toEqual(['old']);
      await store.heartbeatJob('old');
      expect(await store.listJobs({ status: 'in_progress', heartbeatBefore: clock.now() - 5 * MINUTE })).toEqual([]);
    });

    it('lists jobs by connection, entity, kind and status together, newest created first', async () => {
      const { store, clock } = t;
      const jobs = [
        jobOf('a', { entity: 'work_order', kind: 'full' }),
        jobOf('b', { entity: 'operation', kind: 'full' }),
        jobOf('c', { entity: 'work_order', kind: 'incremental' }),
        jobOf('d', { entity: 'work_order', kind: 'full', connection: 'other' }),
        jobOf('e', { entity: 'work_order', kind: 'full' }),
      ];
      for (const job of jobs) {
        await store.createJob(job);
        await clock.advance(10);
      }
      await store.updateJob('e', { status: 'skipped' });
      expect((await store.listJobs({ entity: 'work_order' })).map((j) => j.id)).toEqual(['e', 'd', 'c', 'a']);
      expect((await store.listJobs({ kind: 'full', connection: 'sap-prd' })).map((j) => j.id)).toEqual(['e', 'b', 'a']);
      expect(
        (await store.listJobs({ connection: 'sap-prd', entity: 'work_order', kind: 'full', status: 'pending' })).map(
          (j) => j.id,
        ),
      ).toEqual(['a']);
      expect((await store.listJobs({ entity: 'work_order', limit: 2 })).map((j) => j.id)).toEqual(['e', 'd']);
    });
  });
}
