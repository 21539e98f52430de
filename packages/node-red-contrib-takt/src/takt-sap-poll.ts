import { hostname } from 'node:os';

import { pollOnce, TaktError, type PollOutcome } from '@takt/runtime';

import { useConfigNode, type TaktSapConnectionNode } from './shared/config-node';
import { textField } from './shared/connection-check';
import { failMessage, toTaktError } from './shared/errors';
import type { NodeDef, NodeMessage, NodeRedApi, NodeRedNode, SendFn } from './shared/node-red';
import { nodeStore, type NodeStore } from './shared/node-store';
import { selectSapEntity, wholeNumberField, type SapEntitySelection } from './shared/sap-entity';
import { taktSettings } from './shared/settings';
import {
  formatWait,
  statusConnecting,
  statusError,
  statusIdle,
  statusOk,
  statusText,
  statusWaiting,
  statusWorking,
} from './shared/status';

/**
 * `takt-sap-poll`: on an interval (and on any input message), hands out the SAP records changed since the
 * stored cursor as a delivery with an ack token. The cursor moves only when a `takt-ack` node acknowledges the
 * token; until then nothing new is handed out, and an unacknowledged delivery is handed out again when its
 * acknowledgement time runs out — so a crash between receiving and applying loses nothing.
 *
 * Output `delivery`: one message per delivery, `msg.payload` the records. Output `record`: one message per
 * record with `msg.parts` set, so a join node can rebuild the delivery before a single ack.
 */

const MODES = ['incremental', 'full'] as const;
type PollMode = (typeof MODES)[number];

interface PollSettings {
  readonly mode: PollMode;
  readonly intervalMs: number;
  readonly maxRecords: number;
  readonly deliveryTtlMs: number;
  readonly perRecord: boolean;
  readonly pollOnStart: boolean;
}

interface PollRun {
  readonly waitMs: number;
  readonly error?: TaktError;
}

/** Retry waits after a failed poll: 2 s, 4 s, 8 s … capped at the poll interval. */
const FIRST_RETRY_MS = 2_000;

export = function registerTaktSapPoll(RED: NodeRedApi): void {
  const tunables = taktSettings(RED);

  function TaktSapPoll(this: NodeRedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);

    let configError: unknown;
    let settings: PollSettings | undefined;
    let selection: SapEntitySelection | undefined;
    let connection: TaktSapConnectionNode | undefined;
    let storeNode: NodeStore | undefined;
    try {
      connection = useConfigNode(RED, this, 'sap', def.connection);
      storeNode = nodeStore(RED, this, def.store);
      selection = selectSapEntity(def, connection);
      settings = readSettings(def, tunables.pollMinIntervalS);
    } catch (error) {
      configError = error;
      const taktError = toTaktError(error);
      this.status(statusError(statusText(taktError.code)));
      this.error(taktError.message);
    }

    // The lease owner: stable across restarts of this Node-RED, so a restarted gateway resumes its own stream.
    const owner = `node-red:${hostname()}:${this.id}`;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;
    let queue: Promise<void> = Promise.resolve();

    /** One poll; emits what it delivers through `send`; answers when to poll next and what failed. */
    const pollNow = async (send: SendFn, active: PollSettings): Promise<PollRun> => {
      if (!selection || !connection || !storeNode) return { waitMs: active.intervalMs };
      this.status(statusWorking(RED._('takt-sap-poll.status.polling')));
      try {
        const [store, connector] = await Promise.all([storeNode.store(), selection.connector()]);
        const outcome = await pollOnce({
          store,
          connector,
          connection: connection.connectionName,
          entity: selection.entity,
          mode: active.mode,
          maxRecords: active.maxRecords,
          owner,
          deliveryTtlMs: active.deliveryTtlMs,
          signal: abort.signal,
        });
        failures = 0;
        emit(outcome, send, active);
        return { waitMs: active.intervalMs };
      } catch (error) {
        if (abort.signal.aborted) return { waitMs: active.intervalMs };
        const taktError = toTaktError(error);
        failures += 1;
        const wait = retryWait(taktError, failures, active.intervalMs);
        this.status(
          taktError.retryable
            ? statusConnecting(RED._('takt-sap-poll.status.retry', { wait: formatWait(wait), code: taktError.code }))
            : statusError(statusText(taktError.code)),
        );
        return { waitMs: wait, error: taktError };
      }
    };

    const emit = (outcome: PollOutcome, send: SendFn, active: PollSettings): void => {
      switch (outcome.status) {
        case 'delivered': {
          const token = outcome.token ?? '';
          const meta = { token, deliveryKind: 'pull' as const, stream: outcome.stream };
          const stats = { ...outcome.stats, ...(outcome.expiresAt ? { expiresAt: outcome.expiresAt } : {}) };
          if (active.perRecord) {
            const count = outcome.items.length;
            outcome.items.forEach((item, index) =>
              send({
                topic: outcome.stream,
                payload: item.json,
                _takt: item.meta,
                parts: { id: token, index, count, type: 'array' },
                stats,
              }),
            );
          } else {
            send({ topic: outcome.stream, payload: outcome.items.map((item) => item.json), _takt: meta, stats });
          }
          this.status(statusOk(RED._('takt-sap-poll.status.delivered', { count: outcome.items.length })));
          return;
        }
        case 'pending':
          this.status(statusWaiting(RED._('takt-sap-poll.status.waitingForAck')));
          return;
        case 'lease_held':
          this.status(statusIdle(RED._('takt-sap-poll.status.leaseHeld')));
          return;
        case 'nothing_new':
          this.status(statusOk(RED._('takt-sap-poll.status.nothingNew')));
          return;
      }
    };

    /** Polls serially: a timer tick or a message arriving while a poll runs waits for it. */
    const enqueue = (send: SendFn): Promise<PollRun> => {
      const active = settings;
      if (active === undefined) return Promise.reject(toTaktError(configError));
      const run = queue.then(() => pollNow(send, active));
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    };

    const schedule = (waitMs: number): void => {
      if (abort.signal.aborted) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        void enqueue((msg) => this.send(msg as NodeMessage)).then(
          ({ waitMs: next, error }) => {
            // With a message, so a Catch node sees the failures of timed polls too.
            if (error) this.error(error, { topic: selection?.entity ?? '', payload: error.toJSON() });
            schedule(next);
          },
          () => undefined,
        );
      }, waitMs);
    };

    if (settings !== undefined) schedule(settings.pollOnStart ? 0 : settings.intervalMs);

    this.on('input', (_msg, send, done) => {
      enqueue(send).then(
        ({ waitMs, error }) => {
          schedule(waitMs);
          // The status already says what happened ("retry in 4 s" or the error code).
          done(error);
        },
        (error: unknown) => failMessage(this, done, error),
      );
    });

    this.on('close', (_removed, done) => {
      abort.abort();
      clearTimeout(timer);
      const release = async (): Promise<void> => {
        await queue;
        await selection?.close(tunables.closeTimeoutMs);
      };
      let closeTimer: NodeJS.Timeout | undefined;
      Promise.race([
        release(),
        new Promise<void>((resolve) => {
          closeTimer = setTimeout(resolve, tunables.closeTimeoutMs);
        }),
      ]).then(
        () => {
          clearTimeout(closeTimer);
          done();
        },
        () => done(),
      );
    });
  }

  RED.nodes.registerType('takt-sap-poll', TaktSapPoll);
};

function readSettings(def: NodeDef, minIntervalS: number): PollSettings {
  const mode = textField(def, 'mode') ?? 'incremental';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new TaktError('CONFIG_INVALID', `Mode must be "incremental" or "full" (got "${mode}").`);
  }
  const intervalS = wholeNumberField(def, 'interval', 'Interval (seconds)', 60);
  if (intervalS < minIntervalS) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Interval must be at least ${minIntervalS} s (settings.js taktPollMinIntervalS); got ${intervalS} s.`,
    );
  }
  return {
    mode: mode as PollMode,
    intervalMs: intervalS * 1000,
    maxRecords: wholeNumberField(def, 'maxRecords', 'Max records per delivery', 1000),
    deliveryTtlMs: wholeNumberField(def, 'ackTimeout', 'Acknowledge within (minutes)', 15) * 60_000,
    perRecord: def.output === 'record',
    pollOnStart: def.pollOnStart !== false,
  };
}

/** Not before the server's Retry-After; else 2 s, 4 s, 8 s … up to the interval. */
function retryWait(error: TaktError, failures: number, intervalMs: number): number {
  if (!error.retryable) return intervalMs;
  const backoff = Math.min(intervalMs, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 16));
  const notBefore = error.retryAt ? error.retryAt.getTime() - Date.now() : 0;
  return Math.max(backoff, notBefore, 1_000);
}
