import { readItemMeta, type TaktItemMeta } from '@takt/runtime';

import type { NodeMessage } from './node-red';

/**
 * `_takt` passthrough: every Takt node copies the incoming `msg._takt` to what it sends, unchanged, so an
 * Ack node at the end of a flow finds the token of the delivery or event the message came from.
 */

/** The incoming message's `_takt`, or undefined when it has none (or something that is not an object). */
export function messageMeta(msg: NodeMessage): TaktItemMeta | undefined {
  return readItemMeta(msg);
}

/**
 * `out` with the `_takt` of `from` (when it has one); the original message's other properties are kept by
 * the caller (Node-RED convention: reuse `msg`, set `payload`). Returns `out` for chaining.
 */
export function carryMeta<M extends NodeMessage>(from: NodeMessage, out: M): M {
  const meta = readItemMeta(from);
  if (meta !== undefined) out._takt = meta;
  return out;
}

/** A new message for an emitted record (poll, webhook): `payload` plus its own `_takt`. */
export function metaMessage(payload: unknown, meta: TaktItemMeta, extra: Readonly<NodeMessage> = {}): NodeMessage {
  return { ...extra, payload, _takt: meta };
}
