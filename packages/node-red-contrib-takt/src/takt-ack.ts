import { randomUUID } from 'node:crypto';

import {
  acknowledge,
  beginReplay,
  listDeadLetters,
  TaktError,
  withoutItemMeta,
  type DeadLetterStatus,
} from '@takt/runtime';

import { translate } from './shared/i18n';
import { failMessage, toTaktError } from './shared/errors';
import { nodeStore, type NodeStore } from './shared/node-store';
import type { NodeDef, NodeMessage, NodeRedApi, NodeRedNode } from './shared/node-red';
import { integerOf, isRecord, listOf, textOf } from './shared/message-values';
import { statusError, statusOk, statusText, statusWorking } from './shared/status';

/**
 * `takt-ack`: settles what a message's token names (ack / nack: a poll delivery, a webhook event, a replayed
 * dead letter), lists dead letters, or replays them as one message each with a replay token, so the same flow
 * (map → upsert → ack) applies them again. The work is the runtime's (node-ops/acknowledge.ts, dead-letters.ts).
 */
type Operation = 'ack' | 'nack' | 'list' | 'replay';
const OPERATIONS: readonly Operation[] = ['ack', 'nack', 'list', 'replay'];
const WORKING: Readonly<Record<Operation, string>> = {
  ack: 'acknowledging',
  nack: 'rejecting',
  list: 'reading',
  replay: 'replaying',
};

export = function registerTaktAck(RED: NodeRedApi): void {
  function TaktAck(this: NodeRedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    start(this, def);
  }

  function start(node: NodeRedNode, def: NodeDef): void {
    const operation = OPERATIONS.find((op) => op === def.operation) ?? 'ack';
    const tokenPath = textOf(def.tokenProperty) || '_takt.token';
    let setupError: TaktError | undefined;
    let storeNode: NodeStore | undefined;
    let limit = 100;
    try {
      storeNode = nodeStore(RED, node, def.store);
      limit = integerOf(def.limit, 'takt-ack: Limit', 100, 1, 1000);
    } catch (error) {
      setupError = toTaktError(error);
      node.status(statusError(statusText(setupError.code)));
      node.error(setupError.message);
    }
    // Replay claims name this node; a restart takes a new name, so its old claims simply expire.
    const owner = `node-red:${node.id}:${randomUUID().slice(0, 8)}`;

    node.on('input', (msg, send, done) => {
      if (setupError || !storeNode) {
        failMessage(node, done, setupError ?? new TaktError('INTERNAL', 'takt-ack is not set up.'));
        return;
      }
      const config = storeNode;
      void (async () => {
        node.status(statusWorking(translate(RED, `takt-ack.status.${operation}`, WORKING[operation])));
        const store = await config.store();
        switch (operation) {
          case 'ack':
          case 'nack': {
            const token = propertyOf(msg, tokenPath);
            if (token === undefined || token === '') {
              throw new TaktError(
                'CONFIG_INVALID',
                `takt-ack: msg.${tokenPath} is empty: wire the node after a Takt source (poll, webhook, replay) ` +
                  'whose _takt travelled through, or set Token to where the token is.',
              );
            }
            const result = await acknowledge(store, token, nackOptions(operation, def, msg));
            msg.ack = { ...result };
            node.status(
              statusOk(
                statusText(translate(RED, `takt-ack.result.${result.status}`, result.status.replace(/_/g, ' '))),
              ),
            );
            send(msg);
            break;
          }
          case 'list': {
            const scope = textOf(msg.scope) || textOf(def.scope);
            const status = (['open', 'resolved', 'all'].find((s) => s === def.status) ?? 'open') as
              DeadLetterStatus | 'all';
            const rows = await listDeadLetters(store, { status, limit, ...(scope !== '' ? { scope } : {}) });
            msg.payload = rows;
            node.status(
              statusOk(translate(RED, 'takt-ack.status.listed', '__count__ dead letters', { count: rows.length })),
            );
            send(msg);
            break;
          }
          case 'replay': {
            const scope = textOf(msg.scope) || textOf(def.scope);
            if (scope === '') {
              throw new TaktError(
                'CONFIG_INVALID',
                'takt-ack: set Scope (the webhook path, poll stream or outbox the dead letters belong to) or msg.scope.',
              );
            }
            const ids = idsOf(msg.payload);
            const replay = await beginReplay(store, { scope, limit, owner, ...(ids ? { ids } : {}) });
            const out: NodeMessage[] = replay.items.map((item) => ({
              payload: item.payload,
              deadLetter: { ...item.deadLetter },
              _takt: item.meta,
            }));
            node.status(
              statusOk(
                translate(RED, 'takt-ack.status.replayed', 'replayed __count__ (__skipped__ skipped)', {
                  count: out.length,
                  skipped: replay.skipped.length,
                }),
              ),
            );
            if (out.length > 0) send([out]);
            break;
          }
        }
        done();
      })().catch((error: unknown) => failMessage(node, done, error));
    });
  }

  RED.nodes.registerType('takt-ack', TaktAck);
};

/** What NACK tells the store: the node's message, else the caught error's (msg.error from a Catch node). */
function nackOptions(operation: 'ack' | 'nack', def: NodeDef, msg: NodeMessage): Parameters<typeof acknowledge>[2] {
  if (operation === 'ack') return { outcome: 'ack' };
  const caught = isRecord(msg.error) ? textOf(msg.error.message) : '';
  const message = textOf(def.nackMessage) || caught || 'Rejected by the flow.';
  return {
    outcome: 'nack',
    message,
    retryable: def.retryable === true,
    payload: isRecord(msg.payload) ? withoutItemMeta(msg.payload) : (msg.payload ?? null),
  };
}

/** A dotted message property ("_takt.token"); the leading "msg." is optional. */
function propertyOf(msg: NodeMessage, path: string): unknown {
  let value: unknown = msg;
  for (const part of path.replace(/^msg\./, '').split('.')) {
    if (!isRecord(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** Dead-letter ids to replay: msg.payload as [1, 2] or {ids: [1, 2]}; undefined → every open one (up to Limit). */
function idsOf(payload: unknown): number[] | undefined {
  const raw = isRecord(payload) ? payload.ids : payload;
  if (!Array.isArray(raw)) return undefined;
  const ids = listOf(raw.map((id) => (typeof id === 'number' ? String(id) : id))).map(Number);
  const bad = ids.findIndex((id) => !Number.isInteger(id) || id <= 0);
  if (bad >= 0 || ids.length !== raw.length) {
    throw new TaktError('RECORD_INVALID', 'takt-ack: msg.payload.ids must be dead-letter ids (whole numbers).');
  }
  return ids;
}
