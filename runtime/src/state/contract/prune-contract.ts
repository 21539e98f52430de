import { PRUNE_DEFAULT_AGE_MS, type OutboxInsert, type PruneResult } from '../types';
import { MINUTE, jobOf, rejection, type ContractContext } from './contract-helpers';

const NOTHING: PruneResult = { claims: 0, outbox: 0, deliveries: 0, deadLetters: 0, jobs: 0, jobErrors: 0 };
const failure = { code: 'HTTP_BAD_REQUEST', message: 'rejected', retryable: false };
const entry = (orderKey: string): OutboxInsert => ({
  connection: 'mes',
  entity: 'job',
  orderKey,
  idempotencyKey: `${orderKey}-1`,
  payload: { orderKey },
});

export function describePruneContract(t: ContractContext): void {
  describe('prune', () => {
    it('deletes claims past their expiry, keeps live ones, and a pruned done key can be claimed again', async () => {
      const { store, clock } = t;
      await store.claim('webhook', 'done-old', 'w1', MINUTE);
      await store.completeClaim('webhook', 'done-old', 'w1', MINUTE);
      await store.claim('webhook', 'released', 'w1', MINUTE);
      await store.releaseClaim('webhook', 'released', 'w1', failure);
      await store.claim('webhook', 'orphan', 'w1', MINUTE);
      await store.claim('webhook', 'done-retained', 'w1', MINUTE);
      await store.completeClaim('webhook', 'done-retained', 'w1', 60 * MINUTE);
      await clock.advance(2 * MINUTE);
      await store.claim('webhook', 'live', 'w2', 10 * MINUTE);

      // A cutoff in the future is capped at now: a retained done claim and a live claim are never deleted.
      const result = await store.prune({ claimsBefore: clock.now() + 24 * 60 * MINUTE });
      expect(result).toEqual({ ...NOTHING, claims: 3 });

      expect(await store.claim('webhook', 'done-retained', 'w3', MINUTE)).toMatchObject({ status: 'duplicate' });
      expect(await store.claim('webhook', 'live', 'w3', MINUTE)).toMatchObject({ status: 'in_progress', owner: 'w2' });
      expect(await store.claim('webhook', 'done-old', 'w3', MINUTE)).toEqual({
        status: 'claimed',
        expiresAt: clock.now() + MINUTE,
        attempts: 0,
      });
      expect(await store.claim('webhook', 'released', 'w3', MINUTE)).toMatchObject({ status: 'claimed', attempts: 0 });
      expect(await store.prune({ claimsBefore: clock.now() })).toEqual(NOTHING);
    });

    it('deletes sent outbox entries only, and only those updated before the cutoff', async () => {
      const { store, clock } = t;
      const { outboxIds } = await store.commit({ outbox: [entry('sent-old'), entry('pending'), entry('dead')] });
      const [sentOld, pending, dead] = outboxIds as [number, number, number];
      await store.commit({
        outboxUpdates: [
          { id: sentOld, revision: 1, status: 'sent' },
          { id: dead, revision: 1, status: 'dead', error: failure },
        ],
      });
      await clock.advance(MINUTE);
      const cutoff = clock.now();
      const { outboxIds: later } = await store.commit({ outbox: [entry('sent-new')] });
      await store.commit({ outboxUpdates: [{ id: later[0]!, revision: 1, status: 'sent' }] });
      await clock.advance(MINUTE);

      expect(await store.prune({ outboxSentBefore: cutoff })).toEqual({ ...NOTHING, outbox: 1 });
      expect((await store.listOutbox({})).map((e) => e.id)).toEqual([pending, dead, later[0]]);
      expect(await store.prune({ outboxSentBefore: cutoff })).toEqual(NOTHING);
    });

    it('deletes acked deliveries acked before the cutoff and pending ones that expired before it', async () => {
      const { store, clock } = t;
      const at = (token: string, expiresAt: number) => ({ token, stream: 's1', commit: {}, records: 1, expiresAt });
      await store.createDelivery(at('acked-old', clock.now() + MINUTE));
      await store.ackDelivery('acked-old');
      await store.createDelivery(at('expired', clock.now() + MINUTE));
      await store.createDelivery(at('pending', clock.now() + 60 * MINUTE));
      await clock.advance(2 * MINUTE);
      await store.createDelivery(at('acked-new', clock.now() + MINUTE));
      await store.ackDelivery('acked-new');

      // The cutoff passes the pending delivery's expiry but is capped at now for pending ones: it stays.
      const result = await store.prune({ deliveriesBefore: clock.now() });
      expect(result).toEqual({ ...NOTHING, deliveries: 2 });
      expect(await store.getDelivery('acked-old')).toBeUndefined();
      expect(await store.getDelivery('expired')).toBeUndefined();
      expect(await store.getDelivery('pending')).toMatchObject({ status: 'pending' });
      expect(await store.getDelivery('acked-new')).toMatchObject({ status: 'acked' });
      expect(await store.prune({ deliveriesBefore: clock.now() + 24 * 60 * MINUTE })).toEqual({
        ...NOTHING,
        deliveries: 1,
      });
      expect(await store.getDelivery('pending')).toMatchObject({ status: 'pending' });
      expect(await store.ackDelivery('acked-new')).toEqual({ status: 'unknown' });
    });

    it('deletes resolved dead letters resolved before the cutoff, never open ones', async () => {
      const { store, clock } = t;
      const dl = (key: string) => ({ scope: 's1', key, payload: { key }, error: failure, attempts: 3 });
      const { deadLetterIds } = await store.commit({ deadLetters: [dl('a'), dl('b'), dl('c')] });
      const [a, b, c] = deadLetterIds as [number, number, number];
      await store.resolveDeadLetters([a], 'replayed');
      await clock.advance(MINUTE);
      const cutoff = clock.now();
      await store.resolveDeadLetters([b], 'ignored');
      await clock.advance(MINUTE);

      expect(await store.prune({ deadLettersResolvedBefore: cutoff })).toEqual({ ...NOTHING, deadLetters: 1 });
      expect((await store.listDeadLetters({})).map((d) => [d.id, d.status])).toEqual([
        [b, 'resolved'],
        [c, 'open'],
      ]);
      expect(await store.prune({ deadLettersResolvedBefore: clock.now() + MINUTE })).toEqual({
        ...NOTHING,
        deadLetters: 1,
      });
      expect((await store.listDeadLetters({})).map((d) => d.id)).toEqual([c]);
    });

    it('deletes finished jobs with their record errors, never pending or running ones', async () => {
      const { store, clock } = t;
      for (const id of ['failed', 'success', 'running', 'pending', 'recent']) await store.createJob(jobOf(id));
      for (const id of ['failed', 'success', 'running', 'recent']) await store.updateJob(id, { status: 'in_progress' });
      await store.commit({
        job: { id: 'failed', errors: [0, 1].map((recordIndex) => ({ recordIndex, ...failure })) },
      });
      await store.commit({ job: { id: 'recent', errors: [{ recordIndex: 0, ...failure }] } });
      await store.updateJob('failed', { status: 'failed' });
      await store.updateJob('success', { status: 'success' });
      await clock.advance(MINUTE);
      await store.updateJob('recent', { status: 'failed' });

      expect(await store.prune({ jobsFinishedBefore: clock.now() })).toEqual({ ...NOTHING, jobs: 2, jobErrors: 2 });
      expect((await store.listJobs({})).map((j) => j.id).sort()).toEqual(['pending', 'recent', 'running']);
      expect(await store.listJobErrors('failed')).toEqual([]);
      expect(await store.listJobErrors('recent')).toHaveLength(1);
      expect(await store.prune({ jobsFinishedBefore: clock.now() })).toEqual(NOTHING);
    });

    it('defaults every cutoff to 30 days ago and keeps anything younger', async () => {
      const { store, clock } = t;
      await store.claim('webhook', 'done', 'w1', MINUTE);
      await store.completeClaim('webhook', 'done', 'w1', MINUTE);
      const { outboxIds, deadLetterIds } = await store.commit({
        outbox: [entry('o')],
        deadLetters: [{ scope: 's1', key: 'k', payload: {}, error: failure, attempts: 1 }],
      });
      await store.commit({ outboxUpdates: [{ id: outboxIds[0]!, revision: 1, status: 'sent' }] });
      await store.resolveDeadLetters(deadLetterIds, 'fixed');
      await store.createDelivery({ token: 'tok', stream: 's1', commit: {}, records: 1, expiresAt: clock.now() });
      await store.createJob(jobOf('j'));
      await store.updateJob('j', { status: 'skipped' });

      await clock.advance(PRUNE_DEFAULT_AGE_MS);
      expect(await store.prune()).toEqual(NOTHING);
      await clock.advance(MINUTE + 1);
      expect(await store.prune()).toEqual({
        claims: 1,
        outbox: 1,
        deliveries: 1,
        deadLetters: 1,
        jobs: 1,
        jobErrors: 0,
      });
      expect(await store.prune()).toEqual(NOTHING);
    });

    it('rejects a cutoff that is not a number of milliseconds', async () => {
      const error = await rejection(t.store.prune({ jobsFinishedBefore: Number.NaN }));
      expect(error.code).toBe('CONFIG_INVALID');
    });
  });
}
