import type { WriteMode } from '../connectors';
import type { StateStore } from '../state';
import { StoreAndForward, type StoreAndForwardOptions } from './forward';
import type { ForwardStatus } from './forward-status';

/**
 * One store-and-forward sender per state store and connection in a process, shared by every node that queues
 * for that connection. The outbox pusher drains every entity of a connection under one lease, so two senders
 * of one connection would only take turns, and each would know only its own node's write modes; a shared
 * sender knows the routes of all its nodes and fans its status out to each of them. It starts with its first
 * user and stops (giving the lease back) when the last one releases it.
 *
 * The registry lives on `globalThis` under a global symbol, like the resource pool, so copies of the runtime
 * bundled into several packages of one process share senders too. The connector and options of the first user
 * are the sender's; nodes of one connection name use one connection config, so they agree.
 */
export interface ForwardLease {
  readonly sender: StoreAndForward;
  /** Stops listening; the last release stops the sender. Resolves once it has stopped. */
  release(): Promise<void>;
}

type Listener = (status: ForwardStatus) => void;

interface Shared {
  readonly sender: StoreAndForward;
  readonly listeners: Set<Listener>;
}

const REGISTRY = Symbol.for('takt.node-ops.store-and-forward');

function registry(): WeakMap<StateStore, Map<string, Shared>> {
  const holder = globalThis as { [REGISTRY]?: WeakMap<StateStore, Map<string, Shared>> };
  holder[REGISTRY] ??= new WeakMap();
  return holder[REGISTRY];
}

/**
 * The shared sender of `options.store` and `options.connection`, started; `onStatus` hears every change. The
 * caller's entity `route` is set before the sender starts, so no entry of it goes out in another mode.
 */
export function acquireStoreAndForward(
  options: Omit<StoreAndForwardOptions, 'onStatus'>,
  route: { readonly entity: string; readonly mode: WriteMode },
  onStatus: Listener,
): ForwardLease {
  const byStore = registry();
  let senders = byStore.get(options.store);
  if (!senders) {
    senders = new Map();
    byStore.set(options.store, senders);
  }
  let shared = senders.get(options.connection);
  if (!shared) {
    const listeners = new Set<Listener>();
    const sender = new StoreAndForward({
      ...options,
      onStatus: (status) => {
        for (const listener of listeners) listener(status);
      },
    });
    shared = { sender, listeners };
    senders.set(options.connection, shared);
    sender.route(route.entity, route.mode);
    sender.start();
  }
  const entry = shared;
  entry.sender.route(route.entity, route.mode);
  const map = senders;
  entry.listeners.add(onStatus);
  onStatus(entry.sender.current());
  let released = false;
  return {
    sender: entry.sender,
    async release() {
      if (released) return;
      released = true;
      entry.listeners.delete(onStatus);
      if (entry.listeners.size > 0) return;
      if (map.get(options.connection) === entry) map.delete(options.connection);
      await entry.sender.stop();
    },
  };
}
