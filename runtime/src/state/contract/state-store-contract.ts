import { TaktError } from '../../errors';
import { FakeClock } from '../../time';
import type { CommitUnit, IdMapUpsert, StateStore } from '../types';

/**
 * The one behavioural contract of a StateStore. Every adapter's test file calls `describeStateStoreContract`
 * with a harness; a new adapter is done when this suite passes unchanged.
 */
export interface ContractHarness {
  /** Opens a store on the backing under test. Every call sees the same data, over a new connection where the
   * adapter has connections (so concurrency tests really use two). */
  open(clock: FakeClock): Promise<StateStore>;
  /** Removes the backing (file, schema) after the test. */
  destroy(): Promise<void>;
}

const MINUTE = 60_000;
const conn = { connection: 'sap-prd', entity: 'work_order', source: 'sap-prd-100' };

function mapping(externalId: string, targetId: string, contentHash: string): IdMapUpsert {
  return { ...conn, externalId, targetId, contentHash, sourceVersion: '2026-01-01T00:00:00Z' };
}

async function rejection(promise: Promise<unknown>): Promise<TaktError> {
  try {
    await promise;
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the call to be rejected');
}

export function describeStateStoreContract(name: string, createHarness: () => Promise<ContractHarness>): void {
  describe(`StateStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let clock: FakeClock;
    let store: StateStore;
    const opened: StateStore[] = [];
    const open = async (): Promise<StateStore> => {
      const s = await harness.open(clock);
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      harness = await createHarness();
      clock = new FakeClock(Date.UTC(2026, 10, 21, 8, 0, 0));
      store = await open();
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await harness.destroy();
    });

    describe('cursors', () => {
      it('starts empty and advances by compare-and-set', async () => {
        expect(await store.getCursor('s1')).toBeUndefined();
        const first = await store.commit({ cursor: { stream: 's1', expectedVersion: 0, value: '2026-01-01' } });
        expect(first.cursorVersion).toBe(1);
        const second = await store.commit({ cursor: { stream: 's1', expectedVersion: 1, value: '2026-01-02' } });
        expect(second.cursorVersion).toBe(2);
        expect(await store.getCursor('s1')).toMatchObject({ stream: 's1', value: '2026-01-02', version: 2 });
      });

      it('rejects a commit with a stale version and writes nothing of that unit', async () => {
        await store.commit({ cursor: { stream: 's1', expectedVersion: 0, value: 'a' } });
        await store.commit({ cursor: { stream: 's1', expectedVersion: 1, value: 'b' } });
        const job = await store.createJob({
          id: 'job-1',
          connection: 'sap-prd',
          entity: 'work_order',
          kind: 'incremental',
        });
        const stale: CommitUnit = {
          cursor: { stream: 's1', expectedVersion: 1, value: 'stale' },
          idMap: [mapping('4711', 'T-1', 'h1')],
          outbox: [{ connection: 'mes', entity: 'job', orderKey: '4711', idempotencyKey: 'k1', payload: { a: 1 } }],
          deadLetters: [
            {
              scope: 's1',
              key: '4712',
              payload: {},
              error: { code: 'HTTP_BAD_REQUEST', message: 'x', retryable: false },
              attempts: 1,
            },
          ],
          job: {
            id: job.id,
            counters: { created: 1 },
            errors: [{ recordIndex: 0, code: 'X', message: 'y', retryable: false }],
          },
        };
        const error = await rejection(store.commit(stale));
        expect(error.code).toBe('CURSOR_VERSION_CONFLICT');
        expect(error.details).toMatchObject({ stream: 's1', expectedVersion: 1, actualVersion: 2 });
        expect(await store.getCursor('s1')).toMatchObject({ value: 'b', version: 2 });
        expect((await store.getIdMappings(conn, ['4711'])).size).toBe(0);
        expect(await store.listOutbox({})).toHaveLength(0);
        expect(await store.listDeadLetters({})).toHaveLength(0);
        expect((await store.getJob(job.id))?.counters.created).toBe(0);
        expect(await store.listJobErrors(job.id)).toHaveLength(0);
      });

      it('treats expectedVersion 0 as "no cursor yet" and rejects it once one exists', async () => {
        await store.commit({ cursor: { stream: 's1', expectedVersion: 0, value: 'a' } });
        const error = await rejection(store.commit({ cursor: { stream: 's1', expectedVersion: 0, value: 'b' } }));
        expect(error.code).toBe('CURSOR_VERSION_CONFLICT');
      });
    });

    describe('leases', () => {
      it('gives a stream to one owner at a time and extends it for the holder', async () => {
        const a = await store.acquireLease('s1', 'worker-a', MINUTE);
        expect(a).toMatchObject({ stream: 's1', owner: 'worker-a', fence: 1, expiresAt: clock.now() + MINUTE });
        expect(await store.acquireLease('s1', 'worker-b', MINUTE)).toBeUndefined();
        await clock.advance(30_000);
        const again = await store.acquireLease('s1', 'worker-a', MINUTE);
        expect(again).toMatchObject({ fence: 1, expiresAt: clock.now() + MINUTE });
      });

      it("fences the old owner's commit after its lease expired and another owner took it", async () => {
        const a = await store.acquireLease('s1', 'worker-a', MINUTE);
        await store.commit({ lease: a!, cursor: { stream: 's1', expectedVersion: 0, value: 'a1' } });
        await clock.advance(MINUTE + 1);
        const b = await store.acquireLease('s1', 'worker-b', MINUTE);
        expect(b?.fence).toBe(2);

        const error = await rejection(
          store.commit({
            lease: a!,
            cursor: { stream: 's1', expectedVersion: 1, value: 'zombie' },
            idMap: [mapping('1', 'T1', 'h')],
          }),
        );
        expect(error.code).toBe('LEASE_LOST');
        expect(error.message).toContain('worker-b');
        expect((await store.getIdMappings(conn, ['1'])).size).toBe(0);
        expect((await rejection(store.renewLease(a!, MINUTE))).code).toBe('LEASE_LOST');

        const ok = await store.commit({ lease: b!, cursor: { stream: 's1', expectedVersion: 1, value: 'b1' } });
        expect(ok.cursorVersion).toBe(2);
        expect(await store.getCursor('s1')).toMatchObject({ value: 'b1', version: 2 });
      });

      it('rejects a commit under an expired lease even before anyone else took it', async () => {
        const a = await store.acquireLease('s1', 'worker-a', MINUTE);
        await clock.advance(MINUTE);
        expect(
          (await rejection(store.commit({ lease: a!, cursor: { stream: 's1', expectedVersion: 0, value: 'x' } }))).code,
        ).toBe('LEASE_LOST');
        expect(await store.getCursor('s1')).toBeUndefined();
      });

      it('renews a held lease and hands a released one over at once with a new fence', async () => {
        const a = await store.acquireLease('s1', 'worker-a', MINUTE);
        await clock.advance(50_000);
        const renewed = await store.renewLease(a!, MINUTE);
        expect(renewed).toMatchObject({ fence: 1, expiresAt: clock.now() + MINUTE });
        await clock.advance(50_000);
        await store.commit({ lease: renewed, cursor: { stream: 's1', expectedVersion: 0, value: 'x' } });
        await store.releaseLease(renewed);
        const b = await store.acquireLease('s1', 'worker-b', MINUTE);
        expect(b?.fence).toBe(2);
        expect(await store.getLease('s1')).toMatchObject({ owner: 'worker-b', fence: 2 });
      });
    });

    describe('dedup claims', () => {
      it('lets exactly one owner claim a key; a done key reports duplicate', async () => {
        expect(await store.claim('webhook', 'evt-1', 'w1', MINUTE)).toEqual({
          status: 'claimed',
          expiresAt: clock.now() + MINUTE,
        });
        expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toEqual({
          status: 'in_progress',
          owner: 'w1',
          expiresAt: clock.now() + MINUTE,
        });
        await clock.advance(1_000);
        await store.completeClaim('webhook', 'evt-1', 'w1', 72 * 3600_000);
        expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toEqual({
          status: 'duplicate',
          doneAt: clock.now(),
        });
        expect(await store.claim('other-scope', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'claimed' });
      });

      it('lets an expired claim be claimed again, and fences the original owner', async () => {
        await store.claim('webhook', 'evt-1', 'w1', MINUTE);
        await clock.advance(MINUTE);
        expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'claimed' });
        expect((await rejection(store.completeClaim('webhook', 'evt-1', 'w1', MINUTE))).code).toBe('CLAIM_NOT_OWNED');
        expect(await store.releaseClaim('webhook', 'evt-1', 'w1')).toBe(false);
        expect(await store.claim('webhook', 'evt-1', 'w3', MINUTE)).toMatchObject({
          status: 'in_progress',
          owner: 'w2',
        });
      });

      it('lets a released claim be claimed again at once', async () => {
        await store.claim('webhook', 'evt-1', 'w1', MINUTE);
        expect(await store.releaseClaim('webhook', 'evt-1', 'w1')).toBe(true);
        expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'claimed' });
      });

      it('forgets a done key after its retention', async () => {
        await store.claim('webhook', 'evt-1', 'w1', MINUTE);
        await store.completeClaim('webhook', 'evt-1', 'w1', 10 * MINUTE);
        await clock.advance(10 * MINUTE - 1);
        expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'duplicate' });
        await clock.advance(1);
        expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'claimed' });
      });

      it('gives each key to exactly one of two concurrent claimers on separate connections', async () => {
        const other = await open();
        const keys = Array.from({ length: 40 }, (_, i) => `evt-${i}`);
        const results = await Promise.all(
          keys.flatMap((key) => [store.claim('race', key, 'left', MINUTE), other.claim('race', key, 'right', MINUTE)]),
        );
        for (let i = 0; i < keys.length; i += 1) {
          const pair = [results[2 * i]!, results[2 * i + 1]!];
          expect(pair.filter((r) => r.status === 'claimed')).toHaveLength(1);
          expect(pair.filter((r) => r.status === 'in_progress')).toHaveLength(1);
        }
      });

      it('completes claims inside a batch commit, all or nothing', async () => {
        await store.claim('webhook', 'a', 'w1', MINUTE);
        await store.claim('webhook', 'b', 'w2', MINUTE);
        const error = await rejection(
          store.commit({
            claimsDone: [
              { scope: 'webhook', key: 'a', owner: 'w1', retainMs: MINUTE },
              { scope: 'webhook', key: 'b', owner: 'w1', retainMs: MINUTE },
            ],
          }),
        );
        expect(error.code).toBe('CLAIM_NOT_OWNED');
        expect(await store.claim('webhook', 'a', 'w9', MINUTE)).toMatchObject({ status: 'in_progress', owner: 'w1' });
        await store.commit({ claimsDone: [{ scope: 'webhook', key: 'a', owner: 'w1', retainMs: MINUTE }] });
        expect(await store.claim('webhook', 'a', 'w9', MINUTE)).toMatchObject({ status: 'duplicate' });
      });
    });

    describe('id map', () => {
      it('upserts mappings and reads them back by external id, in chunks past any parameter limit', async () => {
        const many = Array.from({ length: 1_200 }, (_, i) => mapping(`ext-${i}`, `T-${i}`, `h-${i}`));
        await store.commit({ idMap: many });
        await store.commit({ idMap: [{ ...mapping('ext-7', 'T-7', 'changed') }] });
        const found = await store.getIdMappings(conn, [...many.map((m) => m.externalId), 'missing']);
        expect(found.size).toBe(1_200);
        expect(found.get('ext-7')).toEqual({
          ...conn,
          externalId: 'ext-7',
          targetId: 'T-7',
          contentHash: 'changed',
          sourceVersion: '2026-01-01T00:00:00Z',
          updatedAt: clock.now(),
        });
        expect(found.get('ext-1199')?.targetId).toBe('T-1199');
        expect(found.has('missing')).toBe(false);
        expect((await store.getIdMappings({ ...conn, source: 'other' }, ['ext-7'])).size).toBe(0);
      });
    });

    describe('outbox', () => {
      it('hands out the oldest due entry per order key, so one key never overtakes itself', async () => {
        const entry = (orderKey: string, n: number) => ({
          connection: 'mes',
          entity: 'downtime',
          orderKey,
          idempotencyKey: `${orderKey}-${n}`,
          payload: { orderKey, n },
        });
        const { outboxIds } = await store.commit({ outbox: [entry('M1', 1), entry('M1', 2), entry('M2', 1)] });
        expect(outboxIds).toHaveLength(3);
        const [a1, a2, b1] = outboxIds as [number, number, number];
        expect((await store.dueOutbox('mes', 10)).map((e) => e.id)).toEqual([a1, b1]);

        await store.commit({
          outboxUpdates: [
            {
              id: a1,
              status: 'pending',
              nextAttemptAt: clock.now() + 5_000,
              error: { code: 'CONNECTION_REFUSED', message: 'down', retryable: true },
            },
          ],
        });
        expect((await store.dueOutbox('mes', 10)).map((e) => e.id)).toEqual([b1]);
        await clock.advance(5_000);
        const due = await store.dueOutbox('mes', 10);
        expect(due.map((e) => e.id)).toEqual([a1, b1]);
        expect(due[0]).toMatchObject({
          attempts: 1,
          lastError: { code: 'CONNECTION_REFUSED' },
          payload: { orderKey: 'M1', n: 1 },
        });

        await store.commit({
          outboxUpdates: [
            { id: a1, status: 'sent' },
            { id: b1, status: 'dead', error: { code: 'HTTP_BAD_REQUEST', message: 'bad', retryable: false } },
          ],
        });
        expect((await store.dueOutbox('mes', 10)).map((e) => e.id)).toEqual([a2]);
        expect((await store.listOutbox({ status: 'dead' })).map((e) => e.id)).toEqual([b1]);
        expect(await store.dueOutbox('other', 10)).toEqual([]);
      });
    });

    describe('dead letters', () => {
      it('lists by scope and status with keyset paging, resolves once, and stores errors redacted', async () => {
        const secretMessage = 'target said: Authorization: Bearer s3cr3t-t0ken-value';
        const { deadLetterIds } = await store.commit({
          deadLetters: [1, 2, 3].map((n) => ({
            scope: n === 3 ? 'other' : 'orders',
            key: `ext-${n}`,
            payload: { n },
            error: { code: 'HTTP_UNPROCESSABLE', message: secretMessage, retryable: false },
            attempts: n,
            jobId: 'job-9',
          })),
        });
        const orders = await store.listDeadLetters({ scope: 'orders', status: 'open' });
        expect(orders.map((d) => d.key)).toEqual(['ext-1', 'ext-2']);
        expect(orders[1]).toMatchObject({ payload: { n: 2 }, attempts: 2, jobId: 'job-9', status: 'open' });
        expect(orders[0]?.error.message).not.toContain('s3cr3t-t0ken-value');
        expect((await store.listDeadLetters({ afterId: deadLetterIds[0]!, limit: 1 })).map((d) => d.key)).toEqual([
          'ext-2',
        ]);

        expect(await store.resolveDeadLetters([deadLetterIds[0]!, deadLetterIds[1]!], 'replayed')).toBe(2);
        expect(await store.resolveDeadLetters([deadLetterIds[0]!], 'replayed')).toBe(0);
        expect((await store.listDeadLetters({ status: 'open' })).map((d) => d.key)).toEqual(['ext-3']);
        expect((await store.listDeadLetters({ status: 'resolved' }))[0]).toMatchObject({
          resolution: 'replayed',
          resolvedAt: clock.now(),
        });
      });
    });

    describe('sync jobs', () => {
      it('keeps counters, per-record errors, status and cancel requests', async () => {
        const job = await store.createJob({
          id: 'job-1',
          connection: 'sap-prd',
          entity: 'work_order',
          kind: 'full',
          params: { mode: 'full', password: 'hunter2-secret' },
        });
        expect(job).toMatchObject({
          status: 'running',
          counters: { read: 0, created: 0 },
          cancelRequested: false,
          startedAt: clock.now(),
        });
        expect(job.params.password).toBe('[REDACTED]');
        expect(
          (await rejection(store.createJob({ id: 'job-1', connection: 'x', entity: 'y', kind: 'full' }))).code,
        ).toBe('CONFIG_INVALID');

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
        const done = await store.updateJob('job-1', {
          status: 'partial',
          error: { code: 'HTTP_UNPROCESSABLE', message: '1 record failed', retryable: false },
        });
        expect(done).toMatchObject({
          status: 'partial',
          cancelRequested: true,
          finishedAt: clock.now(),
          error: { code: 'HTTP_UNPROCESSABLE' },
        });
        expect(await store.requestJobCancel('job-1')).toBe(false);
        expect((await rejection(store.commit({ job: { id: 'nope', counters: { read: 1 } } }))).code).toBe(
          'CONFIG_INVALID',
        );
      });

      it('finds stale running jobs by heartbeat, newest first', async () => {
        await store.createJob({ id: 'old', connection: 'c', entity: 'e', kind: 'incremental' });
        await clock.advance(10 * MINUTE);
        await store.createJob({ id: 'fresh', connection: 'c', entity: 'e', kind: 'incremental' });
        await store.createJob({ id: 'elsewhere', connection: 'd', entity: 'e', kind: 'full' });
        expect((await store.listJobs({ connection: 'c' })).map((j) => j.id)).toEqual(['fresh', 'old']);
        const stale = await store.listJobs({ status: 'running', heartbeatBefore: clock.now() - 5 * MINUTE });
        expect(stale.map((j) => j.id)).toEqual(['old']);
        await store.heartbeatJob('old');
        expect(await store.listJobs({ status: 'running', heartbeatBefore: clock.now() - 5 * MINUTE })).toEqual([]);
      });
    });

    describe('argument checks', () => {
      it('rejects empty keys and non-positive TTLs with CONFIG_INVALID', async () => {
        expect((await rejection(store.claim('webhook', '', 'w', MINUTE))).code).toBe('CONFIG_INVALID');
        expect((await rejection(store.acquireLease('s', 'w', 0))).code).toBe('CONFIG_INVALID');
        expect((await rejection(store.commit({ cursor: { stream: 's', expectedVersion: -1, value: 'x' } }))).code).toBe(
          'CONFIG_INVALID',
        );
      });
    });
  });
}
