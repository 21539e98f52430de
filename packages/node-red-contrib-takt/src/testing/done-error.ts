import { TaktError } from '@takt/runtime';

import type { NodeRedNode } from '../shared/node-red';
import { node } from './red';

/**
 * The next error a node hands to `done(err)`: Node-RED reports it through `node.error(err, msg)`, so this waits
 * for an error call whose argument is a TaktError (a deploy-time `node.error(text)` is skipped).
 */
export function doneError(nodeId: string, timeoutMs = 10_000): Promise<TaktError> {
  const target = node<NodeRedNode & { on(event: string, fn: (call: { args: unknown[] }) => void): void }>(nodeId);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${nodeId}: no done(err) within ${timeoutMs} ms`)), timeoutMs);
    target.on('call:error', (call) => {
      const error = call.args[0];
      if (!TaktError.is(error)) return;
      clearTimeout(timer);
      resolve(error);
    });
  });
}
