import { TaktError } from '../errors';
import { describeOnEveryStore } from '../jobs/__fixtures__/store-backings';
import type { StateStore } from '../state';
import { FakeTarget } from '../testing/fake-target';
import { EventIntake } from './event-intake';
import type { ProcessResult } from './intake-types';

/** The store behind a switch: while down every call fails, as an unreachable database does. */
function switchable(store: StateStore, failure: () => unknown): { store: StateStore; down: boolean } {
  const state = { down: false, store };
  state.store = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (state.down) return Promise.reject(failure());
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return state;
}

const CLAIM_TTL = 5 * 60_000;

describeOnEveryStore('intake with the store unreachable', (backing) => {
  describe('T25(b) fail closed', () => {
    const failures: [string, () => unknown][] = [
      ['a TaktError STORE_UNAVAILABLE', () => new TaktError('STORE_UNAVAILABLE', 'database unreachable')],
      [
        'a raw driver error',
        () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ],
    ];
    it.each(failures)(
      'with %s: throws, acknowledges nothing, and resumes with no loss and no duplicate',
      async (_, failure) => {
        const clock = backing.clock;
        const gate = switchable(await backing.open(), failure);
        const target = new FakeTarget([{ name: 'event', keyFields: ['id'] }]);
        const intake = new EventIntake(gate.store, { scope: 't25', claimTtlMs: CLAIM_TTL, clock });
        let handlerRuns = 0;
        let dropAfter: string | undefined = 'e070';
        const handler = async (payload: unknown): Promise<void> => {
          handlerRuns += 1;
          const { id } = payload as { id: string };
          // Event 70's effect lands, then the store goes away before its ACK.
          await target.write('event', [{ data: { id }, idempotencyKey: `evt:${id}` }], { mode: 'upsert' });
          if (id === dropAfter) {
            dropAfter = undefined;
            gate.down = true;
          }
        };
        const ids = Array.from({ length: 100 }, (_, i) => `e${String(i).padStart(3, '0')}`);
        const answered = new Map<string, ProcessResult['status']>();
        const thrown = new Map<string, string>();
        const send = async (id: string): Promise<void> => {
          try {
            answered.set(id, (await intake.process({ id, payload: { id } }, handler)).status);
          } catch (error) {
            thrown.set(id, TaktError.is(error) ? error.code : 'not a TaktError');
          }
        };

        for (const id of ids.slice(0, 40)) await send(id);
        gate.down = true;
        for (const id of ids.slice(40, 70)) await send(id);
        expect(handlerRuns).toBe(40); // nothing was handed to the handler while the dedup lookup failed
        gate.down = false;
        await send('e070');
        for (const id of ids.slice(71)) await send(id); // the store is down again from e070's handler on

        expect(answered.size).toBe(40);
        expect(thrown.size).toBe(60);
        expect(new Set(thrown.values())).toEqual(new Set(['STORE_UNAVAILABLE']));
        expect(target.totalEffects()).toBe(41); // e000–e039 and e070, whose ACK failed

        // Recovery: the sender redelivers everything it got no 2xx for, and some copies of what it did.
        gate.down = false;
        answered.clear();
        for (const id of ids) await send(id);
        expect(answered.get('e070')).toBe('in_progress'); // its claim waits out the TTL of the lost ACK
        await clock.advance(CLAIM_TTL + 1);
        await send('e070');
        const statuses = [...answered.values()];
        const count = (status: string): number => statuses.filter((s) => s === status).length;
        process.stdout.write(
          `T25(b) [${backing.kind}]: after recovery processed ${count('processed')}, duplicate ${count('duplicate')}, ` +
            `effects ${target.totalEffects()}\n`,
        );
        expect([count('processed'), count('duplicate'), thrown.size]).toEqual([60, 40, 60]);
        expect(target.totalEffects()).toBe(100);
        expect([...target.effects.values()].every((n) => n === 1)).toBe(true);
      },
    );
  });
});
