import { TaktError } from '../errors';
import { describeOnEveryStore } from '../jobs/__fixtures__/store-backings';
import { systemClock } from '../time';
import { EventIntake } from './event-intake';
import { intakeReply } from './intake-reply';
import type { ProcessResult } from './intake-types';

const MINUTE = 60_000;

/** Counts how often each event's handler ran to completion: the effects the intake must keep at one. */
function effects(): { apply: (id: string) => void; count: Map<string, number>; total: () => number } {
  const count = new Map<string, number>();
  return {
    count,
    apply: (id) => count.set(id, (count.get(id) ?? 0) + 1),
    total: () => [...count.values()].reduce((a, b) => a + b, 0),
  };
}

describeOnEveryStore('event intake', (backing) => {
  describe('T5 orphaned claim', () => {
    it('answers in_progress until the claim TTL, then processes the event once', async () => {
      const clock = backing.clock;
      const crashed = new EventIntake(await backing.open(), {
        scope: 'hook',
        owner: 'A',
        claimTtlMs: 5 * MINUTE,
        clock,
      });
      const begun = await crashed.begin({ id: 'evt-1', payload: { n: 1 } });
      expect(begun.status).toBe('deliver'); // …and the worker dies before ACK or NACK

      const other = new EventIntake(await backing.open(), { scope: 'hook', owner: 'B', claimTtlMs: 5 * MINUTE, clock });
      const applied = effects();
      const handler = (payload: unknown): void => applied.apply(JSON.stringify(payload));
      const early = await other.process({ id: 'evt-1', payload: { n: 1 } }, handler);
      expect(early).toMatchObject({ status: 'in_progress', retryAt: new Date(clock.now() + 5 * MINUTE) });
      if (early.status === 'in_progress') expect(early.error.code).toBe('EVENT_IN_PROGRESS');
      expect(intakeReply(early, clock.now())).toEqual({
        status: 409,
        retryAfterSeconds: 300,
        body: { status: 'in_progress', id: 'evt-1' },
      });

      await clock.advance(5 * MINUTE - 1);
      expect((await other.process({ id: 'evt-1', payload: { n: 1 } }, handler)).status).toBe('in_progress');
      await clock.advance(2);
      expect(await other.process({ id: 'evt-1', payload: { n: 1 } }, handler)).toEqual({
        status: 'processed',
        id: 'evt-1',
        attempt: 1,
      });
      expect((await other.process({ id: 'evt-1', payload: { n: 1 } }, handler)).status).toBe('duplicate');
      expect(applied.total()).toBe(1);

      // The crashed worker's late ACK cannot mark anything: the claim changed hands.
      const late = begun.status === 'deliver' ? await begun.delivery.ack().catch((e: unknown) => e) : undefined;
      expect(TaktError.is(late) && late.code).toBe('CLAIM_NOT_OWNED');
    });
  });

  describe('T7 failure then redelivery', () => {
    it('releases the claim on a failed delivery so the redelivery processes it; a third is a no-op', async () => {
      const store = await backing.open();
      const intake = new EventIntake(store, { scope: 'hook', clock: backing.clock });
      const applied = effects();
      let targetCalls = 0;
      const handler = (): void => {
        targetCalls += 1;
        // The target answered 500 three times: the per-delivery retries are spent.
        if (targetCalls === 1) throw new TaktError('HTTP_SERVER_ERROR', 'MES answered 500 three times');
        applied.apply('evt-7');
      };
      const first = await intake.process({ id: 'evt-7', payload: {} }, handler);
      expect(first).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'HTTP_SERVER_ERROR' } });
      expect(intakeReply(first, backing.clock.now()).status).toBe(503);

      const begun = await intake.begin({ id: 'evt-7', payload: {} });
      if (begun.status !== 'deliver') throw new Error(`expected a delivery, got ${begun.status}`);
      expect(begun.delivery.attempt).toBe(2);
      expect(begun.delivery.lastError?.code).toBe('HTTP_SERVER_ERROR');
      handler();
      expect(await begun.delivery.ack()).toBe('processed');
      expect(await begun.delivery.ack()).toBe('processed'); // a repeated ACK changes nothing

      const third = await intake.process({ id: 'evt-7', payload: {} }, handler);
      expect(third.status).toBe('duplicate');
      expect(intakeReply(third, backing.clock.now()).status).toBe(200);
      expect([applied.total(), targetCalls]).toEqual([1, 2]);
      expect(await store.listDeadLetters({ scope: 'hook' })).toEqual([]);
    });

    it('dead-letters a retryable failure on its last attempt, and the id then answers duplicate', async () => {
      const store = await backing.open();
      const intake = new EventIntake(store, { scope: 'hook', maxAttempts: 3, clock: backing.clock });
      const failing = (): never => {
        throw new TaktError('HTTP_UNAVAILABLE', 'MES 503');
      };
      const statuses: ProcessResult['status'][] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await intake.process({ id: 'e', payload: { a: 1 } }, failing)).status);
      expect(statuses).toEqual(['failed', 'failed', 'dead_lettered', 'duplicate']);
      const [letter, ...more] = await store.listDeadLetters({ scope: 'hook', status: 'open' });
      expect(more).toEqual([]);
      expect(letter).toMatchObject({ key: 'e', attempts: 3, payload: { a: 1 }, error: { code: 'HTTP_UNAVAILABLE' } });
    });

    it('a thrown non-Takt error is INTERNAL and not retried', async () => {
      const store = await backing.open();
      const intake = new EventIntake(store, { scope: 'hook', clock: backing.clock });
      const result = await intake.process({ id: 'x', payload: null }, () => {
        throw new RangeError('bug in a flow');
      });
      expect(result).toMatchObject({ status: 'dead_lettered', attempt: 1, error: { code: 'INTERNAL' } });
    });
  });

  describe('T6 same event twice at the same instant (two intakes in one process)', () => {
    it('200 events delivered to two workers at once: 200 effects, 200 processed, 200 duplicate', async () => {
      const workers = [
        new EventIntake(await backing.open(), {
          scope: 't6',
          owner: 'w1',
          inProgressWaitMs: 20_000,
          inProgressPollMs: 5,
        }),
        new EventIntake(await backing.open(), {
          scope: 't6',
          owner: 'w2',
          inProgressWaitMs: 20_000,
          inProgressPollMs: 5,
        }),
      ];
      const applied = effects();
      const handler = async (payload: unknown): Promise<void> => {
        await systemClock.sleep(1); // keeps the first delivery in flight while the second arrives
        applied.apply(String((payload as { n: number }).n));
      };
      const events = Array.from({ length: 200 }, (_, n) => ({ id: `evt-${n}`, payload: { n } }));
      const results = await Promise.all(
        events.flatMap((event) => workers.map((worker) => worker.process(event, handler))),
      );
      const tally = (status: string): number => results.filter((r) => r.status === status).length;
      process.stdout.write(
        `T6 in-process [${backing.kind}]: effects ${applied.total()}, processed ${tally('processed')}, ` +
          `duplicate ${tally('duplicate')}\n`,
      );
      expect([applied.total(), applied.count.size, tally('processed'), tally('duplicate')]).toEqual([
        200, 200, 200, 200,
      ]);
    });
  });
});
