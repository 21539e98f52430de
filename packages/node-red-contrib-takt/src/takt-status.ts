import { STATUS_VIEWS, syncStatus, TaktError, type JobStatus, type StatusView } from '@takt/runtime';

import { translate } from './shared/i18n';
import { failMessage, toTaktError } from './shared/errors';
import { nodeStore, type NodeStore } from './shared/node-store';
import type { NodeDef, NodeRedApi, NodeRedNode } from './shared/node-red';
import { integerOf, textOf } from './shared/message-values';
import { statusError, statusOk, statusText, statusWaiting, statusWorking } from './shared/status';

/**
 * `takt-status`: reads the sync job log of a store into a dashboard-friendly `msg.payload` — jobs, statistics
 * per entity, failed records, stale jobs (marked failed), or one summary row whose `text` also shows under the
 * node. Views and rows are the runtime's (node-ops/status.ts); `msg.connection`, `msg.entity` and `msg.jobId`
 * override the node's fields for one message.
 */
export = function registerTaktStatus(RED: NodeRedApi): void {
  function TaktStatus(this: NodeRedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    start(this, def);
  }

  function start(node: NodeRedNode, def: NodeDef): void {
    const view: StatusView = STATUS_VIEWS.find((v) => v === def.view) ?? 'summary';
    let storeNode: NodeStore | undefined;
    let setupError: TaktError | undefined;
    let limit = 50;
    let staleAfterMs: number | undefined;
    try {
      storeNode = nodeStore(RED, node, def.store);
      limit = integerOf(def.limit, 'takt-status: Limit', 50, 1, 1000);
      const staleMinutes = integerOf(def.staleAfterMinutes, 'takt-status: Stale after (minutes)', 0, 0, 525_600);
      staleAfterMs = staleMinutes > 0 ? staleMinutes * 60_000 : undefined;
    } catch (error) {
      setupError = toTaktError(error);
      node.status(statusError(statusText(setupError.code)));
      node.error(setupError.message);
    }

    node.on('input', (msg, send, done) => {
      if (setupError || !storeNode) {
        failMessage(node, done, setupError ?? new TaktError('INTERNAL', 'takt-status is not set up.'));
        return;
      }
      const config = storeNode;
      void (async () => {
        node.status(statusWorking(translate(RED, 'takt-status.status.reading', 'reading')));
        const store = await config.store();
        const connection = textOf(msg.connection) || textOf(def.connectionName);
        const entity = textOf(msg.entity) || textOf(def.entity);
        const jobId = textOf(msg.jobId);
        const jobStatus = textOf(def.jobStatus);
        if ((view === 'summary' || view === 'statistics') && connection === '') {
          throw new TaktError(
            'CONFIG_INVALID',
            `takt-status: the ${view} view needs Connection Name (e.g. "sap" or "mes") or msg.connection.`,
          );
        }
        const rows = await syncStatus(store, {
          view,
          limit,
          ...(connection !== '' ? { connection } : {}),
          ...(entity !== '' ? { entity } : {}),
          ...(jobId !== '' ? { jobId } : {}),
          ...(jobStatus !== '' ? { status: jobStatus as JobStatus } : {}),
          ...(staleAfterMs !== undefined ? { staleAfterMs } : {}),
        });
        if (view === 'summary') {
          const summary = rows[0] ?? {};
          msg.payload = summary;
          const text = statusText(textOf(summary.text) || textOf(summary.state));
          node.status(
            summary.state === 'error'
              ? statusError(text)
              : summary.state === 'warning'
                ? statusWaiting(text)
                : statusOk(text),
          );
        } else {
          msg.payload = rows;
          node.status(
            statusOk(
              translate(RED, 'takt-status.status.rows', '__count__ rows (__view__)', { count: rows.length, view }),
            ),
          );
        }
        send(msg);
        done();
      })().catch((error: unknown) => failMessage(node, done, error));
    });
  }

  RED.nodes.registerType('takt-status', TaktStatus);
};
