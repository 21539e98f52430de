import { FakeClock } from '../../time';
import type { CommitUnit, StateStore } from '../types';
import { describeClaimsContract } from './claims-contract';
import { MINUTE, conn, jobOf, mapping, rejection, type ContractContext } from './contract-helpers';
import { describeDeliveriesContract } from './deliveries-contract';
import { describeJobsContract } from './jobs-contract';
import { describeOutboxContract } from './outbox-contract';
import { describePruneContract } from './prune-contract';

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

    const context: ContractContext = {
      get store() {
        return store;
      },
      get clock() {
        return clock;
      },
      open,
    };

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
        const job = await store.createJob(jobOf('job-1'));
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

    describeClaimsContract(context);
    describeOutboxContract(context);
    describeJobsContract(context);
    describeDeliveriesContract(context);
    describePruneContract(context);

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

      // SQL stores write a commit's mappings a chunk per statement; PostgreSQL refuses one that meets a key twice.
      it('keeps the last of several mappings of one key in a commit, and a missing source version as absent', async () => {
        await store.commit({ idMap: [mapping('1', 'T-old', 'h1')] });
        await clock.advance(1_000);
        await store.commit({
          idMap: [
            mapping('1', 'T-a', 'h2'),
            mapping('2', 'T-2', 'h2'),
            { ...mapping('1', 'T-b', 'h3'), sourceVersion: undefined },
          ],
        });
        const found = await store.getIdMappings(conn, ['1', '2']);
        expect(found.get('1')).toEqual({
          ...conn,
          externalId: '1',
          targetId: 'T-b',
          contentHash: 'h3',
          updatedAt: clock.now(),
        });
        expect(found.get('2')?.targetId).toBe('T-2');
        expect(await store.countIdMappings('sap-prd')).toEqual(new Map([['work_order', 2]]));
      });

      it('counts mappings per entity of a connection, over every source', async () => {
        expect(await store.countIdMappings('sap-prd')).toEqual(new Map());
        await store.commit({
          idMap: [
            mapping('1', 'T1', 'h'),
            mapping('2', 'T2', 'h'),
            { ...mapping('1', 'T1', 'h'), source: 'sap-prd-200' },
            { ...mapping('OP-1', 'T3', 'h'), entity: 'operation' },
            { ...mapping('9', 'T9', 'h'), connection: 'dynamics' },
          ],
        });
        await store.commit({ idMap: [mapping('2', 'T2', 'changed')] });
        expect(await store.countIdMappings('sap-prd')).toEqual(
          new Map([
            ['work_order', 3],
            ['operation', 1],
          ]),
        );
        expect(await store.countIdMappings('dynamics')).toEqual(new Map([['work_order', 1]]));
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
