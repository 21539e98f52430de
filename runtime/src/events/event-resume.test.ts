import { TaktError } from '../errors';
import { MemoryStateStore } from '../state/memory/memory-state-store';
import { FakeClock } from '../time';
import { EventIntake } from './event-intake';

describe('EventIntake.resume: settling a claimed event in a later step', () => {
  it('a second intake with the same owner acks what the first claimed; the id then answers duplicate', async () => {
    const clock = new FakeClock(1_000_000);
    const store = new MemoryStateStore(clock);
    const receiving = new EventIntake(store, { scope: 'hooks', owner: 'w-1', clock });
    const begun = await receiving.begin({ id: 'e-1', payload: { a: 1 } });
    expect(begun.status).toBe('deliver');

    const later = new EventIntake(store, { scope: 'hooks', owner: 'w-1', clock });
    const delivery = later.resume({ id: 'e-1', payload: { a: 1 } }, 1);
    expect([delivery.id, delivery.attempt, delivery.payload]).toEqual(['e-1', 1, { a: 1 }]);
    expect(await delivery.ack()).toBe('processed');
    expect(await receiving.begin({ id: 'e-1', payload: { a: 1 } })).toMatchObject({ status: 'duplicate' });
  });

  it('nack on the last attempt dead-letters the payload it was given', async () => {
    const store = new MemoryStateStore();
    const intake = new EventIntake(store, { scope: 'hooks', owner: 'w-1', maxAttempts: 2 });
    await intake.begin({ id: 'e-2', payload: null });
    const outcome = await intake
      .resume({ id: 'e-2', payload: { kept: true } }, 2)
      .nack(new TaktError('HTTP_UNAVAILABLE', 'MES down'));
    expect(outcome).toBe('dead_lettered');
    expect((await store.listDeadLetters({ scope: 'hooks' })).map((dl) => [dl.key, dl.payload, dl.attempts])).toEqual([
      ['e-2', { kept: true }, 2],
    ]);
  });

  it('another owner cannot settle the claim, and a bad attempt is refused', async () => {
    const store = new MemoryStateStore();
    await new EventIntake(store, { scope: 'hooks', owner: 'w-1' }).begin({ id: 'e-3', payload: null });
    const stranger = new EventIntake(store, { scope: 'hooks', owner: 'w-2' });
    await expect(stranger.resume({ id: 'e-3', payload: null }, 1).ack()).rejects.toMatchObject({
      code: 'CLAIM_NOT_OWNED',
    });
    expect(() => stranger.resume({ id: 'e-3', payload: null }, 0)).toThrow(
      "An event delivery's attempt is a whole number from 1, not 0.",
    );
  });
});
