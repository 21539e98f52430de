import { acquireStore, type StateStore } from '@takt/runtime';

import { HeldResource, useOptionalConfigNode } from './config-node';
import type { NodeRedApi, NodeRedNode } from './node-red';
import { taktSettings, userDir } from './settings';

/** The state store a node uses: its takt-store config node, or the default SQLite file in the userDir. */
export interface NodeStore {
  store(): Promise<StateStore>;
}

/**
 * The store of the takt-store selected in `id`; with none selected, the embedded default (`takt-state.sqlite`
 * in the userDir, the same pooled store a takt-store with default settings opens), held by this node until it
 * closes. Throws CONFIG_INVALID naming the field when the selected config node is gone.
 */
export function nodeStore(RED: NodeRedApi, node: NodeRedNode, id: unknown): NodeStore {
  const config = useOptionalConfigNode(RED, node, 'store', id);
  if (config) return { store: () => config.store() };
  const defaultDir = userDir(RED);
  const held = new HeldResource('state store', () => acquireStore({ kind: 'sqlite' }, { defaultDir }));
  node.on('close', (_removed, done) => {
    held.close(taktSettings(RED).closeTimeoutMs).then(done, done);
  });
  return { store: () => held.get() };
}
