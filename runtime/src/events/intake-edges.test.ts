import { TaktError } from '../errors';
import { MemoryStateStore } from '../state';
import { FakeClock } from '../time';
import { EventIntake } from './event-intake';
import { intakeReply } from './intake-reply';

describe('EventIntake edges', () => {
  const clock = new FakeClock();
  const store = new MemoryStateStore(clock);

  it('refuses an event without an id before touching the store (KEY_MISSING)', async () => {
    const intake = new EventIntake(store, { scope: 'edges', clock });
    for (const id of ['', 'x'.repeat(256)]) {
      const thrown = await intake.begin({ id, payload: {} }).catch((e: unknown) => e);
      expect(TaktError.is(thrown) && thrown.code).toBe('KEY_MISSING');
    }
  });

  it('refuses options that cannot work', () => {
    expect(() => new EventIntake(store, { scope: '' })).toThrow(/scope/);
    expect(() => new EventIntake(store, { scope: 's', maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => new EventIntake(store, { scope: 's', retentionMs: -1 })).toThrow(/retentionMs/);
  });

  it('waits for a holder when asked, then answers duplicate', async () => {
    const holder = new EventIntake(store, { scope: 'wait', owner: 'h', clock });
    const waiter = new EventIntake(store, { scope: 'wait', owner: 'w', clock, inProgressWaitMs: 1_000 });
    const held = await holder.begin({ id: 'e', payload: 1 });
    const waiting = waiter.begin({ id: 'e', payload: 1 });
    await clock.advance(200);
    if (held.status === 'deliver') await held.delivery.ack({ action: 'created' });
    await clock.advance(100);
    expect(await waiting).toMatchObject({ status: 'duplicate', id: 'e' });
  });

  it('answers 200 for processed, duplicate and dead letters, 409 with Retry-After in flight, 503 to redeliver', () => {
    const error = new TaktError('HTTP_UNAVAILABLE', 'x');
    const now = 1_000_000;
    expect(intakeReply({ status: 'processed', id: 'a', attempt: 1 }, now).status).toBe(200);
    expect(intakeReply({ status: 'duplicate', id: 'a', doneAt: 0 }, now).status).toBe(200);
    expect(intakeReply({ status: 'dead_lettered', id: 'a', attempt: 5, error }, now).status).toBe(200);
    expect(intakeReply({ status: 'failed', id: 'a', attempt: 1, error }, now).status).toBe(503);
    expect(intakeReply({ status: 'in_progress', id: 'a', retryAt: new Date(now + 2_500), error }, now)).toMatchObject({
      status: 409,
      retryAfterSeconds: 3,
    });
  });
});
