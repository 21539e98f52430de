import { TaktError, isErrorCode } from '../errors';
import { describeOnEveryStore } from '../jobs/__fixtures__/store-backings';
import { jobView, startJob } from '../jobs';
import { compileMapping } from '../mapping';
import { FakeTarget } from '../testing/fake-target';
import { EventIntake } from './event-intake';
import type { ProcessResult } from './intake-types';
import { replay } from './replay';

interface OrderEvent {
  readonly id: string;
  readonly Qty: string;
}

const mapping = compileMapping(
  {
    name: 'event→work_order',
    canonical: 'work_order',
    fields: [
      { canonical: 'external_id', erp: 'id', type: 'STRING', key: true },
      { canonical: 'quantity', expression: '$number(Qty)', type: 'DECIMAL' },
    ],
  },
  { direction: 'inbound' },
);

/** Maps an event and upserts it into the target, keyed by event id so a repeated write is recognised. */
function applier(target: FakeTarget): (payload: unknown) => Promise<{ action: 'created' | 'updated' }> {
  return async (payload) => {
    const mapped = await mapping.map(payload, 0);
    if (!mapped.ok) {
      const issue = mapped.issues[0];
      const code = issue && isErrorCode(issue.code) ? issue.code : 'RECORD_INVALID';
      throw new TaktError(code, `${issue?.path ?? ''}: ${issue?.message ?? 'mapping failed'}`, {
        details: { path: issue?.path },
      });
    }
    const key = String(mapped.output['external_id']);
    const [result] = await target.write('work_order', [{ data: mapped.output, idempotencyKey: `evt:${key}` }], {
      mode: 'upsert',
    });
    if (!result || result.action === 'error' || result.action === 'conflict') {
      const code = result?.error && isErrorCode(result.error.code) ? result.error.code : 'INTERNAL';
      throw new TaktError(code, result?.error?.message ?? 'no result'); // the table decides retryable (503: yes)
    }
    return { action: result.action === 'created' ? 'created' : 'updated' };
  };
}

const orders = (n: number): OrderEvent[] =>
  Array.from({ length: n }, (_, i) => ({ id: `evt-${String(i).padStart(3, '0')}`, Qty: String(i + 1) }));

describeOnEveryStore('poison and replay', (backing) => {
  describe('T11 poison message', () => {
    it('dead-letters the one event whose mapping throws, with code and attempts; the other 99 apply', async () => {
      const store = await backing.open();
      const target = new FakeTarget([{ name: 'work_order', keyFields: ['external_id'] }]);
      const job = await startJob(store, {
        connection: 'mes',
        entity: 'work_order',
        kind: 'events',
        direction: 'inbound',
      });
      const intake = new EventIntake(store, { scope: 't11', jobRun: job, clock: backing.clock });
      const events = orders(100).map((e, i) => (i === 37 ? { ...e, Qty: 'abc' } : e));
      const results: ProcessResult[] = [];
      for (const e of events) results.push(await intake.process({ id: e.id, payload: e }, applier(target)));

      expect(results.filter((r) => r.status === 'processed')).toHaveLength(99);
      expect(results[37]).toMatchObject({ status: 'dead_lettered', attempt: 1 });
      const letters = await store.listDeadLetters({ scope: 't11', status: 'open' });
      expect(letters.map((l) => [l.key, l.error.code, l.attempts, l.jobId])).toEqual([
        ['evt-037', 'MAPPING_EXPRESSION_FAILED', 1, job.id],
      ]);
      expect(letters[0]?.error.message).toContain('quantity');
      expect(target.totalEffects()).toBe(99);
      expect(target.get('work_order', 'evt-037')).toBeUndefined();
      const done = jobView(await job.finish(), backing.clock.now());
      expect([done.status, done.counters.read, done.success, done.errorCount]).toEqual(['failed', 100, 99, 1]);
      expect(await store.listJobErrors(job.id)).toMatchObject([
        { recordIndex: 37, externalId: 'evt-037', code: 'MAPPING_EXPRESSION_FAILED', payload: { Qty: 'abc' } },
      ]);
      // A redelivery of the poison event is not retried: it waits in the dead letter for a fix and a replay.
      expect((await intake.process({ id: 'evt-037', payload: events[37] }, applier(target))).status).toBe('duplicate');
    });
  });

  describe('T12 ACK and replay of failed events', () => {
    it('10 of 100 fail with 503 until a toggle flips; replay applies them once, a second replay does nothing', async () => {
      const store = await backing.open();
      const target = new FakeTarget([{ name: 'work_order', keyFields: ['external_id'] }]);
      const failing = new Set(
        orders(100)
          .filter((_, i) => i % 10 === 3)
          .map((e) => e.id),
      );
      let targetFixed = false;
      target.reject = (_entity, data) =>
        !targetFixed && failing.has(String(data['external_id']))
          ? { code: 'HTTP_UNAVAILABLE', message: 'MES answered 503' }
          : undefined;
      const intake = new EventIntake(store, { scope: 't12', maxAttempts: 3, clock: backing.clock });

      // The sender delivers every event and redelivers while the answer is not 2xx.
      for (const e of orders(100)) {
        let result = await intake.process({ id: e.id, payload: e }, applier(target));
        while (result.status === 'failed') {
          await backing.clock.advance(60_000);
          result = await intake.process({ id: e.id, payload: e }, applier(target));
        }
      }
      const letters = await store.listDeadLetters({ scope: 't12', status: 'open' });
      expect(letters.map((l) => l.key).sort()).toEqual([...failing].sort());
      expect(letters.every((l) => l.attempts === 3 && l.error.code === 'HTTP_UNAVAILABLE')).toBe(true);
      expect(target.totalEffects()).toBe(90);

      targetFixed = true;
      const replayed: string[] = [];
      const apply = applier(target);
      const handler = async (payload: unknown): Promise<void> => {
        replayed.push((payload as OrderEvent).id);
        await apply(payload);
      };
      const first = await replay(store, { scope: 't12' }, handler, { connection: 'mes', clock: backing.clock });
      expect([first.replayed, first.failed, first.skipped]).toEqual([10, 0, 0]);
      expect(replayed.sort()).toEqual([...failing].sort());
      if (!first.job) throw new Error('replay did not report its job');
      const log = jobView(first.job, backing.clock.now());
      process.stdout.write(
        `T12 [${backing.kind}]: replay job ${log.kind} success/error/skip ${log.success}/${log.errorCount}/${log.skip}\n`,
      );
      expect([log.kind, log.status, log.success, log.errorCount, log.skip]).toEqual(['replay', 'success', 10, 0, 0]);
      expect(await store.listDeadLetters({ scope: 't12', status: 'open' })).toEqual([]);
      const resolved = await store.listDeadLetters({ scope: 't12', status: 'resolved' });
      expect(resolved.map((l) => l.resolution)).toEqual(Array(10).fill('replayed'));

      const second = await replay(store, { scope: 't12' }, handler, { connection: 'mes', clock: backing.clock });
      expect([second.replayed, second.failed, second.skipped, second.items.length]).toEqual([0, 0, 0, 0]);
      expect(replayed).toHaveLength(10); // the 90 that succeeded were never replayed, the 10 only once
      expect(target.totalEffects()).toBe(100);
      expect([...target.effects.values()].every((n) => n === 1)).toBe(true);
      // A late copy from the sender still answers duplicate: the claim stayed done through the replay.
      const late = orders(100).find((e) => failing.has(e.id));
      if (late) expect((await intake.process({ id: late.id, payload: late }, apply)).status).toBe('duplicate');
    });

    it('two replays at once apply each dead letter once', async () => {
      const store = await backing.open();
      const intake = new EventIntake(store, { scope: 'both', maxAttempts: 1, clock: backing.clock });
      for (let i = 0; i < 10; i += 1) {
        await intake.process({ id: `e${i}`, payload: { i } }, () => {
          throw new TaktError('HTTP_UNAVAILABLE', 'down');
        });
      }
      const calls = new Map<number, number>();
      const handler = async (payload: unknown): Promise<void> => {
        const { i } = payload as { i: number };
        calls.set(i, (calls.get(i) ?? 0) + 1);
        await new Promise((resolve) => setImmediate(resolve));
      };
      const other = await backing.open();
      const [a, b] = await Promise.all([
        replay(store, { scope: 'both' }, handler, { owner: 'a' }),
        replay(other, { scope: 'both' }, handler, { owner: 'b' }),
      ]);
      expect(a.replayed + b.replayed).toBe(10);
      expect(a.skipped + b.skipped + a.replayed + b.replayed).toBe(20);
      expect([...calls.values()]).toEqual(Array(10).fill(1));
    });

    it('a replay that fails again leaves the dead letter open and logs the new error', async () => {
      const store = await backing.open();
      const intake = new EventIntake(store, { scope: 'again', maxAttempts: 1, clock: backing.clock });
      await intake.process({ id: 'a', payload: { id: 'a' } }, () => {
        throw new TaktError('HTTP_UNAVAILABLE', 'down');
      });
      await intake.process({ id: 'b', payload: { id: 'b' } }, () => {
        throw new TaktError('HTTP_UNAVAILABLE', 'down');
      });
      const result = await replay(
        store,
        { scope: 'again', keys: ['a'] },
        () => Promise.reject(new TaktError('HTTP_BAD_REQUEST', 'still refused')),
        { clock: backing.clock },
      );
      expect([result.replayed, result.failed]).toEqual([0, 1]);
      expect(result.job?.status).toBe('failed');
      expect(await store.listJobErrors(result.jobId)).toMatchObject([{ externalId: 'a', code: 'HTTP_BAD_REQUEST' }]);
      const open = await store.listDeadLetters({ scope: 'again', status: 'open' });
      expect(open.map((l) => l.key)).toEqual(['a', 'b']);
      const byId = await replay(store, { scope: 'again', ids: [open[1]?.id ?? -1] }, () => undefined);
      expect(byId.items.map((i) => [i.key, i.status])).toEqual([['b', 'replayed']]);
    });
  });
});
