import { describeStateStoreContract } from '../contract/state-store-contract';
import type { StateStore } from '../types';
import { MemoryStateStore } from './memory-state-store';

describeStateStoreContract('memory', async () => {
  let shared: StateStore | undefined;
  return {
    // One instance is the whole backing: "another connection" is the same memory.
    open: async (clock) => (shared ??= new MemoryStateStore(clock)),
    destroy: async () => undefined,
  };
});
