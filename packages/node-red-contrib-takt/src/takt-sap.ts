import {
  keyFieldsOf,
  keyOf,
  sapGet,
  sapGetMany,
  sapWrite,
  TaktError,
  withoutItemMeta,
  type Connector,
  type SapOperation,
  type SapRecordResult,
  type SapWriteOperation,
  type WriteItem,
} from '@takt/runtime';

import { useConfigNode } from './shared/config-node';
import { textField } from './shared/connection-check';
import { failMessage, reportError } from './shared/errors';
import type { NodeDef, NodeMessage, NodeRedApi, NodeRedNode } from './shared/node-red';
import { selectSapEntity, wholeNumberField, type SapEntitySelection } from './shared/sap-entity';
import { taktSettings } from './shared/settings';
import { statusError, statusOk, statusText, statusWorking } from './shared/status';

/**
 * `takt-sap`: one operation on one SAP entity per message — get, get many, create, update, create or update,
 * delete — on a preset entity or an entity set the user typed. Records go in as `msg.payload` (one object or
 * an array), results come out in `msg.payload`, one per record in input order; `msg._takt` passes through.
 * A record SAP rejects is a result with its error, never dropped; the message fails (done(err)) only when
 * nothing could be attempted.
 */

const OPERATIONS: readonly SapOperation[] = ['get', 'getMany', 'create', 'update', 'createOrUpdate', 'delete'];

interface Outcome {
  readonly text: string;
  readonly failed: number;
  readonly total: number;
}

interface SapNodeSettings {
  readonly operation: SapOperation;
  /** Preset entity name, or `<service>/<entitySet>` for a custom one. */
  readonly entity: string;
  readonly filter: Readonly<Record<string, string | number | boolean>> | undefined;
  readonly limit: number;
  readonly returnAll: boolean;
  readonly batchSize: number;
}

export = function registerTaktSap(RED: NodeRedApi): void {
  const closeTimeoutMs = taktSettings(RED).closeTimeoutMs;

  function TaktSap(this: NodeRedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);

    let configError: unknown;
    let settings: SapNodeSettings | undefined;
    let selection: SapEntitySelection | undefined;
    try {
      const connection = useConfigNode(RED, this, 'sap', def.connection);
      selection = selectSapEntity(def, connection);
      settings = readSettings(def, selection.entity);
    } catch (error) {
      configError = error;
      reportError(this, error);
    }

    this.on('input', (msg, send, done) => {
      if (settings === undefined || selection === undefined) {
        failMessage(this, done, configError);
        return;
      }
      const active = settings;
      this.status(statusWorking(RED._('takt-sap.status.working')));
      selection
        .connector()
        .then((sap) => run(sap, active, msg))
        .then(({ text, failed, total }) => {
          this.status(
            failed > 0 ? statusError(RED._('takt-sap.status.failed', { failed, total })) : statusOk(statusText(text)),
          );
          send(msg);
          done();
        })
        .catch((error: unknown) => failMessage(this, done, error));
    });

    this.on('close', (_removed, done) => {
      if (selection === undefined) done();
      else selection.close(closeTimeoutMs).then(done, done);
    });
  }

  /**
   * Runs the operation for one message; sets `msg.payload` to the records read or the results, and answers
   * the status text and how many records failed (error or conflict) of how many.
   */
  async function run(sap: Connector, settings: SapNodeSettings, msg: NodeMessage): Promise<Outcome> {
    const entity = settings.entity;
    switch (settings.operation) {
      case 'get': {
        const record = singleRecord(msg.payload, 'get');
        const read = await sapGet(sap, entity, keyOf(record, keyFieldsOf(sap, entity)));
        msg.payload = read.record;
        if (read.etag !== undefined) msg.etag = read.etag;
        return { text: RED._('takt-sap.status.read', { count: 1 }), failed: 0, total: 1 };
      }
      case 'getMany': {
        const records = await sapGetMany(sap, entity, {
          filter: messageFilter(msg.filter) ?? settings.filter,
          ...(typeof msg.since === 'string' && msg.since !== '' ? { since: msg.since } : {}),
          limit: typeof msg.limit === 'number' ? msg.limit : settings.limit,
          returnAll: settings.returnAll,
        });
        msg.payload = records;
        return { text: RED._('takt-sap.status.read', { count: records.length }), failed: 0, total: records.length };
      }
      default: {
        const operation: SapWriteOperation = settings.operation;
        const many = Array.isArray(msg.payload);
        const records = many ? (msg.payload as unknown[]) : [singleRecord(msg.payload, operation)];
        const items: WriteItem[] = records.map((record, index) => {
          const data = withoutItemMeta(recordAt(record, index));
          const etag = !many && typeof msg.etag === 'string' ? msg.etag : undefined;
          return etag === undefined ? { data } : { data, etag };
        });
        const results = (await sapWrite(sap, entity, operation, items, { batchSize: settings.batchSize })).map(
          plainResult,
        );
        msg.payload = many ? results : results[0];
        const failed = results.filter((result) => result.action === 'error' || result.action === 'conflict').length;
        return { text: countActions(results), failed, total: records.length };
      }
    }
  }

  RED.nodes.registerType('takt-sap', TaktSap);
};

function readSettings(def: NodeDef, entity: string): SapNodeSettings {
  const operation = textField(def, 'operation') ?? 'getMany';
  if (!(OPERATIONS as readonly string[]).includes(operation)) {
    throw new TaktError('CONFIG_INVALID', `Operation must be one of ${OPERATIONS.join(', ')} (got "${operation}").`);
  }
  const filterText = textField(def, 'filter');
  return {
    operation: operation as SapOperation,
    entity,
    filter: filterText === undefined ? undefined : parseFilter(filterText),
    limit: wholeNumberField(def, 'limit', 'Limit', 50),
    returnAll: def.returnAll === true,
    batchSize: wholeNumberField(def, 'batchSize', 'Batch Size', 100),
  };
}

function parseFilter(text: string): Readonly<Record<string, string | number | boolean>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TaktError('CONFIG_INVALID', 'Filter must be a JSON object such as {"ProductionPlant": "1010"}.');
  }
  const filter = messageFilter(parsed);
  if (filter === undefined) {
    throw new TaktError(
      'CONFIG_INVALID',
      'Filter must be a JSON object of property names to text, numbers or booleans.',
    );
  }
  return filter;
}

/** `msg.filter` (or the node's filter) when it is an object of scalar values; undefined otherwise. */
function messageFilter(value: unknown): Readonly<Record<string, string | number | boolean>> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const filter: Record<string, string | number | boolean> = {};
  for (const [field, scalar] of Object.entries(value as Record<string, unknown>)) {
    if (typeof scalar !== 'string' && typeof scalar !== 'number' && typeof scalar !== 'boolean') {
      throw new TaktError('CONFIG_INVALID', `Filter value of "${field}" must be text, a number or a boolean.`);
    }
    filter[field] = scalar;
  }
  return filter;
}

function singleRecord(payload: unknown, operation: string): Readonly<Record<string, unknown>> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TaktError(
      'RECORD_INVALID',
      `takt-sap ${operation}: msg.payload must be one record (an object with the entity's fields)` +
        (Array.isArray(payload) && operation === 'get' ? '; for several records use Get Many with a filter.' : '.'),
    );
  }
  return payload as Readonly<Record<string, unknown>>;
}

function recordAt(value: unknown, index: number): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TaktError('RECORD_INVALID', `msg.payload[${index}] must be a record (an object), not ${typeof value}.`);
  }
  return value as Readonly<Record<string, unknown>>;
}

interface PlainResult {
  readonly index: number;
  readonly action: SapRecordResult['action'];
  readonly targetId?: string;
  readonly etag?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly retryable: boolean };
}

/** A result as the message carries it: the error reduced to code, message and retryable. */
function plainResult(result: SapRecordResult): PlainResult {
  return {
    index: result.index,
    action: result.action,
    ...(result.targetId === undefined ? {} : { targetId: result.targetId }),
    ...(result.etag === undefined ? {} : { etag: result.etag }),
    ...(result.error === undefined
      ? {}
      : { error: { code: result.error.code, message: result.error.message, retryable: result.error.retryable } }),
  };
}

/** "2 created, 1 updated" */
function countActions(results: readonly PlainResult[]): string {
  const counts = new Map<string, number>();
  for (const result of results) counts.set(result.action, (counts.get(result.action) ?? 0) + 1);
  return [...counts.entries()].map(([action, count]) => `${count} ${action}`).join(', ');
}
