import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import {
  acknowledge,
  type AcknowledgeResult,
  beginReplay,
  commaList,
  listDeadLetters,
  type StateStore,
  TaktError,
  withItemMeta,
  withoutItemMeta,
} from '@takt/runtime';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { stateStoreCredential } from '../shared/descriptions';
import { toNodeError } from '../shared/errors';
import { errorItem, forEachItem } from '../shared/item-loop';
import { outputItem, recordOf } from '../shared/item-meta';
import { withStore } from '../shared/resources';
import { acknowledgeProperties } from './description';

/**
 * Takt Acknowledge: settles what items came from by their `_takt.token` (ACK commits a trigger's cursor, marks
 * a webhook event processed, or resolves a replayed dead letter; NACK leaves a delivery to be handed out again,
 * dead-letters or releases an event, or leaves a dead letter open; a released event fails the node after the
 * release, so that the webhook's sender is answered with an error and sends it again), and lists or replays an endpoint's dead
 * letters. The settling is the runtime's (node-ops/acknowledge.ts); the node only groups items by token.
 */
export class TaktAcknowledge implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Takt Acknowledge',
    name: 'taktAcknowledge',
    icon: { light: 'file:../icons/takt.svg', dark: 'file:../icons/takt.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{ $parameter["operation"] }}',
    description: 'Acknowledge Takt deliveries and events, list and replay dead letters',
    defaults: { name: 'Takt Acknowledge' },
    // An agent can list and replay dead letters, and settle a token it was handed.
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [stateStoreCredential],
    properties: acknowledgeProperties,
  };

  methods = { credentialTest: credentialTests };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const operation = this.getNodeParameter('operation', 0) as string;
    return withStore(this, async (store) => {
      if (operation === 'ack' || operation === 'nack') return [await settle(this, store, operation)];
      if (operation === 'listDeadLetters') {
        return [
          await forEachItem(this, async (_item, itemIndex) =>
            (
              await listDeadLetters(store, {
                scope: String(this.getNodeParameter('scope', itemIndex)).trim(),
                status: this.getNodeParameter('status', itemIndex, 'open') as 'open' | 'resolved' | 'all',
                limit: Number(this.getNodeParameter('limit', itemIndex, 50)),
              })
            ).map((row) => ({ ...row }) as Record<string, unknown>),
          ),
        ];
      }
      if (operation === 'replay') return [await replay(this, store)];
      throw toNodeError(this.getNode(), new TaktError('CONFIG_INVALID', `Unknown operation "${operation}".`));
    });
  }
}

/**
 * ACK / NACK: each distinct token is settled once, in the order it first appears; every item gets the outcome of
 * its token, paired to it. A token that fails to settle fails each of its items (Continue On Fail) or stops the
 * node naming the first of them.
 */
async function settle(
  ctx: IExecuteFunctions,
  store: StateStore,
  outcome: 'ack' | 'nack',
): Promise<INodeExecutionData[]> {
  const items = ctx.getInputData();
  const outcomes = new Map<string, Promise<AcknowledgeResult>>();
  const output: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    const item = items[itemIndex];
    try {
      const token: unknown = ctx.getNodeParameter('token', itemIndex, undefined);
      const key = typeof token === 'string' ? token.trim() : '';
      let pending = key === '' ? undefined : outcomes.get(key);
      if (pending === undefined) {
        pending = acknowledge(store, token, {
          outcome,
          ...(outcome === 'nack'
            ? {
                message: String(ctx.getNodeParameter('message', itemIndex, '')),
                retryable: ctx.getNodeParameter('retryable', itemIndex, false) === true,
                payload: deadLetterPayload(ctx, item, itemIndex),
              }
            : {}),
        });
        if (key !== '') outcomes.set(key, pending);
      }
      const result = await pending;
      if (result.status === 'released') throw releasedError(result);
      output.push(outputItem(item, { ...result } as Record<string, unknown>, itemIndex));
    } catch (error) {
      if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), error, itemIndex);
      output.push(errorItem(item, error, itemIndex));
    }
  }
  return output;
}

/**
 * A released event waits for its sender's next copy, and a sender only sends one after an error answer: n8n gives
 * one (500, for a Takt Webhook Trigger answering when acknowledged) only when the execution fails, so this fails it.
 */
function releasedError(result: AcknowledgeResult): TaktError {
  return new TaktError(
    'EVENT_NACKED',
    `${result.message} This execution fails so that the webhook answers the sender with an error and it sends the event again.`,
    { retryable: true },
  );
}

/** Replay: each open dead letter becomes an item whose `_takt` carries its replay token (not the input's). */
async function replay(ctx: IExecuteFunctions, store: StateStore): Promise<INodeExecutionData[]> {
  const items = ctx.getInputData();
  const output: INodeExecutionData[] = [];
  const owner = `n8n-replay-${hostname()}-${process.pid}-${randomUUID()}`;
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    try {
      const begun = await beginReplay(store, {
        scope: String(ctx.getNodeParameter('scope', itemIndex)).trim(),
        ids: ids(String(ctx.getNodeParameter('ids', itemIndex, ''))),
        limit: Number(ctx.getNodeParameter('limit', itemIndex, 50)),
        owner,
      });
      for (const replayed of begun.items) {
        const payload = replayed.payload;
        const json =
          typeof payload === 'object' && payload !== null && !Array.isArray(payload)
            ? (payload as Record<string, unknown>)
            : { payload };
        output.push({ json: withItemMeta(json, replayed.meta) as IDataObject, pairedItem: { item: itemIndex } });
      }
    } catch (error) {
      if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), error, itemIndex);
      output.push(errorItem(items[itemIndex], error, itemIndex));
    }
  }
  return output;
}

/** The NACK's dead-letter payload: the parameter's object (without `_takt`), or the item's own fields. */
function deadLetterPayload(
  ctx: IExecuteFunctions,
  item: INodeExecutionData | undefined,
  itemIndex: number,
): Record<string, unknown> | null {
  const given: unknown = ctx.getNodeParameter('payload', itemIndex, '');
  if (given === '' || given === undefined || given === null) return item ? recordOf(item) : null;
  const value = typeof given === 'string' ? parseJson(given) : given;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TaktError('CONFIG_INVALID', 'Dead Letter Payload must be a JSON object (a record), or empty.');
  }
  return withoutItemMeta(value as Record<string, unknown>);
}

/** The parsed JSON, or undefined when it does not parse (the caller names the parameter). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function ids(value: string): number[] {
  return commaList(value).map((part) => {
    const id = Number(part);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new TaktError('CONFIG_INVALID', `Dead Letter IDs: "${part}" is not a dead letter id (a whole number).`);
    }
    return id;
  });
}
