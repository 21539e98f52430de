import { TaktError } from '@takt/runtime';

import type { DoneFn, NodeMessage, NodeRedNode } from './node-red';
import { statusError, statusText } from './status';

/**
 * The one error route of every Takt node (Node-RED: "errors go to done(err)"): the red ring shows the error
 * code (or the start of the message), and `done(err)` hands the error to Catch nodes with the message, so a
 * flow can react to it. A TaktError's message is already redacted and names what to fix; any other error is
 * wrapped so Catch nodes see the same shape (`code`, `kind`, `retryable` on the error object).
 */
export function failMessage(node: NodeRedNode, done: DoneFn, error: unknown): void {
  const taktError = toTaktError(error);
  node.status(statusError(statusText(taktError.code)));
  done(taktError);
}

/** For errors outside a message (a poll tick, a config node start): red ring and the log, no `done`. */
export function reportError(node: NodeRedNode, error: unknown, msg?: NodeMessage): TaktError {
  const taktError = toTaktError(error);
  node.status(statusError(statusText(taktError.code)));
  if (msg === undefined) node.error(taktError.message);
  else node.error(taktError, msg);
  return taktError;
}

/** Any thrown value as a TaktError; foreign errors keep only a redacted summary (no request objects). */
export function toTaktError(error: unknown): TaktError {
  if (TaktError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TaktError('INTERNAL', message || 'Unexpected error', { cause: error });
}
