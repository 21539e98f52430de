import { TaktError } from '../../errors';
import type { StateStore } from '../../state';

/**
 * A StateStore that can be made unreachable: while `down`, every call but `close` throws STORE_UNAVAILABLE
 * before reaching the real store, as a PostgreSQL whose network went away does. `calls` counts what reached
 * the store per method; `onCall` runs before each call (to cut the store at an exact moment).
 */
export interface FlakyStore {
  readonly store: StateStore;
  down: boolean;
  readonly calls: Map<string, number>;
  /** Calls refused while down, per method. */
  readonly refused: Map<string, number>;
  onCall: ((method: string) => void) | undefined;
}

export function flakyStore(inner: StateStore): FlakyStore {
  const state: FlakyStore = { store: inner, down: false, calls: new Map(), refused: new Map(), onCall: undefined };
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'close') return value;
      return (...args: unknown[]): unknown => {
        state.onCall?.(property);
        if (state.down) {
          state.refused.set(property, (state.refused.get(property) ?? 0) + 1);
          return Promise.reject(new TaktError('STORE_UNAVAILABLE', `State store unreachable (${property}).`));
        }
        state.calls.set(property, (state.calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return Object.assign(state, { store });
}
