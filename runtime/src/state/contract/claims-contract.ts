import { MINUTE, rejection, type ContractContext } from './contract-helpers';

const timeout = { code: 'HTTP_TIMEOUT', message: 'target did not answer', retryable: true };

export function describeClaimsContract(t: ContractContext): void {
  describe('dedup claims', () => {
    it('lets exactly one owner claim a key; a done key reports duplicate', async () => {
      const { store, clock } = t;
      expect(await store.claim('webhook', 'evt-1', 'w1', MINUTE)).toEqual({
        status: 'claimed',
        expiresAt: clock.now() + MINUTE,
        attempts: 0,
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
      const { store, clock } = t;
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      await clock.advance(MINUTE);
      expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'claimed', attempts: 0 });
      expect((await rejection(store.completeClaim('webhook', 'evt-1', 'w1', MINUTE))).code).toBe('CLAIM_NOT_OWNED');
      expect(await store.releaseClaim('webhook', 'evt-1', 'w1', timeout)).toBe(false);
      expect(await store.claim('webhook', 'evt-1', 'w3', MINUTE)).toMatchObject({
        status: 'in_progress',
        owner: 'w2',
      });
    });

    it('lets a released claim be claimed again at once, counting nothing without a failure', async () => {
      const { store } = t;
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      expect(await store.releaseClaim('webhook', 'evt-1', 'w1')).toBe(true);
      expect(await store.releaseClaim('webhook', 'evt-1', 'w1')).toBe(false);
      expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toEqual({
        status: 'claimed',
        expiresAt: t.clock.now() + MINUTE,
        attempts: 0,
      });
    });

    it('counts failed attempts across release and claim, by any worker, with the last error redacted', async () => {
      const { store, clock } = t;
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      expect(await store.releaseClaim('webhook', 'evt-1', 'w1', timeout)).toBe(true);
      expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toEqual({
        status: 'claimed',
        expiresAt: clock.now() + MINUTE,
        attempts: 1,
        lastError: timeout,
      });
      const secret = { code: 'AUTH_FAILED', message: 'rejected Authorization: Bearer s3cr3t-t0ken', retryable: false };
      await store.releaseClaim('webhook', 'evt-1', 'w2', secret);
      const third = await store.claim('webhook', 'evt-1', 'w3', MINUTE);
      expect(third).toMatchObject({ status: 'claimed', attempts: 2, lastError: { code: 'AUTH_FAILED' } });
      expect(third.status === 'claimed' && third.lastError?.message).not.toContain('s3cr3t-t0ken');

      // A release without a failure (a shutdown, say) keeps the count and the last error as they were.
      await store.releaseClaim('webhook', 'evt-1', 'w3');
      expect(await store.claim('webhook', 'evt-1', 'w4', MINUTE)).toMatchObject({
        attempts: 2,
        lastError: { code: 'AUTH_FAILED' },
      });
      // So does a crash: the claim expires, the count stays.
      await clock.advance(MINUTE);
      expect(await store.claim('webhook', 'evt-1', 'w5', MINUTE)).toMatchObject({ status: 'claimed', attempts: 2 });
    });

    it('reports a released key as in progress to others once it is claimed again', async () => {
      const { store } = t;
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      await store.releaseClaim('webhook', 'evt-1', 'w1', timeout);
      await store.claim('webhook', 'evt-1', 'w2', MINUTE);
      expect(await store.claim('webhook', 'evt-1', 'w3', MINUTE)).toMatchObject({
        status: 'in_progress',
        owner: 'w2',
      });
      expect((await rejection(store.completeClaim('webhook', 'evt-1', 'w1', MINUTE))).code).toBe('CLAIM_NOT_OWNED');
    });

    it('forgets a done key after its retention, and its attempts with it', async () => {
      const { store, clock } = t;
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      await store.releaseClaim('webhook', 'evt-1', 'w1', timeout);
      await store.claim('webhook', 'evt-1', 'w1', MINUTE);
      await store.completeClaim('webhook', 'evt-1', 'w1', 10 * MINUTE);
      await clock.advance(10 * MINUTE - 1);
      expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toMatchObject({ status: 'duplicate' });
      await clock.advance(1);
      expect(await store.claim('webhook', 'evt-1', 'w2', MINUTE)).toEqual({
        status: 'claimed',
        expiresAt: clock.now() + MINUTE,
        attempts: 0,
      });
    });

    it('gives each key to exactly one of two concurrent claimers on separate connections', async () => {
      const { store } = t;
      const other = await t.open();
      const keys = Array.from({ length: 40 }, (_, i) => `evt-${i}`);
      // Half the keys were released after a failure first: taking a released row must be just as exclusive.
      for (const key of keys.slice(0, 20)) {
        await store.claim('race', key, 'first', MINUTE);
        await store.releaseClaim('race', key, 'first', timeout);
      }
      const results = await Promise.all(
        keys.flatMap((key) => [store.claim('race', key, 'left', MINUTE), other.claim('race', key, 'right', MINUTE)]),
      );
      for (let i = 0; i < keys.length; i += 1) {
        const pair = [results[2 * i]!, results[2 * i + 1]!];
        expect(pair.filter((r) => r.status === 'claimed')).toHaveLength(1);
        expect(pair.filter((r) => r.status === 'in_progress')).toHaveLength(1);
        expect(pair.find((r) => r.status === 'claimed')).toMatchObject({ attempts: i < 20 ? 1 : 0 });
      }
    });

    it('completes claims inside a batch commit, all or nothing', async () => {
      const { store } = t;
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

    it('does not complete a released claim', async () => {
      const { store } = t;
      await store.claim('webhook', 'a', 'w1', MINUTE);
      await store.releaseClaim('webhook', 'a', 'w1', timeout);
      expect((await rejection(store.completeClaim('webhook', 'a', 'w1', MINUTE))).code).toBe('CLAIM_NOT_OWNED');
    });
  });
}
