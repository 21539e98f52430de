import { hostname } from 'node:os';

import {
  CONFLICT_STRATEGIES,
  forwardStatusText,
  acquireStoreAndForward,
  runUpsert,
  TaktError,
  type ConflictStrategy,
  type Connector,
  type ForwardLease,
  type ForwardStatus,
  type UpsertItemOutcome,
  type WriteMode,
} from '@takt/runtime';

import { useConfigNode, type TaktMesConnectionNode, type TaktSapConnectionNode } from './shared/config-node';
import { translate } from './shared/i18n';
import { failMessage, reportError, toTaktError } from './shared/errors';
import { integerOf, listOf, recordsOf, textOf } from './shared/message-values';
import type { NodeDef, NodeMessage, NodeRedApi, NodeRedNode, NodeStatus } from './shared/node-red';
import { nodeStore, type NodeStore } from './shared/node-store';
import { taktSettings, userDir } from './shared/settings';
import {
  statusConnecting,
  statusError,
  statusIdle,
  statusOk,
  statusText,
  statusWaiting,
  statusWorking,
} from './shared/status';

/**
 * `takt-upsert-sync`: writes `msg.payload` (one record or an array, in the target's shape) to a SAP or MES
 * connection. Delivery `direct` upserts now through the runtime's sync engine (id map, content hash, conflict
 * strategy, one job per message) and answers one outcome per record; `store-and-forward` queues the records in
 * the state store (the message is done once they are durable) and a sender loop started with the flow delivers
 * them when the ERP answers, in order per key, across restarts (node-ops/forward.ts). With 3 outputs, outcomes
 * are split into ok / conflicts / errors.
 */
type Delivery = 'direct' | 'store-and-forward';
type Target = TaktSapConnectionNode | TaktMesConnectionNode;
const FORWARD_MODES: readonly WriteMode[] = ['upsert', 'create', 'update'];

export = function registerTaktUpsertSync(RED: NodeRedApi): void {
  const settings = taktSettings(RED);

  function TaktUpsertSync(this: NodeRedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    start(this, def);
  }

  function start(node: NodeRedNode, def: NodeDef): void {
    const delivery: Delivery = def.delivery === 'store-and-forward' ? 'store-and-forward' : 'direct';
    const split = Number(def.outputs) === 3;
    const entity = textOf(def.entity);
    const keyFields = listOf(def.keyFields);
    const coalesce = def.coalesce === true;

    let target: Target | undefined;
    let stores: NodeStore | undefined;
    let setupError: TaktError | undefined;
    let batchSize = 100;
    let strategy: ConflictStrategy = 'source_wins';
    let mode: WriteMode = 'upsert';
    let maxRetryWaitS = 60;
    try {
      target =
        def.target === 'mes' ? useConfigNode(RED, node, 'mes', def.mes) : useConfigNode(RED, node, 'sap', def.sap);
      stores = nodeStore(RED, node, def.store);
      if (entity === '') throw new TaktError('CONFIG_INVALID', 'takt-upsert-sync: set Entity (e.g. "resources").');
      batchSize = integerOf(def.batchSize, 'takt-upsert-sync: Batch size', 100, 1, 1000);
      strategy = pick(CONFLICT_STRATEGIES, def.strategy, 'source_wins', 'Conflict strategy');
      mode = pick(FORWARD_MODES, def.writeMode, 'upsert', 'Write mode');
      maxRetryWaitS = integerOf(def.maxRetryWaitS, 'takt-upsert-sync: Max retry wait (s)', 60, 1, 3_600);
      if (delivery === 'store-and-forward' && keyFields.length === 0) {
        throw new TaktError(
          'CONFIG_INVALID',
          'takt-upsert-sync: store-and-forward needs Key fields (e.g. "TechnicalObject"): they keep each ' +
            "machine's records in order.",
        );
      }
    } catch (error) {
      setupError = toTaktError(error);
      node.status(statusError(statusText(setupError.code)));
      node.error(setupError.message);
    }

    // Store-and-forward: the connection's sender starts with the flow (shared with other nodes queueing for the
    // same connection) and is released, within the close timeout, when the node closes. A start that failed (a
    // store or connection not ready at deploy) is tried again by the next message.
    let forward: Promise<ForwardLease> | undefined;
    const startForward = (): Promise<ForwardLease> | undefined => {
      if (forward || setupError || !target || !stores || delivery !== 'store-and-forward') return forward;
      const connection = target;
      const store = stores;
      node.status(statusConnecting(translate(RED, 'takt-upsert-sync.status.starting', 'starting')));
      const starting = (async () => {
        const lease = acquireStoreAndForward(
          {
            store: await store.store(),
            connector: await connection.connector(),
            connection: connection.connectionName,
            batchSize,
            retry: { maxDelayMs: maxRetryWaitS * 1_000 },
            // Stable across restarts of this Node-RED, so a restarted sender takes its lease over at once.
            owner: `node-red:${hostname()}:${userDir(RED)}`,
          },
          { entity, mode },
          (status) => node.status(forwardStatus(status)),
        );
        return lease;
      })();
      forward = starting;
      starting.catch((error: unknown) => {
        if (forward === starting) forward = undefined;
        reportError(node, error);
      });
      return starting;
    };
    startForward();

    node.on('input', (msg, send, done) => {
      if (setupError || !target || !stores) {
        failMessage(node, done, setupError ?? new TaktError('INTERNAL', 'takt-upsert-sync is not set up.'));
        return;
      }
      const connection = target;
      const store = stores;
      void (async () => {
        const { records, single } = recordsOf(msg.payload, 'msg.payload');
        const sending = startForward();
        if (sending) {
          const { sender } = await sending;
          const { queued } = await sender.enqueue(records, { entity, key: keyFields, mode, coalesce });
          // Durable now: the message is done; delivery is the sender's (its status shows it).
          msg.queued = queued;
          send(msg);
          done();
          return;
        }
        const connector: Connector = await connection.connector();
        node.status(statusWorking(`0/${records.length}`));
        const result = await runUpsert({
          store: await store.store(),
          connector,
          connection: connection.connectionName,
          entity,
          records,
          ...(keyFields.length > 0 ? { keyFields } : {}),
          strategy,
          batchSize,
          ...(textOf(def.keySource) !== '' ? { source: textOf(def.keySource) } : {}),
          jobName: textOf(def.name) || `node-red ${node.id}`,
          onProgress: ({ done: settled, total }) => node.status(statusWorking(`${settled}/${total}`)),
        });
        const rows = result.results.map((outcome) => outcomeRow(outcome, records));
        const failed = result.summary.error + result.summary.conflict;
        node.status(
          (failed > 0 ? statusWaiting : statusOk)(
            translate(RED, 'takt-upsert-sync.status.done', '__done__/__total__ ok, __failed__ failed', {
              done: records.length - failed,
              total: records.length,
              failed,
            }),
          ),
        );
        msg.jobId = result.jobId;
        msg.summary = { ...result.summary };
        send(split ? splitOutputs(msg, rows, single) : { ...msg, payload: single ? rows[0] : rows });
        done();
      })().catch((error: unknown) => failMessage(node, done, error));
    });

    node.on('close', (_removed, done) => {
      if (!forward) {
        done();
        return;
      }
      const stopping = forward.then((lease) => lease.release()).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, settings.closeTimeoutMs);
      });
      void Promise.race([stopping, timeout]).then(() => {
        clearTimeout(timer);
        done();
      });
    });
  }

  RED.nodes.registerType('takt-upsert-sync', TaktUpsertSync);
};

/** One outcome as JSON, with the record it is about (conflict and error outputs are acted on by record). */
function outcomeRow(outcome: UpsertItemOutcome, records: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { ...outcome, record: records[outcome.index] ?? null };
}

/**
 * Three outputs: ok (created, updated, unchanged, skipped), conflicts, errors. A single record goes to one of
 * them as the message; an array is split into up to three messages, each with the outcomes of its kind.
 */
function splitOutputs(
  msg: NodeMessage,
  rows: readonly Record<string, unknown>[],
  single: boolean,
): (NodeMessage | null)[] {
  const groups: Record<string, unknown>[][] = [[], [], []];
  for (const row of rows) groups[row.action === 'conflict' ? 1 : row.action === 'error' ? 2 : 0]?.push(row);
  return groups.map((group) => (group.length === 0 ? null : { ...msg, payload: single ? group[0] : group }));
}

function forwardStatus(status: ForwardStatus): NodeStatus {
  const text = statusText(forwardStatusText(status, Date.now()));
  switch (status.state) {
    case 'idle':
      return status.dead > 0 ? statusWaiting(text) : status.sent > 0 ? statusOk(text) : statusIdle(text);
    case 'sending':
      return statusWorking(text);
    case 'offline':
    case 'retrying':
      return statusWaiting(text);
    case 'store-error':
      return statusError(text);
    case 'stopped':
      return statusIdle(text);
  }
}

function pick<T extends string>(allowed: readonly T[], value: unknown, fallback: T, field: string): T {
  if (value === undefined || value === null || value === '') return fallback;
  const found = allowed.find((entry) => entry === value);
  if (found === undefined) {
    throw new TaktError(
      'CONFIG_INVALID',
      `takt-upsert-sync: ${field} "${String(value)}" is not one of ${allowed.join(', ')}.`,
    );
  }
  return found;
}
